namespace SharpTun.WireGuard;

/// <summary>
/// A peer's timer state in wall-clock time, read at <see cref="Now"/> (<see cref="WireGuardDevice.GetTimers"/>);
/// null = never or not armed. What a health view needs to tell "up" from "stale" from "handshaking".
/// </summary>
/// <param name="Now">The provider's time when this was read.</param>
/// <param name="LastSent">The last datagram sent to the peer (data, keepalive or handshake).</param>
/// <param name="LastReceived">The last authenticated datagram from the peer.</param>
/// <param name="HandshakeAttemptStarted">When the handshake attempt in progress began (its first initiation); null when none is in progress.</param>
/// <param name="DataSentUnansweredSince">The first data packet sent since the peer was last heard; null when everything sent was answered.</param>
/// <param name="HandshakeAttemptFailed">When a handshake attempt was last given up (REKEY_ATTEMPT_TIME without a response); null when never.</param>
public readonly record struct PeerTimers(DateTimeOffset Now, DateTimeOffset? LastSent, DateTimeOffset? LastReceived,
    DateTimeOffset? HandshakeAttemptStarted, DateTimeOffset? DataSentUnansweredSince, DateTimeOffset? HandshakeAttemptFailed);

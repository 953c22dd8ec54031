namespace SharpTun.WireGuard;

/// <summary>
/// A remote WireGuard peer as the protocol core sees it: its static key, current endpoint (changed
/// only by authenticated packets — roaming), sessions (current/previous/next keypair), handshake,
/// timer state and counters. Created by <see cref="WireGuardDevice.AddPeer"/>.
/// </summary>
public sealed class WireGuardPeer
{
    internal readonly Handshake Handshake;
    internal readonly CookieGenerator Cookies;
    internal readonly Queue<byte[]> Queued = new();
    internal Keypair? Current;
    internal Keypair? Previous;
    internal Keypair? Next;

    // Timer state, all in device clock ticks (long.MinValue = never / not armed).
    internal long LastSent = long.MinValue;
    internal long LastReceived = long.MinValue;
    internal long LastInitiationSent = long.MinValue;
    internal long AttemptStarted = long.MinValue;
    internal long RetryAt = long.MinValue;
    internal long DataSentUnanswered = long.MinValue;
    internal long DataReceivedUnacked = long.MinValue;
    internal long LastHandshakeTicks = long.MinValue;
    internal bool WantHandshake;
    internal bool RekeyRequestedOnReceive;

    internal WireGuardPeer(LocalIdentity local, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> presharedKey, Func<long> now)
    {
        PublicKey = publicKey.ToArray();
        Handshake = new Handshake(local, publicKey, presharedKey);
        Cookies = new CookieGenerator(publicKey, now);
    }

    /// <summary>The peer's static public key (32 bytes).</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>Where datagrams for this peer go; updated on every authenticated packet from it.</summary>
    public NetEndpoint Endpoint { get; set; }

    /// <summary>Send a keepalive when nothing was sent for this long (zero = off), like wg's persistent-keepalive.</summary>
    public TimeSpan PersistentKeepalive { get; set; }

    /// <summary>Wall-clock time of the last completed handshake, if any.</summary>
    public DateTimeOffset? LastHandshake { get; internal set; }

    /// <summary>Bytes of UDP payload sent to this peer.</summary>
    public long TransmitBytes { get; internal set; }

    /// <summary>Bytes of authenticated UDP payload received from this peer.</summary>
    public long ReceiveBytes { get; internal set; }

    /// <summary>True while a session usable for sending exists.</summary>
    public bool HasSession => Current is not null;

    /// <summary>Packets waiting for a handshake to finish.</summary>
    public int QueuedPackets => Queued.Count;

    /// <inheritdoc/>
    public override string ToString() => Convert.ToBase64String(PublicKey.Span);
}

namespace SharpTun.WireGuard;

/// <summary>What the caller must do after a protocol call.</summary>
public enum WireGuardAction
{
    /// <summary>Nothing to send or deliver.</summary>
    Done,

    /// <summary>Send the first <see cref="WireGuardResult.Length"/> bytes of the buffer as one datagram to <see cref="WireGuardResult.Destination"/>.</summary>
    WriteToNetwork,

    /// <summary>Write the first <see cref="WireGuardResult.Length"/> bytes of the buffer (one IP packet from <see cref="WireGuardResult.Peer"/>) to the tunnel device.</summary>
    WriteToTunnel,

    /// <summary>The input was dropped; <see cref="WireGuardResult.Error"/> says why.</summary>
    Error,
}

/// <summary>Why an input was dropped.</summary>
public enum WireGuardError
{
    /// <summary>No error.</summary>
    None,

    /// <summary>Unknown type, wrong size or non-zero reserved bytes.</summary>
    InvalidMessage,

    /// <summary>mac1 did not verify.</summary>
    InvalidMac,

    /// <summary>The receiver index names no handshake or session of ours.</summary>
    UnknownIndex,

    /// <summary>The initiation did not decrypt or names a static key we have no peer for.</summary>
    UnknownPeer,

    /// <summary>The timestamp was not strictly newer than the last accepted initiation.</summary>
    StaleTimestamp,

    /// <summary>Initiations from this peer came faster than one per 20 ms.</summary>
    InitiationFlood,

    /// <summary>Under load, this source exceeded its handshake rate.</summary>
    RateLimited,

    /// <summary>A handshake message or cookie reply did not authenticate or arrived in the wrong state.</summary>
    HandshakeFailed,

    /// <summary>A data message did not authenticate.</summary>
    DecryptionFailed,

    /// <summary>A data message counter was already seen or is too old.</summary>
    Replay,

    /// <summary>The session is older than REJECT_AFTER_TIME or used REJECT_AFTER_MESSAGES.</summary>
    ExpiredSession,

    /// <summary>The decrypted packet is not IPv4/IPv6 or its length field is inconsistent.</summary>
    InvalidPacket,

    /// <summary>The decrypted packet's source address is not in the sender's allowed IPs.</summary>
    SourceNotAllowed,

    /// <summary>No peer's allowed IPs contain the destination of an outgoing packet.</summary>
    NoRoute,

    /// <summary>Too big: the packet (or reply) does not fit the caller's buffer.</summary>
    BufferTooSmall,

    /// <summary>The peer has no endpoint yet (none configured, none learned): nothing can be sent to it.</summary>
    NoEndpoint,

    /// <summary>Handshake retries gave up after REKEY_ATTEMPT_TIME; queued packets were dropped (counted per packet).</summary>
    ConnectionExpired,

    /// <summary>
    /// The peer's queue of packets waiting for a handshake was full (<see cref="WireGuardDevice.MaxQueuedPerPeer"/>):
    /// the oldest was dropped. Never a result's error (the call itself succeeds); counted in <see cref="WireGuardPeer.Drops"/>.
    /// </summary>
    QueueFull,

    /// <summary>The peer was removed while the call ran (or before it, by a reference the caller kept).</summary>
    PeerRemoved,

    /// <summary>
    /// The interface has no private key (<see cref="WireGuardDevice.HasPrivateKey"/> is false): no handshake is
    /// sent or answered until one is set, as in wireguard-go.
    /// </summary>
    NoPrivateKey,
}

/// <summary>
/// The outcome of one protocol call: an action, the bytes it concerns in the caller's buffer, and the peer.
/// <see cref="Destination"/> is where a <see cref="WireGuardAction.WriteToNetwork"/> goes: the peer's endpoint
/// as it was when the message was made (remote, local-address hint, transport), or the sender of a handshake
/// answered without a peer (a cookie reply); for <see cref="WireGuardAction.WriteToTunnel"/> the datagram's source.
/// </summary>
public readonly record struct WireGuardResult(WireGuardAction Action, int Length, WireGuardPeer? Peer, DatagramEndpoint Destination,
    WireGuardError Error)
{
    /// <summary>The remote of <see cref="Destination"/>.</summary>
    public NetEndpoint Endpoint => Destination.Remote;

    internal static WireGuardResult Done(WireGuardPeer? peer = null) => new(WireGuardAction.Done, 0, peer, default, WireGuardError.None);

    internal static WireGuardResult Fail(WireGuardError error, WireGuardPeer? peer = null) => new(WireGuardAction.Error, 0, peer, default, error);

    internal static WireGuardResult Network(int length, WireGuardPeer? peer, in DatagramEndpoint destination) =>
        new(WireGuardAction.WriteToNetwork, length, peer, destination, WireGuardError.None);

    internal static WireGuardResult Tunnel(int length, WireGuardPeer peer, in DatagramEndpoint source) =>
        new(WireGuardAction.WriteToTunnel, length, peer, source, WireGuardError.None);
}

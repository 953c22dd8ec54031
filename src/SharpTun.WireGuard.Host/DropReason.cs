namespace SharpTun.WireGuard.Host;

/// <summary>Why the data plane dropped a packet or datagram; counted per interface and per peer.</summary>
public enum DropReason
{
    /// <summary>A datagram named no peer or session of ours (unknown receiver index or static key).</summary>
    NoPeer,

    /// <summary>An outgoing packet's destination is in no peer's allowed IPs.</summary>
    NoRoute,

    /// <summary>A decrypted packet's source address is not in its sender's allowed IPs.</summary>
    SourceNotAllowed,

    /// <summary>A datagram failed authentication (mac1, handshake, or the data AEAD tag).</summary>
    BadMacOrDecrypt,

    /// <summary>A data message counter was already seen or is too old, or a handshake initiation was replayed (its timestamp is not newer than the last accepted one).</summary>
    Replay,

    /// <summary>The session was older than REJECT_AFTER_TIME, or handshake retries gave up.</summary>
    Expired,

    /// <summary>A packet or datagram did not fit the buffers (larger than 65535 bytes or cut by the socket).</summary>
    TooBig,

    /// <summary>The per-peer queue of packets waiting for a handshake overflowed (oldest dropped).</summary>
    QueueFull,

    /// <summary>A datagram was not a well-formed WireGuard message, or a decrypted packet was not IP.</summary>
    Malformed,

    /// <summary>Handshake messages exceeded the per-peer or per-source rate (flood protection: more than one initiation per 20 ms from a peer, or a source over its rate under load).</summary>
    RateLimited,

    /// <summary>The peer has no endpoint (none configured, none learned yet).</summary>
    NoEndpoint,

    /// <summary>The UDP socket refused the datagram (the errno is logged).</summary>
    SendFailed,

    /// <summary>The tun device refused the packet.</summary>
    TunWriteFailed,

    /// <summary>A handshake message's mac1 was not keyed by our public key (random bytes, another interface's key): dropped on arrival, before it could count as load.</summary>
    BadMac1,

    /// <summary>The handshake queue was full (flood protection: handshakes are dropped, data never is).</summary>
    HandshakeQueueFull,
}

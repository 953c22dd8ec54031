namespace SharpTun.Tunnel;

/// <summary>What a <see cref="TunnelEvent"/> reports.</summary>
public enum TunnelEventKind
{
    /// <summary>A TCP peer connected (server: accepted; client: connected), or the UDP server learned its first peer.</summary>
    PeerConnected,

    /// <summary>The TCP connection to the peer ended (closed, reset, protocol error, timeout).</summary>
    PeerGone,

    /// <summary>The UDP server now answers a new source address (roaming, a restarted client).</summary>
    PeerMoved,

    /// <summary>A new TCP connection took the slot of a peer that had been silent longer than the keepalive interval.</summary>
    PeerReplaced,

    /// <summary>A connection or datagram was refused: not in the allow-list, not the pinned peer, or the slot is taken.</summary>
    PeerRefused,

    /// <summary>The peer broke the framing (bad length, stream ended inside a packet); the connection was closed.</summary>
    ProtocolError,

    /// <summary>The client could not reach the server and will retry.</summary>
    ConnectFailed,

    /// <summary>Events of one kind arrived faster than the log rate limit; <see cref="TunnelEvent.Suppressed"/> says how many were not reported.</summary>
    Suppressed,
}

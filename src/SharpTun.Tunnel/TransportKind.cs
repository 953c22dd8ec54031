namespace SharpTun.Tunnel;

/// <summary>How packets travel between the two endpoints.</summary>
public enum TransportKind
{
    /// <summary>TCP with simpletun's 2-byte length prefix (wire-compatible with simpletun).</summary>
    Tcp,

    /// <summary>UDP, one packet per datagram; a zero-length datagram is the keepalive.</summary>
    Udp,
}

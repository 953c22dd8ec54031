namespace SharpTun.Packets;

/// <summary>TCP header flags (RFC 9293; ECE/CWR from RFC 3168; NS/AE is bit 8).</summary>
[Flags]
public enum TcpFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>FIN.</summary>
    Fin = 0x001,
    /// <summary>SYN.</summary>
    Syn = 0x002,
    /// <summary>RST.</summary>
    Rst = 0x004,
    /// <summary>PSH.</summary>
    Psh = 0x008,
    /// <summary>ACK.</summary>
    Ack = 0x010,
    /// <summary>URG.</summary>
    Urg = 0x020,
    /// <summary>ECE.</summary>
    Ece = 0x040,
    /// <summary>CWR.</summary>
    Cwr = 0x080,
    /// <summary>NS / AE (accurate ECN).</summary>
    Ns = 0x100,
}

namespace SharpTun.Packets;

/// <summary>IP protocol / IPv6 next-header numbers (IANA).</summary>
public static class IpProtocol
{
    /// <summary>IPv6 hop-by-hop options.</summary>
    public const byte HopByHop = 0;
    /// <summary>ICMP for IPv4.</summary>
    public const byte Icmp = 1;
    /// <summary>TCP.</summary>
    public const byte Tcp = 6;
    /// <summary>UDP.</summary>
    public const byte Udp = 17;
    /// <summary>IPv6 routing header.</summary>
    public const byte Routing = 43;
    /// <summary>IPv6 fragment header.</summary>
    public const byte Fragment = 44;
    /// <summary>Encapsulating security payload (opaque; walking stops there).</summary>
    public const byte Esp = 50;
    /// <summary>Authentication header (length in 4-byte units).</summary>
    public const byte Ah = 51;
    /// <summary>ICMP for IPv6.</summary>
    public const byte Icmpv6 = 58;
    /// <summary>No next header.</summary>
    public const byte NoNextHeader = 59;
    /// <summary>IPv6 destination options.</summary>
    public const byte DestinationOptions = 60;

    /// <summary>Short name for summaries ("TCP", "UDP", …) or null when unnamed.</summary>
    public static string? Name(byte protocol) => protocol switch
    {
        HopByHop => "HOPOPT",
        Icmp => "ICMP",
        Tcp => "TCP",
        Udp => "UDP",
        Routing => "IPv6-Route",
        Fragment => "IPv6-Frag",
        Esp => "ESP",
        Ah => "AH",
        Icmpv6 => "ICMPv6",
        NoNextHeader => "IPv6-NoNxt",
        DestinationOptions => "IPv6-Opts",
        2 => "IGMP",
        4 => "IPIP",
        41 => "IPv6",
        47 => "GRE",
        132 => "SCTP",
        _ => null,
    };
}

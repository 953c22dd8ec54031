namespace SharpTun.Packets;

/// <summary>Which network-layer view of a <see cref="DecodedPacket"/> is valid.</summary>
public enum NetworkLayer
{
    /// <summary>None decoded (malformed link layer, or a link type with no payload).</summary>
    None,
    /// <summary><see cref="DecodedPacket.Arp"/>.</summary>
    Arp,
    /// <summary><see cref="DecodedPacket.Ipv4"/>.</summary>
    Ipv4,
    /// <summary><see cref="DecodedPacket.Ipv6"/>.</summary>
    Ipv6,
    /// <summary>An EtherType this library does not decode (<see cref="DecodedPacket.EtherType"/>).</summary>
    Other,
}

/// <summary>Which transport-layer view of a <see cref="DecodedPacket"/> is valid.</summary>
public enum TransportLayer
{
    /// <summary>None decoded.</summary>
    None,
    /// <summary><see cref="DecodedPacket.Icmp"/>.</summary>
    Icmp,
    /// <summary><see cref="DecodedPacket.Icmpv6"/>.</summary>
    Icmpv6,
    /// <summary><see cref="DecodedPacket.Udp"/>.</summary>
    Udp,
    /// <summary><see cref="DecodedPacket.Tcp"/>.</summary>
    Tcp,
    /// <summary>A non-first fragment: the payload is data, not a header.</summary>
    Fragment,
    /// <summary>Another IP protocol (<see cref="DecodedPacket.IpProtocolNumber"/>).</summary>
    Other,
}

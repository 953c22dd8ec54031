namespace SharpTun.Packets;

/// <summary>
/// The layers of one packet as far as they could be decoded; produced by <see cref="PacketDecoder.Decode"/>.
/// Only the views named by <see cref="HasEthernet"/>, <see cref="Network"/> and <see cref="Transport"/> are valid.
/// When <see cref="Error"/> is set, decoding stopped at the layer it names; the outer layers stay valid.
/// </summary>
public ref struct DecodedPacket
{
    /// <summary>The link type the bytes were decoded as.</summary>
    public LinkType LinkType { get; internal set; }

    /// <summary>All bytes of the packet as given.</summary>
    public ReadOnlySpan<byte> Bytes { get; internal set; }

    /// <summary>An Ethernet header was decoded.</summary>
    public bool HasEthernet { get; internal set; }

    /// <summary>The Ethernet header (valid when <see cref="HasEthernet"/>).</summary>
    public EthernetFrame Ethernet { get; internal set; }

    /// <summary>EtherType of the network payload (synthesised from the version nibble for raw packets).</summary>
    public ushort EtherType { get; internal set; }

    /// <summary>Which network view is valid.</summary>
    public NetworkLayer Network { get; internal set; }

    /// <summary>ARP view.</summary>
    public ArpPacket Arp { get; internal set; }

    /// <summary>IPv4 view.</summary>
    public Ipv4Packet Ipv4 { get; internal set; }

    /// <summary>IPv6 view.</summary>
    public Ipv6Packet Ipv6 { get; internal set; }

    /// <summary>IP protocol of the transport payload (IPv6: after extension headers); 255 when no IP layer.</summary>
    public byte IpProtocolNumber { get; internal set; }

    /// <summary>Which transport view is valid.</summary>
    public TransportLayer Transport { get; internal set; }

    /// <summary>ICMPv4 view.</summary>
    public IcmpV4Packet Icmp { get; internal set; }

    /// <summary>ICMPv6 view.</summary>
    public IcmpV6Packet Icmpv6 { get; internal set; }

    /// <summary>UDP view.</summary>
    public UdpDatagram Udp { get; internal set; }

    /// <summary>TCP view.</summary>
    public TcpSegment Tcp { get; internal set; }

    /// <summary>What stopped decoding (default when everything decoded).</summary>
    public Malformation Error { get; internal set; }

    /// <summary>True when <see cref="Error"/> is set.</summary>
    public readonly bool IsMalformed => Error.IsMalformed;

    /// <summary>Source IP address (4 or 16 bytes), or empty without an IP layer.</summary>
    public readonly ReadOnlySpan<byte> SourceAddress => Network switch
    {
        NetworkLayer.Ipv4 => Ipv4.Source,
        NetworkLayer.Ipv6 => Ipv6.Source,
        _ => default,
    };

    /// <summary>Destination IP address (4 or 16 bytes), or empty without an IP layer.</summary>
    public readonly ReadOnlySpan<byte> DestinationAddress => Network switch
    {
        NetworkLayer.Ipv4 => Ipv4.Destination,
        NetworkLayer.Ipv6 => Ipv6.Destination,
        _ => default,
    };

    /// <summary>Source port of TCP/UDP, else -1.</summary>
    public readonly int SourcePort => Transport switch
    {
        TransportLayer.Tcp => Tcp.SourcePort,
        TransportLayer.Udp => Udp.SourcePort,
        _ => -1,
    };

    /// <summary>Destination port of TCP/UDP, else -1.</summary>
    public readonly int DestinationPort => Transport switch
    {
        TransportLayer.Tcp => Tcp.DestinationPort,
        TransportLayer.Udp => Udp.DestinationPort,
        _ => -1,
    };
}

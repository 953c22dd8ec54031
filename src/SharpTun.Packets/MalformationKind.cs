namespace SharpTun.Packets;

/// <summary>The kinds of problem a decoder reports; see <see cref="Malformation"/> for the message of each.</summary>
public enum MalformationKind
{
    /// <summary>Nothing wrong.</summary>
    None,
    /// <summary>Zero bytes.</summary>
    Empty,
    /// <summary>Fewer than 14 bytes. Value = needed, Limit = captured.</summary>
    EthernetTruncated,
    /// <summary>An 802.1Q/802.1ad tag cut short.</summary>
    VlanTruncated,
    /// <summary>ARP shorter than its fixed part.</summary>
    ArpTruncated,
    /// <summary>ARP for something other than Ethernet/IPv4. Value = hardware type, Limit = protocol type.</summary>
    ArpUnsupported,
    /// <summary>IPv4 shorter than 20 bytes.</summary>
    Ipv4Truncated,
    /// <summary>Version nibble is not 4.</summary>
    Ipv4Version,
    /// <summary>IHL × 4 &lt; 20.</summary>
    Ipv4HeaderLengthTooSmall,
    /// <summary>IHL × 4 beyond the captured bytes.</summary>
    Ipv4HeaderLengthExceedsCaptured,
    /// <summary>Total length beyond the captured bytes.</summary>
    Ipv4TotalLengthExceedsCaptured,
    /// <summary>Total length smaller than the header.</summary>
    Ipv4TotalLengthTooSmall,
    /// <summary>IPv6 shorter than 40 bytes.</summary>
    Ipv6Truncated,
    /// <summary>Version nibble is not 6.</summary>
    Ipv6Version,
    /// <summary>40 + payload length beyond the captured bytes.</summary>
    Ipv6PayloadLengthExceedsCaptured,
    /// <summary>An extension header runs past the payload. Value = header type, Limit = bytes left.</summary>
    Ipv6ExtensionTruncated,
    /// <summary>A chain of extension headers longer than the decoder walks.</summary>
    Ipv6TooManyExtensions,
    /// <summary>ICMPv4 shorter than its header.</summary>
    IcmpTruncated,
    /// <summary>ICMPv6 shorter than its header or its message body.</summary>
    Icmpv6Truncated,
    /// <summary>A neighbour-discovery option of length 0 or beyond the message. Value = type, Limit = length (8-byte units).</summary>
    Icmpv6OptionLength,
    /// <summary>UDP shorter than 8 bytes.</summary>
    UdpTruncated,
    /// <summary>UDP length field below 8.</summary>
    UdpLengthTooSmall,
    /// <summary>UDP length field beyond the captured bytes.</summary>
    UdpLengthExceedsCaptured,
    /// <summary>TCP shorter than 20 bytes.</summary>
    TcpTruncated,
    /// <summary>Data offset × 4 &lt; 20.</summary>
    TcpDataOffsetTooSmall,
    /// <summary>Data offset × 4 beyond the captured bytes.</summary>
    TcpDataOffsetExceedsCaptured,
    /// <summary>A TCP option whose length is below 2 or runs past the header. Value = kind, Limit = length.</summary>
    TcpOptionLength,
    /// <summary>Fewer than 4 bytes where the tun packet-information header was expected.</summary>
    PacketInfoTruncated,
    /// <summary>A raw IP packet whose version nibble is neither 4 nor 6.</summary>
    UnknownNetworkVersion,
}

using static SharpTun.Packets.Tests.Build;

namespace SharpTun.Packets.Tests;

/// <summary>Hand-built sample packets of every decoded kind, shared by decoder, summary, tshark and fuzz tests.</summary>
internal static class Vectors
{
    public const string TapMac = "de:ad:be:ef:00:01";
    public const string PeerMac = "02:00:5e:00:00:02";

    public static byte[] EchoRequestV4 => Ipv4("198.19.0.1", "198.19.0.2", 1, Icmp(8, 0, 0x1c2a, 1, PingData()));

    public static byte[] EchoReplyV4 => Ipv4("198.19.0.2", "198.19.0.1", 1, Icmp(0, 0, 0x1c2a, 1, PingData()), df: false);

    public static byte[] PortUnreachableV4 =>
        Ipv4("198.19.0.2", "198.19.0.1", 1, Icmp(3, 3, 0, 0, Ipv4("198.19.0.1", "198.19.0.2", 17, Udp("198.19.0.1", "198.19.0.2", 5000, 53, [1, 2, 3]))[..28]));

    /// <summary>IPv4 with a 4-byte option (router alert) and IHL 6.</summary>
    public static byte[] Ipv4WithOptions => Ipv4("198.19.0.1", "198.19.0.2", 17, Udp("198.19.0.1", "198.19.0.2", 1234, 5678, "hello"u8.ToArray()),
        options: [0x94, 0x04, 0x00, 0x00]);

    public static byte[] FirstFragmentV4 => Ipv4("198.19.0.1", "198.19.0.2", 17, new byte[64], id: 0xabcd, df: false, mf: true);

    public static byte[] LaterFragmentV4 => Ipv4("198.19.0.1", "198.19.0.2", 17, new byte[40], id: 0xabcd, df: false, fragmentOffset: 1480);

    public static byte[] UdpV4 => Ipv4("198.19.0.1", "198.19.0.2", 17, Udp("198.19.0.1", "198.19.0.2", 44321, 53, new byte[20]));

    public static byte[] TcpSynV4 => Ipv4("198.19.0.1", "198.19.0.2", 6,
        Tcp("198.19.0.1", "198.19.0.2", 44312, 80, 0x8a3c1f00, 0, 0x002, 64240, LinuxSynOptions(3000000000)));

    public static byte[] TcpSynAckV4 => Ipv4("198.19.0.2", "198.19.0.1", 6,
        Tcp("198.19.0.2", "198.19.0.1", 80, 44312, 0x10000000, 0x8a3c1f01, 0x012, 65160, LinuxSynOptions(42)));

    public static byte[] TcpDataV4 => Ipv4("198.19.0.1", "198.19.0.2", 6,
        Tcp("198.19.0.1", "198.19.0.2", 44312, 80, 0x8a3c1f01, 0x10000001, 0x018, 502, null, "GET / HTTP/1.0\r\n\r\n"u8.ToArray()));

    public static byte[] TcpFinV4 => Ipv4("198.19.0.1", "198.19.0.2", 6,
        Tcp("198.19.0.1", "198.19.0.2", 44312, 80, 0x8a3c1f13, 0x10000001, 0x011, 502));

    public static byte[] TcpRstV4 => Ipv4("198.19.0.2", "198.19.0.1", 6,
        Tcp("198.19.0.2", "198.19.0.1", 80, 44312, 0, 0x8a3c1f01, 0x014, 0));

    public static byte[] EchoRequestV6 => Ipv6("2001:db8:1::1", "2001:db8:1::2", 58,
        Icmpv6Echo("2001:db8:1::1", "2001:db8:1::2", 128, 0x1c2a, 7, PingData()));

    public static byte[] EchoReplyV6 => Ipv6("2001:db8:1::2", "2001:db8:1::1", 58,
        Icmpv6Echo("2001:db8:1::2", "2001:db8:1::1", 129, 0x1c2a, 7, PingData()));

    /// <summary>UDP behind hop-by-hop, destination options and routing headers.</summary>
    public static byte[] UdpV6WithExtensions => Ipv6("2001:db8:1::1", "2001:db8:1::2", 0,
        [.. Ext8(60, 0), .. Ext8(43, 60), .. Ext8(17, 43), .. Udp("2001:db8:1::1", "2001:db8:1::2", 40001, 40002, "xyz"u8.ToArray())]);

    /// <summary>First fragment (offset 0, M set) of an ICMPv6 echo.</summary>
    public static byte[] FirstFragmentV6 => Ipv6("2001:db8:1::1", "2001:db8:1::2", 44,
        [58, 0, 0x00, 0x01, 0x12, 0x34, 0x56, 0x78, .. Icmpv6Echo("2001:db8:1::1", "2001:db8:1::2", 128, 1, 1, new byte[32])]);

    /// <summary>Second fragment at offset 1232.</summary>
    public static byte[] LaterFragmentV6 => Ipv6("2001:db8:1::1", "2001:db8:1::2", 44,
        [58, 0, 0x04, 0xd0, 0x12, 0x34, 0x56, 0x78, .. new byte[24]]);

    public static byte[] TcpSynV6 => Ipv6("2001:db8:1::1", "2001:db8:1::2", 6,
        Tcp("2001:db8:1::1", "2001:db8:1::2", 50000, 443, 1, 0, 0x002, 64800, LinuxSynOptions(5)));

    public static byte[] PacketTooBigV6 => Ipv6("2001:db8:1::2", "2001:db8:1::1", 58,
        Icmpv6("2001:db8:1::2", "2001:db8:1::1", 2, 0, [0, 0, 0x05, 0x00, .. EchoRequestV6[..80]]));

    public static byte[] ArpRequest => Eth("ff:ff:ff:ff:ff:ff", TapMac, 0x0806, Arp(1, TapMac, "198.19.0.1", "00:00:00:00:00:00", "198.19.0.2"));

    public static byte[] ArpReply => Eth(TapMac, PeerMac, 0x0806, Arp(2, PeerMac, "198.19.0.2", TapMac, "198.19.0.1"));

    public static byte[] GratuitousArp => Eth("ff:ff:ff:ff:ff:ff", TapMac, 0x0806, Arp(1, TapMac, "198.19.0.1", "00:00:00:00:00:00", "198.19.0.1"));

    public static byte[] NeighborSolicitationFrame => Eth("33:33:ff:00:00:02", TapMac, 0x86dd,
        Ipv6("2001:db8:1::1", SolicitedNode("2001:db8:1::2"), 58,
            NeighborSolicitation("2001:db8:1::1", SolicitedNode("2001:db8:1::2"), "2001:db8:1::2", TapMac), hopLimit: 255));

    public static byte[] NeighborAdvertisementFrame => Eth(TapMac, PeerMac, 0x86dd,
        Ipv6("2001:db8:1::2", "2001:db8:1::1", 58,
            Icmpv6("2001:db8:1::2", "2001:db8:1::1", 136, 0, [0x60, 0, 0, 0, .. Ip("2001:db8:1::2"), 2, 1, .. Mac(PeerMac)]), hopLimit: 255));

    public static byte[] RouterSolicitationFrame => Eth("33:33:00:00:00:02", TapMac, 0x86dd,
        Ipv6("fe80::dcad:beff:feef:1", "ff02::2", 58, Icmpv6("fe80::dcad:beff:feef:1", "ff02::2", 133, 0, [0, 0, 0, 0, 1, 1, .. Mac(TapMac)]), hopLimit: 255));

    public static byte[] EchoRequestOnVlan => Eth(PeerMac, TapMac, 0x0800, EchoRequestV4, vlan: 100);

    public static byte[] EchoRequestFrame => Eth(PeerMac, TapMac, 0x0800, EchoRequestV4);

    /// <summary>All raw (tun) vectors with names.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Raw() =>
    [
        (nameof(EchoRequestV4), EchoRequestV4), (nameof(EchoReplyV4), EchoReplyV4), (nameof(PortUnreachableV4), PortUnreachableV4),
        (nameof(Ipv4WithOptions), Ipv4WithOptions), (nameof(FirstFragmentV4), FirstFragmentV4), (nameof(LaterFragmentV4), LaterFragmentV4),
        (nameof(UdpV4), UdpV4), (nameof(TcpSynV4), TcpSynV4), (nameof(TcpSynAckV4), TcpSynAckV4), (nameof(TcpDataV4), TcpDataV4),
        (nameof(TcpFinV4), TcpFinV4), (nameof(TcpRstV4), TcpRstV4), (nameof(EchoRequestV6), EchoRequestV6), (nameof(EchoReplyV6), EchoReplyV6),
        (nameof(UdpV6WithExtensions), UdpV6WithExtensions), (nameof(FirstFragmentV6), FirstFragmentV6), (nameof(LaterFragmentV6), LaterFragmentV6),
        (nameof(TcpSynV6), TcpSynV6), (nameof(PacketTooBigV6), PacketTooBigV6),
    ];

    /// <summary>All Ethernet (tap) vectors with names.</summary>
    public static IEnumerable<(string Name, byte[] Bytes)> Ethernet() =>
    [
        (nameof(ArpRequest), ArpRequest), (nameof(ArpReply), ArpReply), (nameof(GratuitousArp), GratuitousArp),
        (nameof(NeighborSolicitationFrame), NeighborSolicitationFrame), (nameof(NeighborAdvertisementFrame), NeighborAdvertisementFrame),
        (nameof(RouterSolicitationFrame), RouterSolicitationFrame), (nameof(EchoRequestOnVlan), EchoRequestOnVlan),
        (nameof(EchoRequestFrame), EchoRequestFrame),
    ];
}

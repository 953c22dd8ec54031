namespace SharpTun.Packets.Tests;

public sealed class SummaryTests
{
    private static string Raw(byte[] b, TcpSequenceTracker? t = null) => PacketSummary.Format(PacketDecoder.Decode(b, LinkType.Raw), t);

    private static string Eth(byte[] b) => PacketSummary.Format(PacketDecoder.Decode(b, LinkType.Ethernet));

    [Fact]
    public void Icmp_lines_read_like_tshark()
    {
        Assert.Equal("     198.19.0.1 → 198.19.0.2      ICMP 84 Echo (ping) request  id=0x1c2a, seq=1/256, ttl=64", Raw(Vectors.EchoRequestV4));
        Assert.Equal("     198.19.0.2 → 198.19.0.1      ICMP 84 Echo (ping) reply    id=0x1c2a, seq=1/256, ttl=64", Raw(Vectors.EchoReplyV4));
        Assert.Equal("     198.19.0.2 → 198.19.0.1      ICMP 56 Destination unreachable (Port unreachable)", Raw(Vectors.PortUnreachableV4));
        Assert.Equal("  2001:db8:1::1 → 2001:db8:1::2   ICMPv6 104 Echo (ping) request id=0x1c2a, seq=7, hop limit=64", Raw(Vectors.EchoRequestV6));
        Assert.Equal("  2001:db8:1::2 → 2001:db8:1::1   ICMPv6 128 Packet Too Big mtu=1280", Raw(Vectors.PacketTooBigV6));
    }

    [Fact]
    public void Tcp_lines_show_ports_flags_relative_sequence_and_options()
    {
        var t = new TcpSequenceTracker();
        Assert.Equal("     198.19.0.1 → 198.19.0.2      TCP 60 44312 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3000000000 TSecr=0 WS=128",
            Raw(Vectors.TcpSynV4, t));
        Assert.Equal("     198.19.0.2 → 198.19.0.1      TCP 60 80 → 44312 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=42 TSecr=0 WS=128",
            Raw(Vectors.TcpSynAckV4, t));
        Assert.Equal("     198.19.0.1 → 198.19.0.2      TCP 58 44312 → 80 [PSH, ACK] Seq=1 Ack=1 Win=502 Len=18", Raw(Vectors.TcpDataV4, t));
        Assert.Equal("     198.19.0.1 → 198.19.0.2      TCP 40 44312 → 80 [FIN, ACK] Seq=19 Ack=1 Win=502 Len=0", Raw(Vectors.TcpFinV4, t));
        Assert.Equal("     198.19.0.2 → 198.19.0.1      TCP 40 80 → 44312 [RST, ACK] Seq=4026531840 Ack=1 Win=0 Len=0", Raw(Vectors.TcpRstV4, t));
        // Without a tracker the numbers are absolute.
        Assert.True(Raw(Vectors.TcpSynV4).Contains("[SYN] Seq=2319195904 Win=64240"), Raw(Vectors.TcpSynV4));
    }

    [Fact]
    public void Udp_fragments_and_extension_headers()
    {
        Assert.Equal("     198.19.0.1 → 198.19.0.2      DNS 48 Standard query 0x0000", Raw(Vectors.UdpV4)); // port 53: a DNS header, as tshark reads it
        Assert.Equal("  2001:db8:1::1 → 2001:db8:1::2   UDP 75 40001 → 40002 Len=3", Raw(Vectors.UdpV6WithExtensions));
        Assert.Equal("     198.19.0.1 → 198.19.0.2      UDP 60 Fragmented IP protocol (proto=UDP 17, off=1480, ID=abcd)", Raw(Vectors.LaterFragmentV4));
        Assert.Equal("  2001:db8:1::1 → 2001:db8:1::2   ICMPv6 72 IPv6 fragment (off=1232 more=n ident=0x12345678 nxt=58)", Raw(Vectors.LaterFragmentV6));
    }

    [Fact]
    public void Arp_and_neighbor_discovery_lines()
    {
        Assert.Equal("de:ad:be:ef:00:01 → Broadcast       ARP 42 Who has 198.19.0.2? Tell 198.19.0.1", Eth(Vectors.ArpRequest));
        Assert.Equal("02:00:5e:00:00:02 → de:ad:be:ef:00:01 ARP 42 198.19.0.2 is at 02:00:5e:00:00:02", Eth(Vectors.ArpReply));
        Assert.Equal("de:ad:be:ef:00:01 → Broadcast       ARP 42 Gratuitous ARP for 198.19.0.1 (Request)", Eth(Vectors.GratuitousArp));
        Assert.Equal("  2001:db8:1::1 → ff02::1:ff00:2  ICMPv6 86 Neighbor Solicitation for 2001:db8:1::2 from de:ad:be:ef:00:01",
            Eth(Vectors.NeighborSolicitationFrame));
        Assert.Equal("  2001:db8:1::2 → 2001:db8:1::1   ICMPv6 86 Neighbor Advertisement 2001:db8:1::2 (sol, ovr) is at 02:00:5e:00:00:02",
            Eth(Vectors.NeighborAdvertisementFrame));
        Assert.Equal("fe80::dcad:beff:feef:1 → ff02::2         ICMPv6 70 Router Solicitation from de:ad:be:ef:00:01", Eth(Vectors.RouterSolicitationFrame));
        Assert.Equal("     198.19.0.1 → 198.19.0.2      ICMP 102 Echo (ping) request  id=0x1c2a, seq=1/256, ttl=64 (VLAN 100)", Eth(Vectors.EchoRequestOnVlan));
    }

    [Fact]
    public void Malformed_packets_say_why()
    {
        var b = Vectors.EchoRequestV4;
        b[3] = 200;
        Assert.Equal("     198.19.0.1 → 198.19.0.2      IPv4 84 [Malformed: IPv4 total length 200 exceeds captured 84 bytes]", Raw(b));
        Assert.Equal("              ? → ?               IPv4 12 [Malformed: IPv4 header needs 20 bytes, captured 12]", Raw(b[..12]));
        Assert.Equal("  2001:db8:1::1 → 2001:db8:1::2   IPv6 103 [Malformed: IPv6 payload length 64 exceeds captured 63 bytes]", Raw(Vectors.EchoRequestV6[..^1]));
    }

    [Fact]
    public void Line_has_number_and_relative_time()
    {
        Span<char> buffer = stackalloc char[PacketSummary.MaxLineLength];
        var p = PacketDecoder.Decode(Vectors.EchoRequestV4, LinkType.Raw);
        Assert.True(PacketSummary.TryFormatLine(3, 1.5, p, buffer, out var n));
        Assert.Equal("    3    1.500000      198.19.0.1 → 198.19.0.2      ICMP 84 Echo (ping) request  id=0x1c2a, seq=1/256, ttl=64", new string(buffer[..n]));
        Assert.False(PacketSummary.TryFormatLine(3, 1.5, p, buffer[..20], out n));
        Assert.Equal(0, n);
    }
}

namespace SharpTun.Packets.Tests;

public sealed class AllocationTests
{
    /// <summary>The per-packet path (decode, summary, filter, responder, pcap write) allocates nothing.</summary>
    [Fact]
    public void Per_packet_path_does_not_allocate()
    {
        var tooLong = Vectors.EchoRequestV4;
        tooLong[2] = 0x05; // total length 1364 > 84 captured: the malformed path, message included
        var raw = Vectors.Raw().Select(v => v.Bytes).Append(tooLong).Append(Vectors.TcpSynV4[..30]).ToArray();
        var eth = Vectors.Ethernet().Select(v => v.Bytes).ToArray();
        var filter = PacketFilter.Parse("tcp port 80 or icmp or host 2001:db8:1::2 or arp");
        var tracker = new TcpSequenceTracker();
        var tun = new PacketResponder(LinkType.Raw, MacAddress.Parse(Vectors.PeerMac));
        var tap = new PacketResponder(LinkType.Ethernet, MacAddress.Parse(Vectors.PeerMac));
        using var pcap = new PcapWriter(Stream.Null, LinkType.Raw);
        var reply = new byte[2048];
        var text = new char[PacketSummary.MaxLineLength];
        void Once(int round)
        {
            foreach (var b in raw)
            {
                var p = PacketDecoder.Decode(b, LinkType.Raw);
                PacketSummary.TryFormatLine(round, round * 0.001, p, text, out _, tracker);
                filter.Matches(p);
                tun.Respond(b, reply);
                pcap.Write(b, 1_700_000_000_000_000L + round);
                HexDump.TryFormatLine(b, 16, text, out _);
            }
            foreach (var b in eth)
            {
                var p = PacketDecoder.Decode(b, LinkType.Ethernet);
                PacketSummary.TryFormatLine(round, round * 0.001, p, text, out _, tracker);
                filter.Matches(p);
                tap.Respond(b, reply);
            }
        }
        for (var i = 0; i < 100; i++)
        {
            Once(-i);
        }
        Assert.Equal(0, Allocation.SteadyState(1000, i => Once(i + 1)));
    }

    [Fact]
    public void Hex_dump_lines_look_like_tshark()
    {
        var text = new char[HexDump.LineLength];
        var b = Vectors.EchoRequestV4;
        Assert.True(HexDump.TryFormatLine(b, 0, text, out var n));
        Assert.Equal("0000  45 00 00 54 12 34 40 00  40 01 " + ToHex(b[10..12]) + " c6 13 00 01  E..T.4@.@." + Ascii(b[10..12]) + "....", new string(text, 0, n));
        Assert.True(HexDump.TryFormatLine(b, 80, text, out n));
        Assert.Equal("0050  " + ToHex(b[80..84]) + new string(' ', (12 * 3) + 2) + " " + Ascii(b[80..84]), new string(text, 0, n));
        Assert.False(HexDump.TryFormatLine(b, 84, text, out _));
    }

    private static string ToHex(byte[] b) => string.Join(' ', b.Select(x => x.ToString("x2")));

    private static string Ascii(byte[] b) => new([.. b.Select(x => x is >= 0x20 and < 0x7f ? (char)x : '.')]);
}

using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

public sealed class PacketCoalescerTests
{
    private const int Mss = 1000;

    [Fact]
    public void Forty_five_segments_and_a_short_one_become_one_tso_super_packet()
    {
        var flow = TestFlow.TcpV4();
        var input = Coalesce.Segments(flow, 45, 1448, seq: 0xFFFF_0000, id: 65500);
        input.Add(flow.Packet(Buffers.Payload(100, 99), 0xFFFF_0000 + (45 * 1448), 0x18, unchecked((ushort)(65500 + 45))));
        var c = new PacketCoalescer();
        var outputs = Coalesce.Run(c, input);
        var (h, p) = Assert.Single(outputs);
        Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV4, 52, 1448, 20, 16), h);
        Assert.Equal(52 + (45 * 1448) + 100, p.Length);
        Assert.Equal(p.Length, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));
        Assert.Equal(0, Build.NaiveChecksum(p[..20]));
        Assert.Equal(65500, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(4)));
        Assert.Equal(0x18, p[33]); // PSH of the last segment
        // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum over the whole TCP length.
        var pseudo = Checksum.PseudoHeaderV4(flow.SourceBytes, flow.DestinationBytes, 6, p.Length - 20);
        Assert.Equal((ushort)~Checksum.Finish(pseudo), BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(36)));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
        Assert.Equal(46, c.PacketsIn);
        Assert.Equal(1, c.SuperPackets);
        Assert.Equal(46, c.PacketsCoalesced);
    }

    [Fact]
    public void Super_packets_stop_at_64_KB_and_at_the_output_buffer()
    {
        var flow = TestFlow.TcpV6();
        var input = Coalesce.Segments(flow, 100, 1440);
        var outputs = Coalesce.Run(new PacketCoalescer(), input);
        // 60 + 45 × 1440 = 64860 ≤ 65535 < 60 + 46 × 1440.
        Assert.Equal([45, 45, 10], outputs.Select(o => (o.Packet.Length - 60) / 1440));
        Assert.All(outputs, o => Assert.Equal(VirtioGsoType.TcpV6, o.Header.GsoType));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
        var small = Coalesce.Run(new PacketCoalescer(), input, Coalesce.Offset + 10 + 60 + (10 * 1440));
        Assert.Equal(10, small.Count);
        Assert.Equal(input, Coalesce.SplitAll(small));
    }

    public static TheoryData<string, int[]> Breaks() => new()
    {
        { "sequence gap", [3, 1, 2] },
        { "IPv4 ID jump", [3, 1, 2] },
        { "TTL", [3, 1, 2] },
        { "TOS", [3, 1, 2] },
        { "DF", [3, 1, 2] },
        { "ack number", [3, 1, 2] },
        { "window", [3, 1, 2] },
        { "options", [3, 1, 2] },
        { "ECE", [3, 1, 2] },
        { "FIN", [3, 1, 2] },
        { "SYN", [3, 1, 2] },
        { "RST", [3, 1, 2] },
        { "URG", [3, 1, 2] },
        { "no ACK", [3, 1, 2] },
        { "longer payload", [3, 1, 2] },
        { "bad TCP checksum", [3, 1, 2] },
        { "bad IPv4 header checksum", [3, 1, 2] },
        { "IPv4 options", [3, 1, 2] },
        { "no payload", [3, 1, 2] },
        { "fragment", [3, 1, 2] },
        { "other flow", [3, 1, 2] },
        { "PSH", [4, 2] },
        { "shorter payload", [4, 2] },
        { "CWR", [3, 3] },
        { "nothing", [6] },
    };

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_segment_that_breaks_a_rule_ends_the_super_packet(string rule, int[] expected)
    {
        var flow = TestFlow.TcpV4();
        var input = Coalesce.Segments(flow, 6, Mss, seq: 5000, id: 10);
        var seq = 5000u + (3 * Mss);
        ushort id = 13;
        var payload = Buffers.Payload(Mss, 3);
        byte[] Seg(TestFlow f, byte flags = 0x10, int size = Mss, uint? s = null, ushort? i = null) =>
            f.Packet(Buffers.Payload(size, 3), s ?? seq, flags, i ?? id);
        input[3] = rule switch
        {
            "sequence gap" => Seg(flow, s: seq + 1),
            "IPv4 ID jump" => Seg(flow, i: 20),
            "TTL" => Seg(flow with { Ttl = 63 }),
            "TOS" => Seg(flow with { Tos = 0x10 }),
            "DF" => Seg(flow with { DontFragment = false }),
            "ack number" => Seg(flow with { Ack = flow.Ack + 1 }),
            "window" => Seg(flow with { Window = 600 }),
            "options" => Seg(flow with { Options = [1, 1, 8, 10, 0, 1, 0xe2, 0x41, 0, 0, 0x30, 0x39] }),
            "ECE" => Seg(flow, 0x50),
            "FIN" => Seg(flow, 0x11),
            "SYN" => Seg(flow, 0x12),
            "RST" => Seg(flow, 0x14),
            "URG" => Seg(flow, 0x30),
            "no ACK" => Seg(flow, 0x00),
            "longer payload" => Seg(flow, size: Mss + 1),
            "bad TCP checksum" => Corrupt(Seg(flow), 36),
            "bad IPv4 header checksum" => Corrupt(Seg(flow), 10),
            "IPv4 options" => WithIpOptions(Seg(flow)),
            "no payload" => Seg(flow, size: 0),
            "fragment" => Fragment(Seg(flow)),
            "other flow" => Seg(flow with { SourcePort = 1 }),
            "PSH" => Seg(flow, 0x18),
            "shorter payload" => Seg(flow, size: Mss - 1),
            "CWR" => Seg(flow, 0x90),
            "nothing" => input[3],
            _ => throw new InvalidOperationException(rule),
        };
        var outputs = Coalesce.Run(new PacketCoalescer(), input);
        Assert.Equal(expected, outputs.Select(o => o.Header.IsGso ? (o.Packet.Length - 52) / Mss + ((o.Packet.Length - 52) % Mss == 0 ? 0 : 1) : 1));
        Assert.All(outputs, o => Assert.Equal(o.Header.IsGso, o.Header != default));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
        if (rule == "CWR")
        {
            Assert.Equal(VirtioGsoType.TcpV4 | VirtioGsoType.Ecn, outputs[1].Header.GsoType);
        }
        _ = payload;
    }

    [Theory]
    [InlineData("flow label")]
    [InlineData("hop limit")]
    [InlineData("traffic class")]
    [InlineData("hop-by-hop header")]
    public void An_ipv6_segment_that_differs_ends_the_super_packet(string rule)
    {
        var flow = TestFlow.TcpV6();
        var input = Coalesce.Segments(flow, 6, Mss, seq: 5000);
        var seq = 5000u + (3 * Mss);
        input[3] = rule switch
        {
            "flow label" => (flow with { FlowLabel = 7 }).Packet(Buffers.Payload(Mss, 3), seq),
            "hop limit" => (flow with { Ttl = 1 }).Packet(Buffers.Payload(Mss, 3), seq),
            "traffic class" => (flow with { Tos = 0xB8 }).Packet(Buffers.Payload(Mss, 3), seq),
            _ => WithHopByHop(flow.Packet(Buffers.Payload(Mss, 3), seq)),
        };
        var outputs = Coalesce.Run(new PacketCoalescer(), input);
        Assert.Equal([3, 1, 2], outputs.Select(o => o.Header.IsGso ? (o.Packet.Length - 60) / Mss : 1));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
    }

    [Fact]
    public void Interleaved_flows_merge_separately_in_order_of_their_first_packet()
    {
        var a = Coalesce.Segments(TestFlow.TcpV4(1), 4, Mss);
        var b = Coalesce.Segments(TestFlow.TcpV6(2), 4, Mss, salt: 50);
        var u = Coalesce.Segments(TestFlow.UdpV4(3), 4, 1200, salt: 90);
        var input = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            input.AddRange([a[i], b[i], u[i]]);
        }
        var outputs = Coalesce.Run(new PacketCoalescer(coalesceUdp: true), input);
        Assert.Equal([VirtioGsoType.TcpV4, VirtioGsoType.TcpV6, VirtioGsoType.UdpL4], outputs.Select(o => o.Header.GsoType));
        Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.UdpL4, 28, 1200, 20, 6), outputs[2].Header);
        Assert.Equal([.. a, .. b, .. u], Coalesce.SplitAll(outputs));
        // Without USO on the device UDP passes through one by one.
        var noUdp = Coalesce.Run(new PacketCoalescer(coalesceUdp: false), input);
        Assert.Equal(2 + 4, noUdp.Count);
        Assert.Equal(4, noUdp.Count(o => o.Header == default));
    }

    [Fact]
    public void A_barrier_of_the_flow_finishes_its_super_packet_before_it()
    {
        var flow = TestFlow.TcpV4();
        var input = Coalesce.Segments(flow, 5, Mss);
        input.Insert(2, flow.Packet([], 1000 + (2 * Mss), 0x11, 99)); // FIN, no payload: a barrier
        var outputs = Coalesce.Run(new PacketCoalescer(), input);
        Assert.Equal([true, false, true], outputs.Select(o => o.Header.IsGso)); // [0,1] FIN [2,3,4]
        Assert.Equal(input, Coalesce.SplitAll(outputs));
    }

    [Fact]
    public void Udp_rules_zero_checksum_segment_cap_and_sizes()
    {
        var flow = TestFlow.UdpV4();
        var zero = flow.Packet(Buffers.Payload(500), id: 3);
        zero[26] = zero[27] = 0; // IPv4 UDP without checksum: not merged (splitting would add one)
        var input = Coalesce.Segments(flow, 3, 500);
        input.Insert(3, zero);
        var outputs = Coalesce.Run(new PacketCoalescer(coalesceUdp: true), input);
        Assert.Equal([true, false], outputs.Select(o => o.Header.IsGso));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
        var many = Coalesce.Segments(TestFlow.UdpV6(), 130, 200);
        var capped = Coalesce.Run(new PacketCoalescer(coalesceUdp: true), many);
        Assert.Equal([64, 64, 2], capped.Select(o => (o.Packet.Length - 48) / 200));
        Assert.Equal(many, Coalesce.SplitAll(capped));
    }

    [Fact]
    public void Twelve_byte_headers_and_single_packets_pass_through_with_a_none_header()
    {
        var p = TestFlow.TcpV4().Packet(Buffers.Payload(10), 1, 0x18, 1);
        var icmp = Vectors.EchoRequestV4;
        var outputs = Coalesce.Run(new PacketCoalescer(VirtioNetHeader.MergeableSize), [p, icmp, [0x60, 1, 2]]);
        Assert.Equal(3, outputs.Count);
        Assert.All(outputs, o => Assert.Equal(default, o.Header));
        Assert.Equal(p, outputs[0].Packet);
        Assert.Equal(icmp, outputs[1].Packet);
        Assert.Equal([0x60, 1, 2], outputs[2].Packet);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketCoalescer(11));
        Assert.Throws<ArgumentException>(() => new PacketCoalescer().Coalesce(new Memory<byte>[2], new Memory<byte>[1], new int[2], 0));
    }

    [Fact]
    public void Written_slices_are_ready_for_the_device_queue()
    {
        var input = Coalesce.Segments(TestFlow.TcpV4(), 3, Mss);
        input.Add(Vectors.EchoRequestV4);
        var packets = input.Select(p => (Memory<byte>)p).ToArray();
        var outputs = Buffers.Make(4, 8 + 10 + 65535);
        var sizes = new int[4];
        var written = new Memory<byte>[4];
        Assert.Equal(2, new PacketCoalescer().Coalesce(packets, outputs, sizes, 8, written));
        Assert.Equal([8 + 10 + 52 + (3 * Mss), 8 + 10 + Vectors.EchoRequestV4.Length], written.Take(2).Select(w => w.Length));
        Assert.True(written[1].Span[18..].SequenceEqual(Vectors.EchoRequestV4));
        Assert.True(written[2].IsEmpty);
        Assert.Throws<ArgumentException>(() => new PacketCoalescer().Coalesce(packets, outputs, sizes, 8, new Memory<byte>[3]));
    }

    private static byte[] Corrupt(byte[] p, int at)
    {
        p[at] ^= 0x01;
        return p;
    }

    private static byte[] WithIpOptions(byte[] p)
    {
        // Insert 4 bytes of NOP options and recompute lengths and the header checksum.
        var b = new byte[p.Length + 4];
        p.AsSpan(0, 20).CopyTo(b);
        b[20] = b[21] = b[22] = b[23] = 1;
        p.AsSpan(20).CopyTo(b.AsSpan(24));
        b[0] = 0x46;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)b.Length);
        b[10] = b[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(10), Build.NaiveChecksum(b[..24]));
        return b;
    }

    private static byte[] WithHopByHop(byte[] p)
    {
        // An 8-byte hop-by-hop header (PadN) between the IPv6 and TCP headers; the TCP checksum stays valid.
        var b = new byte[p.Length + 8];
        p.AsSpan(0, 40).CopyTo(b);
        b[6] = 0;
        b[40] = 6;
        b[42] = 1;
        b[43] = 4;
        p.AsSpan(40).CopyTo(b.AsSpan(48));
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)(b.Length - 40));
        return b;
    }

    private static byte[] Fragment(byte[] p)
    {
        p[6] |= 0x20; // MF
        p[10] = p[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Build.NaiveChecksum(p[..20]));
        return p;
    }
}

using SharpTun.IO;
using SharpTun.Packets.Offload;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>The one coalescing tun write path of the relay and WireGuard, and the read → write round trip.</summary>
public sealed class TunCoalescingWriterTests(ITestOutputHelper output)
{
    private const PacketOffloads Tso = PacketOffloads.Checksum | PacketOffloads.TcpSegmentation;
    private const PacketOffloads TsoUso = Tso | PacketOffloads.UdpSegmentation;

    /// <summary>100 segments of 1000 bytes go in runs of 48: three super-packets, each written as one output.</summary>
    [Fact]
    public void A_flow_is_merged_run_by_run_into_super_packets()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size, Tso);
        var writer = new TunCoalescingWriter(tun);
        var flow = TestFlow.TcpV4();
        var segments = Coalesce.Segments(flow, 100, 1000);
        var input = WithHeadroom(segments, 7);

        var r = writer.Write(input, 7);

        Assert.Equal(new TunWriteResult(100, segments.Sum(s => (long)s.Length), 3, 0, 0, 3, 100), r);
        Assert.Equal(3, tun.Written.Count);
        Assert.Equal(segments, SplitWritten(tun.Written, VirtioNetHeader.Size));
        Assert.All(tun.Written, w => Assert.True(Header(w).IsGso));
    }

    [Theory]
    [InlineData(Tso, 20)]
    [InlineData(TsoUso, 1)]
    public void Udp_datagrams_are_merged_only_when_the_device_took_uso(PacketOffloads offloads, int outputs)
    {
        var tun = new ScriptedTun(VirtioNetHeader.MergeableSize, offloads);
        var writer = new TunCoalescingWriter(tun);
        var datagrams = Coalesce.Segments(TestFlow.UdpV6(), 20, 1200);

        var r = writer.Write(WithHeadroom(datagrams, 0), 0);

        Assert.Equal(offloads == TsoUso, writer.CoalescesUdp);
        Assert.Equal((20, outputs, outputs == 1 ? 1 : 0), (r.Packets, r.Outputs, r.SuperPackets));
        Assert.Equal(datagrams, SplitWritten(tun.Written, VirtioNetHeader.MergeableSize));
    }

    /// <summary>The device takes the first 2 of 3 outputs: those count as one packet each, the refused one as one loss.</summary>
    [Fact]
    public void Refused_outputs_count_once_each_and_taken_ones_as_one_packet()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size, Tso) { AcceptPerWrite = 2 };
        var writer = new TunCoalescingWriter(tun);
        var a = Coalesce.Segments(TestFlow.TcpV4(1000), 5, 1000);
        var b = Coalesce.Segments(TestFlow.TcpV4(1001), 5, 1000);
        var c = Coalesce.Segments(TestFlow.TcpV6(1002), 5, 1000);

        var r = writer.Write(WithHeadroom([.. a, .. b, .. c], 0), 0);

        Assert.Equal(3, r.Outputs);
        Assert.Equal((2, 1, 1), (r.Packets, r.OutputsRefused, r.Lost));
        Assert.Equal(tun.Written.Sum(w => (long)w.Length - VirtioNetHeader.Size), r.Bytes);
        Assert.Equal([.. a, .. b], SplitWritten(tun.Written, VirtioNetHeader.Size));
    }

    /// <summary>
    /// A packet longer than 64 KB cannot be written: it is lost (TooBig), and - unlike the relay's old
    /// DeviceWriter, which counted every input's bytes as delivered once all outputs went in - its bytes
    /// are not counted as delivered.
    /// </summary>
    [Fact]
    public void A_packet_over_64_KB_is_lost_and_its_bytes_are_not_counted()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size, Tso);
        var writer = new TunCoalescingWriter(tun);
        var small = TestFlow.TcpV4().Packet(Buffers.Payload(100));
        var huge = new byte[70000];
        huge[0] = 0x45;

        var r = writer.Write(new Memory<byte>[] { small, huge }, 0);

        Assert.Equal((1, (long)small.Length, 1, 1, 0), (r.Packets, r.Bytes, r.TooBig, r.Lost, r.OutputsRefused));
        Assert.Equal([small], SplitWritten(tun.Written, VirtioNetHeader.Size));
    }

    [Fact]
    public void A_device_without_a_header_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => new TunCoalescingWriter(new ScriptedTun(0)));
        Assert.StartsWith("device 'scripted0' has no virtio-net header", e.Message);
    }

    /// <summary>
    /// Seeded: random reads (plain, partial checksum, TSO/USO super-packets of random MSS, several flows) through
    /// the reader give exactly the wire stream; that stream through the writer, split again as the kernel would,
    /// gives back every flow in order.
    /// </summary>
    [Fact]
    public void Split_then_coalesce_gives_back_the_stream()
    {
        var rng = new Random(TestSeed.Get(output));
        long wire = 0, outputs = 0, rounds = 0, handedOverEarly = 0;
        for (var run = 0; run < 40; run++)
        {
            var vnet = rng.Next(2) == 0 ? VirtioNetHeader.Size : VirtioNetHeader.MergeableSize;
            var reads = new ScriptedTun(vnet, TsoUso);
            var reader = new TunOffloadReader(reads, headroom: 16, maxPacket: 65535, maxSegment: 1500, tailroom: 32);
            var flows = Enumerable.Range(0, rng.Next(1, 5)).Select(i => OffloadPropertyTests.RandomFlow(rng, (ushort)(5000 + i)) with { Options = [] }).ToArray();
            var seq = flows.Select(_ => (uint)rng.Next()).ToArray();
            var id = flows.Select(_ => (ushort)rng.Next(65536)).ToArray();
            var expected = new List<byte[]>();
            var count = rng.Next(1, 30);
            for (var i = 0; i < count; i++)
            {
                var f = rng.Next(flows.Length);
                var flow = flows[f];
                var mss = rng.Next(3) switch
                {
                    0 => 1500 - flow.HeaderLength,
                    1 => rng.Next(100, 400),
                    _ => rng.Next(400, 1500 - flow.HeaderLength),
                };
                // Up to 200 segments a read: four such reads overflow the 256 segment slots mid-batch.
                var segments = flow.Tcp ? rng.Next(1, 200) : rng.Next(1, 64);
                var payload = Buffers.Random(rng, Math.Min(65535 - flow.HeaderLength, (mss * (segments - 1)) + rng.Next(1, mss + 1)));
                var kind = rng.Next(3);
                if (kind == 0 || payload.Length <= mss)
                {
                    payload = payload[..Math.Min(payload.Length, mss)];
                    var full = flow.Packet(payload, seq[f], 0x10, id[f]);
                    if (kind == 1)
                    {
                        var (h, partial) = flow.SuperPacket(payload, mss, seq[f], 0x10, id[f]);
                        reads.Enqueue(h with { GsoType = VirtioGsoType.None, GsoSize = 0 }, partial);
                    }
                    else
                    {
                        reads.Enqueue(default, full);
                    }
                    expected.Add(kind == 1 ? TunOffloadReaderTests.Completed(full, flow) : full);
                    seq[f] += (uint)payload.Length;
                    id[f]++;
                    continue;
                }
                var (sh, sp) = flow.SuperPacket(payload, mss, seq[f], 0x10, id[f]);
                reads.Enqueue(sh, sp);
                var split = TunOffloadReaderTests.Segments(flow, payload, mss, seq[f], id[f]);
                expected.AddRange(split);
                seq[f] += (uint)payload.Length;
                id[f] += (ushort)split.Count;
            }

            var stream = new List<byte[]>();
            var tun = new ScriptedTun(vnet, TsoUso);
            var writer = new TunCoalescingWriter(tun);
            var written = default(TunWriteResult);
            while (reader.Read() > 0)
            {
                while (reader.Next())
                {
                    stream.AddRange(TunOffloadReaderTests.Packets(reader));
                    // The segment slots are written straight from the reader (at its packet offset), as an engine would.
                    written += writer.Write(reader.Packets.ToArray().Select((m, j) => m[..(reader.PacketOffset + reader.Lengths[j])]).ToArray(), reader.PacketOffset);
                    rounds++;
                    handedOverEarly += reader.Remaining > 0 ? 1 : 0;
                }
                Assert.Equal(0, reader.Refused);
            }

            Assert.Equal(expected, stream);
            Assert.Equal((stream.Count, 0), (written.Packets, written.Lost));
            Assert.Equal(tun.Written.Count, written.Outputs);
            Assert.Equal(tun.Written.Count(w => Header(w).IsGso), written.SuperPackets);
            var back = SplitWritten(tun.Written, vnet);
            Assert.Equal(ByFlow(stream), ByFlow(back));
            Assert.Equal(stream.Count, back.Count);
            wire += stream.Count;
            outputs += written.Outputs;
        }
        output.WriteLine($"{wire} wire packets in {rounds} rounds ({handedOverEarly} with the segment slots full) became {outputs} tun writes");
        Assert.True(handedOverEarly > 0, "some batches should fill the segment slots");
        Assert.True(outputs < wire / 2, "contiguous segments should mostly merge");
    }

    /// <summary>Read, split, hand over and coalesce-write a batch of super-packets: 0 bytes allocated per batch.</summary>
    [Fact]
    public void Reading_and_writing_allocate_nothing_per_packet()
    {
        var reads = new ScriptedTun(VirtioNetHeader.Size, TsoUso);
        var reader = new TunOffloadReader(reads, headroom: 16, maxPacket: 65535, maxSegment: 1500, tailroom: 32);
        var tun = new ScriptedTun(VirtioNetHeader.Size, TsoUso);
        var writer = new TunCoalescingWriter(tun);
        var (h, p) = TestFlow.TcpV4().SuperPacket(Buffers.Payload(60000), 1448);
        var (hu, pu) = TestFlow.UdpV6().SuperPacket(Buffers.Payload(40 * 1000), 1000);
        var frames = new[] { Frame(h, p), Frame(hu, pu), Frame(h, p), Frame(default, TestFlow.TcpV4().Packet(Buffers.Payload(10))) };
        tun.Record = false;
        var exact = new Memory<byte>[reader.Capacity];
        var wrong = 0; // xunit's Assert allocates: count mismatches inside the measured loop instead
        void Once()
        {
            foreach (var f in frames)
            {
                reads.EnqueueRaw(f);
            }
            wrong += reader.Read() == 4 ? 0 : 1;
            while (reader.Next())
            {
                var n = reader.Packets.Length;
                for (var i = 0; i < n; i++)
                {
                    exact[i] = reader.Packets[i][..(reader.PacketOffset + reader.Lengths[i])];
                }
                var r = writer.Write(exact.AsSpan(0, n), reader.PacketOffset);
                wrong += r.Lost + (r.Packets == n ? 0 : 1);
            }
        }
        // Warm enough for every method to reach its final tier (on-stack replacement included), as the pump tests do.
        for (var i = 0; i < 300; i++)
        {
            Once();
        }
        Assert.Equal(0, Allocation.SteadyState(100, _ => Once()));
        Assert.Equal(0, wrong);
        // 42 + 40 + 42 segments and one plain packet a batch; the TCP segments of a flow merge, the UDP ones too (USO).
        Assert.True(tun.Taken < 120 * 400, $"{tun.Taken} outputs written");
    }

    private static byte[] Frame(VirtioNetHeader h, byte[] p)
    {
        var f = new byte[VirtioNetHeader.Size + p.Length];
        h.TryWrite(f);
        p.CopyTo(f, VirtioNetHeader.Size);
        return f;
    }

    private static Memory<byte>[] WithHeadroom(IReadOnlyList<byte[]> packets, int headroom) =>
        packets.Select(p =>
        {
            var b = new byte[headroom + p.Length];
            p.CopyTo(b, headroom);
            return (Memory<byte>)b;
        }).ToArray();

    private static VirtioNetHeader Header(byte[] output)
    {
        Assert.True(VirtioNetHeader.TryRead(output, out var h));
        return h;
    }

    /// <summary>Every written output split again (the kernel's GSO) into wire packets, in write order.</summary>
    private static List<byte[]> SplitWritten(IEnumerable<byte[]> written, int vnet) =>
        Coalesce.SplitAll(written.Select(w => (Header(w), w[vnet..])));

    /// <summary>
    /// Packets by flow (IP version and source port), in order within each. A TCP checksum of 0xFFFF (a completed
    /// partial checksum, CSUM_MANGLED_0) reads as 0x0000, what a from-scratch computation gives: the same value.
    /// </summary>
    private static Dictionary<string, List<string>> ByFlow(IEnumerable<byte[]> packets) =>
        packets.GroupBy(p => $"{p[0] >> 4}:{(p[0] >> 4 == 4 ? (p[20] << 8) | p[21] : (p[40] << 8) | p[41])}")
            .ToDictionary(g => g.Key, g => g.Select(Normalized).ToList());

    private static string Normalized(byte[] p)
    {
        var l4 = p[0] >> 4 == 4 ? 20 : 40;
        var tcp = p[0] >> 4 == 4 ? p[9] == 6 : p[6] == 6;
        var copy = (byte[])p.Clone();
        if (tcp && copy[l4 + 16] == 0xFF && copy[l4 + 17] == 0xFF)
        {
            copy[l4 + 16] = copy[l4 + 17] = 0;
        }
        return Convert.ToHexString(copy);
    }
}

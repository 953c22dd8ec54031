using SharpTun.IO;
using SharpTun.Packets.Offload;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>The one tun read path of the relay and WireGuard: plain reads, completed checksums, split super-packets, full segment slots.</summary>
public sealed class TunOffloadReaderTests(ITestOutputHelper output)
{
    [Fact]
    public void Without_a_header_reads_are_handed_over_where_they_lie_after_the_headroom()
    {
        var tun = new ScriptedTun(0, batchSize: 8);
        var flow = TestFlow.TcpV4();
        var packets = Enumerable.Range(0, 5).Select(i => flow.Packet(Buffers.Payload(100 + i, i), (uint)(i * 100))).ToList();
        foreach (var p in packets.Take(2))
        {
            tun.Enqueue(default, p);
        }
        tun.EnqueueRaw([]); // an empty read is nothing to send
        foreach (var p in packets.Skip(2))
        {
            tun.Enqueue(default, p);
        }
        var reader = new TunOffloadReader(tun, headroom: 2, maxPacket: 1500, plainBatch: 4);

        Assert.Equal((2, 2, 4), (reader.PacketOffset, reader.ReadOffset, reader.BatchSize));
        Assert.Equal(4, reader.Read());
        Assert.True(reader.Next());
        Assert.Equal(packets.Take(3), Packets(reader));
        Assert.False(reader.Next());
        Assert.Equal(2, reader.Read());
        Assert.Equal(packets.Skip(3), Drain(reader).SelectMany(r => r));
        Assert.Equal(0, reader.Read());
        Assert.Equal(0, reader.Errors.Total);
    }

    /// <summary>A plain header passes as it is; NEEDS_CSUM alone is completed in place and equals a full recompute (seeded).</summary>
    [Fact]
    public void Plain_and_partial_checksum_reads_give_the_fully_checksummed_packet()
    {
        var rng = new Random(TestSeed.Get(output));
        var completed = 0;
        for (var round = 0; round < 200; round++)
        {
            var vnet = rng.Next(2) == 0 ? VirtioNetHeader.Size : VirtioNetHeader.MergeableSize;
            var tun = new ScriptedTun(vnet);
            var reader = new TunOffloadReader(tun, headroom: rng.Next(0, 33), maxPacket: 1500, maxSegment: 1500);
            var expected = new List<byte[]>();
            for (var i = 0; i < TunOffloadReader.SuperPacketBatch; i++)
            {
                var flow = OffloadPropertyTests.RandomFlow(rng, (ushort)(2000 + i)) with { Options = [] };
                var payload = Buffers.Random(rng, rng.Next(0, 1400));
                var full = flow.Packet(payload, (uint)rng.Next(), 0x18, (ushort)rng.Next(65536));
                if (rng.Next(2) == 0)
                {
                    expected.Add(full);
                    tun.Enqueue(rng.Next(2) == 0 ? default : new VirtioNetHeader(VirtioNetFlags.DataValid, VirtioGsoType.None, 0, 0, 0, 0), full);
                }
                else
                {
                    var (h, partial) = flow.SuperPacket(payload, 1400, Seq(full, flow), 0x18, Id(full, flow));
                    completed += full.AsSpan().SequenceEqual(partial) ? 0 : 1; // the field held only the pseudo-header sum
                    expected.Add(Completed(full, flow));
                    tun.Enqueue(h with { GsoType = VirtioGsoType.None, GsoSize = 0 }, partial);
                }
            }
            Assert.Equal(4, reader.Read());
            var got = Drain(reader);
            Assert.Single(got);
            Assert.Equal(expected, got[0]);
            Assert.Equal((0, 0), (reader.SuperPacketsSplit, reader.Refused));
            Assert.True(reader.PacketOffset >= vnet);
        }
        Assert.True(completed > 100, $"{completed} partial checksums completed");
    }

    [Theory]
    [InlineData(false, true, 1448)]
    [InlineData(true, true, 1428)]
    [InlineData(false, false, 1472)]
    [InlineData(true, false, 1000)]
    public void Super_packets_are_split_into_wire_packets_with_headroom_and_tailroom(bool v6, bool tcp, int mss)
    {
        var flow = (v6, tcp) switch
        {
            (false, true) => TestFlow.TcpV4(),
            (true, true) => TestFlow.TcpV6(),
            (false, false) => TestFlow.UdpV4(),
            _ => TestFlow.UdpV6(),
        };
        var tun = new ScriptedTun(VirtioNetHeader.Size, PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation);
        var reader = new TunOffloadReader(tun, headroom: 16, maxPacket: 65535, maxSegment: 1500, tailroom: 32);
        var payload = Buffers.Payload(40000, 3);
        var (h, p) = flow.SuperPacket(payload, mss, seq: 7000, id: 100);
        tun.Enqueue(h, p);

        Assert.Equal(1, reader.Read());
        var got = Drain(reader).SelectMany(r => r).ToList();

        Assert.Equal(Segments(flow, payload, mss, 7000, 100), got);
        Assert.Equal((1, got.Count, 0), (reader.SuperPacketsSplit, reader.SegmentsSplit, reader.Refused));
        Assert.Equal(16, reader.PacketOffset);
    }

    [Fact]
    public void Segments_keep_the_tailroom_free_behind_them()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size);
        var reader = new TunOffloadReader(tun, headroom: 16, maxPacket: 65535, maxSegment: 1500, tailroom: 32);
        var flow = TestFlow.TcpV4();
        var mss = 1500 - flow.HeaderLength;
        var (h, p) = flow.SuperPacket(Buffers.Payload(10 * mss), mss);
        tun.Enqueue(h, p);
        reader.Read();
        Assert.True(reader.Next());
        Assert.Equal(10, reader.Packets.Length);
        for (var i = 0; i < reader.Packets.Length; i++)
        {
            Assert.Equal(1500, reader.Lengths[i]);
            Assert.True(reader.Packets[i].Length >= 16 + 1500 + 32, $"segment {i}: slot of {reader.Packets[i].Length} bytes");
        }
    }

    /// <summary>4 reads × 100 segments do not fit 256 slots: two rounds of 200, in order, nothing lost.</summary>
    [Fact]
    public void Full_segment_slots_hand_over_what_is_ready_then_go_on_without_loss()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size);
        var reader = new TunOffloadReader(tun, headroom: 2, maxPacket: 65535, maxSegment: 1500);
        var expected = new List<byte[]>();
        for (var i = 0; i < 4; i++)
        {
            var flow = TestFlow.TcpV4((ushort)(3000 + i));
            var payload = Buffers.Payload(100 * 500, i);
            var (h, p) = flow.SuperPacket(payload, 500, seq: 1, id: 1);
            tun.Enqueue(h, p);
            expected.AddRange(Segments(flow, payload, 500, 1, 1));
        }
        Assert.Equal(4, reader.Read());

        Assert.True(reader.Next());
        Assert.Equal((200, 2), (reader.Packets.Length, reader.Remaining));
        var first = Packets(reader);
        Assert.True(reader.Next());
        Assert.Equal((200, 0), (reader.Packets.Length, reader.Remaining));
        var second = Packets(reader);
        Assert.False(reader.Next());

        Assert.Equal(expected, first.Concat(second));
        Assert.Equal((4, 400, 0), (reader.SuperPacketsSplit, reader.SegmentsSplit, reader.Refused));
    }

    [Fact]
    public void Abandon_ends_the_batch_and_says_how_many_reads_it_dropped()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size);
        var reader = new TunOffloadReader(tun, headroom: 2, maxPacket: 65535, maxSegment: 1500);
        for (var i = 0; i < 4; i++)
        {
            var (h, p) = TestFlow.TcpV6((ushort)(3000 + i)).SuperPacket(Buffers.Payload(120 * 400), 400);
            tun.Enqueue(h, p);
        }
        reader.Read();
        Assert.True(reader.Next());
        Assert.Equal(240, reader.Packets.Length);
        Assert.Equal(2, reader.Abandon());
        Assert.Equal(0, reader.Remaining);
        Assert.True(reader.Packets.IsEmpty);
        Assert.False(reader.Next());
    }

    /// <summary>Each refusal is counted by cause in the errors given (the caller's statistics), and the reads around it still go.</summary>
    [Fact]
    public void Refused_reads_are_counted_by_cause_and_the_others_go_on()
    {
        var tun = new ScriptedTun(VirtioNetHeader.Size);
        var errors = new OffloadErrorCounters();
        var reader = new TunOffloadReader(tun, headroom: 16, maxPacket: 65535, maxSegment: 1280, errors: errors);
        Assert.Same(errors, reader.Errors);
        var flow = TestFlow.TcpV4();
        var good = flow.Packet(Buffers.Payload(64));
        tun.Enqueue(default, good);
        tun.EnqueueRaw(new byte[5]);                                                            // shorter than the header
        var (h, p) = flow.SuperPacket(Buffers.Payload(300 * 100), 100);
        tun.Enqueue(h, p);                                                                      // 300 segments: more than all slots
        tun.Enqueue(h with { GsoType = (VirtioGsoType)2 }, p);                                  // no such GSO type
        tun.Enqueue(default, good);
        var (big, bp) = flow.SuperPacket(Buffers.Payload(3 * 1400), 1400);
        tun.Enqueue(big, bp);                                                                   // segments larger than a slot (MTU 1280)
        tun.Enqueue(h with { GsoType = VirtioGsoType.None, ChecksumStart = 60000 }, good);       // checksum outside the packet

        Assert.Equal(4, reader.Read());
        var first = Drain(reader).SelectMany(r => r).ToList();
        Assert.Equal(3, reader.Refused);
        Assert.Equal(3, reader.Read());
        var second = Drain(reader).SelectMany(r => r).ToList();
        Assert.Equal(2, reader.Refused);

        Assert.Equal([good], first);
        Assert.Equal([good], second);
        Assert.Equal(1, errors[OffloadError.HeaderTooShort]);
        Assert.Equal(1, errors[OffloadError.TooFewBuffers]);
        Assert.Equal(1, errors[OffloadError.UnknownGsoType]);
        Assert.Equal(1, errors[OffloadError.BufferTooSmall]);
        Assert.Equal(1, errors[OffloadError.ChecksumOutOfRange]);
        Assert.Equal(5, errors.Total);
    }

    [Fact]
    public void A_segment_slot_must_hold_a_minimum_packet()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TunOffloadReader(new ScriptedTun(10), 16, 65535, maxSegment: 0));
        Assert.Contains("device 'scripted0' has a virtio-net header", e.Message);
        Assert.Equal(260, TunOffloadReader.CapacityFor(new ScriptedTun(10)));
        Assert.Equal(260, new TunOffloadReader(new ScriptedTun(10), 16, 65535, maxSegment: 1500).Capacity);
        Assert.Equal(32, TunOffloadReader.CapacityFor(new ScriptedTun(0)));
    }

    internal static List<byte[]> Packets(TunOffloadReader reader)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < reader.Packets.Length; i++)
        {
            list.Add(reader.Packets[i].Span.Slice(reader.PacketOffset, reader.Lengths[i]).ToArray());
        }
        return list;
    }

    /// <summary>Every round of the batch (what <see cref="TunOffloadReader.Next"/> handed over each time).</summary>
    internal static List<List<byte[]>> Drain(TunOffloadReader reader)
    {
        var rounds = new List<List<byte[]>>();
        while (reader.Next())
        {
            rounds.Add(Packets(reader));
        }
        return rounds;
    }

    /// <summary>What the kernel's GSO makes of <paramref name="payload"/> sent as one flow with this MSS.</summary>
    internal static List<byte[]> Segments(TestFlow flow, byte[] payload, int mss, uint seq, ushort id)
    {
        var list = new List<byte[]>();
        for (var i = 0; i * mss < payload.Length; i++)
        {
            var chunk = payload.AsSpan(i * mss, Math.Min(mss, payload.Length - (i * mss))).ToArray();
            list.Add(flow.Packet(chunk, seq + (uint)(i * mss), 0x10, (ushort)(id + i)));
        }
        return list;
    }

    /// <summary>
    /// <paramref name="full"/> as completing its partial checksum gives it: a computed 0 is stored as 0xFFFF
    /// (CSUM_MANGLED_0, as the kernel's skb_checksum_help does), for TCP too - the same value in one's complement.
    /// </summary>
    internal static byte[] Completed(byte[] full, TestFlow flow)
    {
        var at = flow.IpHeaderLength + (flow.Tcp ? 16 : 6);
        var copy = (byte[])full.Clone();
        if (copy[at] == 0 && copy[at + 1] == 0)
        {
            copy[at] = copy[at + 1] = 0xFF;
        }
        return copy;
    }

    private static uint Seq(byte[] packet, TestFlow flow) =>
        flow.Tcp ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(flow.IpHeaderLength + 4)) : 0;

    private static ushort Id(byte[] packet, TestFlow flow) =>
        flow.V6 ? (ushort)0x4242 : System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(4));
}

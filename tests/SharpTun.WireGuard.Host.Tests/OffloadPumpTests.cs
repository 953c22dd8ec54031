using System.Buffers.Binary;
using SharpTun.Packets;
using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The pumps with tun offloads, over fakes: a TSO/USO super-packet read from B's tun is split,
/// sealed and sent as wire-sized datagrams; A decrypts them and writes them to its tun coalesced
/// again (GRO). Judged independently: the written super-packets are split by the kernel's rules
/// (<see cref="GsoSplitter"/>) and compared byte for byte with the packets
/// <see cref="TestFlow"/> lays out itself, checksums recomputed by the library's RFC 1071 code.
/// </summary>
public sealed class OffloadPumpTests
{
    private const PacketOffloads All = PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation;
    private const int Vnet = VirtioNetHeader.Size;

    // B (198.19.0.2) sends to A (198.19.0.1): the flows as the kernel in B would hand them to its tun.
    private static readonly TestFlow TcpV4 = new(false, true, "198.19.0.2", "198.19.0.1", 40000, 5201)
    {
        Options = [1, 1, 8, 10, 0, 1, 0xe2, 0x40, 0, 0, 0x30, 0x39],
    };

    private static readonly TestFlow UdpV4 = new(false, false, "198.19.0.2", "198.19.0.1", 40002, 5201);

    [Theory]
    [InlineData(true, 1368, 64000)]
    [InlineData(true, 1368, 1368 * 3 + 7)]
    [InlineData(false, 1372, 1372 * 20)]
    public void SuperPacket_IsSplitSealedAndCoalescedAgain_ByteForByte(bool tcp, int gsoSize, int payloadLength)
    {
        using var pair = Handshaken();
        var flow = tcp ? TcpV4 : UdpV4;
        var payload = Payload(payloadLength, seed: gsoSize);
        var (header, packet) = flow.SuperPacket(payload, gsoSize, seq: 1_000_000, flags: 0x18);
        var segments = (payloadLength + gsoSize - 1) / gsoSize;
        var sentBefore = pair.BindB.SentCount;

        pair.TunB.Inject(WithHeader(header, packet));
        Assert.True(pair.B.PumpTunOnce());

        Assert.Equal(segments, pair.BindB.SentCount - sentBefore);
        Assert.Equal(1, pair.B.Offloads.SuperPacketsRead);
        Assert.Equal(segments, pair.B.Offloads.SegmentsSplit);
        while (pair.BindA.Inbox.Count > 0)
        {
            Assert.True(pair.A.PumpNetOnce()); // the fake bind hands over 16 datagrams a batch
        }

        var expected = ExpectedSegments(flow, payload, gsoSize, seq: 1_000_000, flags: 0x18);
        var got = WrittenPackets(pair.TunA);
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(got[i]), $"segment {i} of {expected.Count} differs");
        }
        Assert.True(pair.A.Offloads.SuperPacketsWritten >= 1, "A wrote no super-packet: GRO did not happen");
        Assert.Equal(segments, pair.A.Offloads.PacketsCoalesced);
        Assert.Equal(0, pair.A.Drops.Total);
        Assert.Equal(0, pair.B.Drops.Total);
    }

    [Fact]
    public void PartialChecksum_WithoutGso_IsCompletedBeforeSealing()
    {
        using var pair = Handshaken();
        var payload = Payload(300, seed: 3);
        var (header, packet) = UdpV4.SuperPacket(payload, gsoSize: 1000); // one segment's worth
        var plain = new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.None, 0, 0, header.ChecksumStart, header.ChecksumOffset);

        pair.TunB.Inject(WithHeader(plain, packet));
        pair.B.PumpTunOnce();
        pair.A.PumpNetOnce();

        var got = WrittenPackets(pair.TunA);
        Assert.Single(got);
        Assert.True(UdpV4.Packet(payload).AsSpan().SequenceEqual(got[0]), "the checksum was not completed as RFC 768 says");
        Assert.Equal(0, pair.B.Offloads.SuperPacketsRead);
    }

    /// <summary>
    /// One read batch of 4 super-packets × 100 segments: more than the 256 segment slots, so the pump seals and
    /// sends what is ready in the middle of the batch and reuses the slots (TunOffloadReader.Next): nothing lost,
    /// every flow arrives byte for byte and in order.
    /// </summary>
    [Fact]
    public void FullSegmentSlots_AreSentMidBatch_AndReused_NothingLost()
    {
        using var pair = Handshaken();
        var expected = new List<byte[]>();
        for (var f = 0; f < TunOffloadReader.SuperPacketBatch; f++)
        {
            var flow = TcpV4 with { SourcePort = (ushort)(41000 + f) };
            var payload = Payload(100 * 500, seed: f);
            var (header, packet) = flow.SuperPacket(payload, 500, seq: 7_000, flags: 0x10);
            pair.TunB.Inject(WithHeader(header, packet));
            expected.AddRange(ExpectedSegments(flow, payload, 500, seq: 7_000, flags: 0x10));
        }
        var sentBefore = pair.BindB.SentCount;

        Assert.True(pair.B.PumpTunOnce());

        Assert.Equal(400, pair.BindB.SentCount - sentBefore);
        Assert.Equal((4, 400), (pair.B.Offloads.SuperPacketsRead, pair.B.Offloads.SegmentsSplit));
        while (pair.BindA.Inbox.Count > 0)
        {
            Assert.True(pair.A.PumpNetOnce());
        }
        var got = WrittenPackets(pair.TunA);
        Assert.Equal(expected.Count, got.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(got[i]), $"segment {i} of {expected.Count} differs");
        }
        Assert.Equal(0, pair.A.Drops.Total + pair.B.Drops.Total);
    }

    [Fact]
    public void MalformedVirtioHeader_IsDroppedAndCounted_NothingSent()
    {
        using var pair = Handshaken();
        var (header, packet) = TcpV4.SuperPacket(Payload(5000, seed: 4), 1368);
        var sentBefore = pair.BindB.SentCount;
        // gso_size 0 with a TCP GSO type: the kernel never makes this; a hostile or buggy writer might.
        pair.TunB.Inject(WithHeader(header with { GsoSize = 0 }, packet));
        // A GSO type the splitter does not know.
        pair.TunB.Inject(WithHeader(header with { GsoType = (VirtioGsoType)0x7f }, packet));
        // Shorter than a virtio-net header.
        pair.TunB.Inject(new byte[4]);
        pair.B.PumpTunOnce();

        Assert.Equal(sentBefore, pair.BindB.SentCount);
        Assert.Equal(3, pair.B.Drops[DropReason.Malformed]);
        Assert.Equal(3, pair.B.Offloads.Errors.Total);
        Assert.Equal(0, pair.B.Offloads.SuperPacketsRead);
    }

    [Fact]
    public void PlainPackets_PassThroughBehindNoneHeaders()
    {
        using var pair = Handshaken();
        var ping = Packets.Echo("198.19.0.2", "198.19.0.1", payload: 1000);
        pair.TunB.Inject(WithHeader(default, ping));
        pair.B.PumpTunOnce();
        pair.A.PumpNetOnce();
        var written = new byte[65600];
        var n = pair.TunA.Written.Pop(written, out _);
        Assert.Equal(Vnet + ping.Length, n);
        Assert.True(VirtioNetHeader.TryRead(written, out var h));
        Assert.True(TunOffload.IsPlain(h));
        Assert.True(ping.AsSpan().SequenceEqual(written.AsSpan(Vnet, ping.Length)));
    }

    [Fact]
    public void SteadyState_WithOffloads_AllocatesNothingPerPacket()
    {
        using var pair = Handshaken();
        var (header, packet) = TcpV4.SuperPacket(Payload(1368 * 16, seed: 5), 1368);
        var frame = WithHeader(header, packet);
        var sink = new byte[65600];
        void Round()
        {
            pair.TunB.Inject(frame);
            pair.B.PumpTunOnce();
            while (pair.BindA.Inbox.Count > 0)
            {
                pair.A.PumpNetOnce();
            }
            while (pair.TunA.Written.Count > 0)
            {
                pair.TunA.Written.Pop(sink, out _);
            }
        }
        for (var i = 0; i < 300; i++)
        {
            Round();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 200; i++)
        {
            Round();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated for {200 * 16} packets");
        Assert.Equal(0, pair.A.Drops.Total);
        Assert.Equal(0, pair.B.Drops.Total);
    }

    /// <summary>A pair with offloads whose session is up (a ping each way, its writes drained).</summary>
    private static FakePair Handshaken()
    {
        var pair = new FakePair(offloads: All);
        pair.TunA.Inject(WithHeader(default, Packets.Echo("198.19.0.1", "198.19.0.2")));
        pair.Settle();
        pair.TunB.Inject(WithHeader(default, Packets.Echo("198.19.0.2", "198.19.0.1", type: 0)));
        pair.Settle();
        var sink = new byte[65600];
        while (pair.TunA.Written.Count > 0)
        {
            pair.TunA.Written.Pop(sink, out _);
        }
        while (pair.TunB.Written.Count > 0)
        {
            pair.TunB.Written.Pop(sink, out _);
        }
        Assert.NotNull(pair.A.GetPeers()[0].LatestHandshake);
        return pair;
    }

    private static byte[] WithHeader(in VirtioNetHeader header, byte[] packet)
    {
        var frame = new byte[Vnet + packet.Length];
        Assert.True(header.TryWrite(frame));
        packet.CopyTo(frame, Vnet);
        return frame;
    }

    private static byte[] Payload(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>The wire packets the super-packet stands for, laid out by <see cref="TestFlow"/> (not by the splitter).</summary>
    private static List<byte[]> ExpectedSegments(TestFlow flow, byte[] payload, int gsoSize, uint seq, byte flags)
    {
        var list = new List<byte[]>();
        for (int offset = 0, i = 0; offset < payload.Length; offset += gsoSize, i++)
        {
            var last = offset + gsoSize >= payload.Length;
            var f = last ? flags : (byte)(flags & ~0x09);
            list.Add(flow.Packet(payload[offset..Math.Min(payload.Length, offset + gsoSize)], seq + (uint)offset, f, (ushort)(0x4242 + i)));
        }
        return list;
    }

    /// <summary>Everything the tun got, each super-packet split again by the kernel's rules, checksums checked independently.</summary>
    private static List<byte[]> WrittenPackets(FakeTun tun)
    {
        var list = new List<byte[]>();
        var frame = new byte[65600];
        var buffers = Enumerable.Range(0, 64).Select(_ => (Memory<byte>)new byte[65600]).ToArray();
        var sizes = new int[64];
        while (tun.Written.Count > 0)
        {
            var n = tun.Written.Pop(frame, out _);
            Assert.True(n > Vnet);
            Assert.True(VirtioNetHeader.TryRead(frame, out var header));
            Assert.Equal(OffloadError.None, GsoSplitter.Split(frame.AsSpan(Vnet, n - Vnet), header, buffers, sizes, 0, out var count));
            for (var i = 0; i < count; i++)
            {
                var p = buffers[i].Span[..sizes[i]].ToArray();
                AssertChecksums(p);
                list.Add(p);
            }
        }
        return list;
    }

    private static void AssertChecksums(byte[] p)
    {
        Assert.Equal(4, p[0] >> 4);
        var ihl = (p[0] & 15) * 4;
        Assert.Equal(0, Checksum.Compute(p.AsSpan(0, ihl)));
        var protocol = p[9];
        var transport = p.AsSpan(ihl, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)) - ihl);
        Assert.Equal(0, Checksum.ComputeTransport(p.AsSpan(12, 4), p.AsSpan(16, 4), protocol, transport));
    }
}

using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

public sealed class GsoSplitterTests
{
    private const int Offset = 16;

    [Fact]
    public void Tso_v4_64k_super_packet_splits_into_46_segments_with_ids_sequence_flags_and_checksums()
    {
        var flow = TestFlow.TcpV4();
        var payload = Buffers.Payload(65535 - flow.HeaderLength);
        // ACK|PSH|CWR; sequence and ID wrap inside the burst.
        var (h, p) = flow.SuperPacket(payload, 1448, seq: 0xFFFF_F000, flags: 0x98, id: 0xFFF0);
        var buffers = Buffers.Make(64, Offset + 1500 + 32);
        var sizes = new int[64];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, Offset, out var n));
        Assert.Equal(46, n); // 65483 payload bytes = 45 × 1448 + 323
        for (var i = 0; i < n; i++)
        {
            var s = buffers[i].Span.Slice(Offset, sizes[i]);
            var take = i < 45 ? 1448 : 323;
            Assert.Equal(flow.HeaderLength + take, sizes[i]);
            Assert.Equal((ushort)(0xFFF0 + i), BinaryPrimitives.ReadUInt16BigEndian(s[4..]));
            Assert.Equal(0x40, s[6]); // DF kept
            Assert.Equal(64, s[8]);
            Assert.Equal(0xFFFF_F000u + (uint)(i * 1448), BinaryPrimitives.ReadUInt32BigEndian(s[24..]));
            Assert.Equal(i == 0 ? 0x90 : i == 45 ? 0x18 : 0x10, s[33]);
            Assert.True(s[40..52].SequenceEqual(flow.Options));
            Assert.True(s[52..].SequenceEqual(payload.AsSpan(i * 1448, take)));
            OffloadAssert.ChecksumsValid(s);
            Assert.True(buffers[i].Span[..Offset].IndexOfAnyExcept(Buffers.Marker) < 0);
            Assert.True(buffers[i].Span[(Offset + sizes[i])..].IndexOfAnyExcept(Buffers.Marker) < 0);
        }
        Assert.True(buffers[46].Span.IndexOfAnyExcept(Buffers.Marker) < 0);
    }

    [Fact]
    public void Tso_v6_keeps_fin_on_the_last_segment_and_sets_payload_lengths()
    {
        var flow = TestFlow.TcpV6();
        var payload = Buffers.Payload(10 * 1440 + 1);
        var (h, p) = flow.SuperPacket(payload, 1440, seq: 7, flags: 0x19); // ACK|PSH|FIN
        var buffers = Buffers.Make(11, 1500);
        var sizes = new int[11];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 0, out var n));
        Assert.Equal(11, n);
        for (var i = 0; i < n; i++)
        {
            var s = buffers[i].Span[..sizes[i]];
            Assert.Equal(sizes[i] - 40, BinaryPrimitives.ReadUInt16BigEndian(s[4..]));
            Assert.Equal(7u + (uint)(i * 1440), BinaryPrimitives.ReadUInt32BigEndian(s[44..]));
            Assert.Equal(i == 10 ? 0x19 : 0x10, s[53]);
            Assert.True(s[..4].SequenceEqual(p.AsSpan(0, 4))); // traffic class and flow label kept
            OffloadAssert.ChecksumsValid(s);
        }
        Assert.Equal(60 + 1, sizes[10]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Uso_splits_into_datagrams_with_lengths_and_checksums(bool v6)
    {
        var flow = v6 ? TestFlow.UdpV6() : TestFlow.UdpV4();
        var payload = Buffers.Payload(64 * 1000 - 17, salt: 3);
        var (h, p) = flow.SuperPacket(payload, 1000, id: 100);
        var buffers = Buffers.Make(64, 1100);
        var sizes = new int[64];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 8, out var n));
        Assert.Equal(64, n);
        for (var i = 0; i < n; i++)
        {
            var s = buffers[i].Span.Slice(8, sizes[i]);
            Assert.Equal(flow.HeaderLength + (i < 63 ? 1000 : 983), sizes[i]);
            if (!v6)
            {
                Assert.Equal(100 + i, BinaryPrimitives.ReadUInt16BigEndian(s[4..]));
            }
            Assert.True(s[flow.HeaderLength..].SequenceEqual(payload.AsSpan(i * 1000, i < 63 ? 1000 : 983)));
            OffloadAssert.ChecksumsValid(s);
        }
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public void Checksum_partial_without_gso_is_completed(bool v6, bool tcp)
    {
        var flow = tcp ? (v6 ? TestFlow.TcpV6() : TestFlow.TcpV4()) : (v6 ? TestFlow.UdpV6() : TestFlow.UdpV4());
        var (gso, p) = flow.SuperPacket(Buffers.Payload(333), 1400);
        var h = gso with { GsoType = VirtioGsoType.None, GsoSize = 0 };
        var buffers = Buffers.Make(1, 1000);
        var sizes = new int[1];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 4, out var n));
        Assert.Equal(1, n);
        OffloadAssert.ChecksumsValid(buffers[0].Span.Slice(4, sizes[0]));
        Assert.True(buffers[0].Span.Slice(4, sizes[0]).SequenceEqual(flow.Packet(Buffers.Payload(333))));
        // In place: the same result.
        Assert.Equal(OffloadError.None, GsoSplitter.CompleteChecksum(p, h));
        Assert.Equal(flow.Packet(Buffers.Payload(333)), p);
    }

    [Fact]
    public void Plain_packet_is_copied_unchanged_and_checksum_completion_refuses_gso()
    {
        var p = TestFlow.UdpV4().Packet(Buffers.Payload(100));
        var buffers = Buffers.Make(1, 200);
        var sizes = new int[1];
        var frame = new byte[10 + p.Length];
        p.CopyTo(frame, 10);
        Assert.Equal(OffloadError.None, GsoSplitter.Split(frame, 10, buffers, sizes, 0, out var n));
        Assert.Equal(1, n);
        Assert.Equal(p, buffers[0].Span[..sizes[0]].ToArray());
        var (h, sp) = TestFlow.TcpV4().SuperPacket(Buffers.Payload(3000), 1448);
        Assert.Equal(OffloadError.SplitRequired, GsoSplitter.CompleteChecksum(sp, h));
        Assert.Equal(OffloadError.HeaderTooShort, GsoSplitter.Split(frame.AsSpan(0, 9), 10, buffers, sizes, 0, out n));
        Assert.Equal(0, n);
    }

    [Fact]
    public void Too_few_or_too_small_buffers_are_refused()
    {
        var (h, p) = TestFlow.TcpV4().SuperPacket(Buffers.Payload(5 * 1448), 1448);
        var sizes = new int[8];
        Assert.Equal(OffloadError.TooFewBuffers, GsoSplitter.Split(p, h, Buffers.Make(4, 2000), sizes, 0, out var n));
        Assert.Equal(0, n);
        Assert.Equal(OffloadError.TooFewBuffers, GsoSplitter.Split(p, h, Buffers.Make(8, 2000), sizes.AsSpan(0, 4), 0, out _));
        Assert.Equal(OffloadError.BufferTooSmall, GsoSplitter.Split(p, h, Buffers.Make(5, 1499), sizes, 0, out _));
        Assert.Equal(OffloadError.BufferTooSmall, GsoSplitter.Split(p, h, Buffers.Make(5, 1500), sizes, 1, out _));
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, Buffers.Make(5, 1500), sizes, 0, out n));
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, Buffers.Make(5, 1500 + 64), sizes, 64, out n));
        Assert.Equal(5, n);
        var plain = TestFlow.UdpV4().Packet(Buffers.Payload(100));
        Assert.Equal(OffloadError.BufferTooSmall, GsoSplitter.Split(plain, default, Buffers.Make(1, 100), sizes, 0, out _));
        Assert.Equal(OffloadError.TooFewBuffers, GsoSplitter.Split(plain, default, [], sizes, 0, out _));
    }

    public static TheoryData<string, OffloadError> Malformations() => new()
    {
        { "csum_start past the IP header", OffloadError.ChecksumStartMismatch },
        { "csum_offset of UDP on TCP", OffloadError.ChecksumOffsetMismatch },
        { "csum field beyond the packet", OffloadError.ChecksumOutOfRange },
        { "TCPV4 on an IPv6 packet", OffloadError.IpVersionMismatch },
        { "TCPV6 on an IPv4 packet", OffloadError.IpVersionMismatch },
        { "UDP_L4 on a TCP packet", OffloadError.TransportMismatch },
        { "TCP data offset 4", OffloadError.TransportHeaderInvalid },
        { "TCP data offset past the end", OffloadError.TransportHeaderInvalid },
        { "IPv4 total length short", OffloadError.IpLengthMismatch },
        { "IPv6 payload length long", OffloadError.IpLengthMismatch },
        { "IPv4 more-fragments", OffloadError.Fragmented },
        { "IPv4 header length 16", OffloadError.IpHeaderInvalid },
        { "IP version 5", OffloadError.NotIp },
        { "gso_size beyond 64 KB", OffloadError.SegmentTooLarge },
        { "UFO", OffloadError.UnknownGsoType },
        { "GSO without NEEDS_CSUM", OffloadError.GsoWithoutChecksum },
        { "NEEDS_CSUM field beyond the packet", OffloadError.ChecksumOutOfRange },
    };

    [Theory]
    [MemberData(nameof(Malformations))]
    public void Malformed_super_packets_are_refused_with_their_reason(string what, OffloadError expected)
    {
        var v4 = TestFlow.TcpV4().SuperPacket(Buffers.Payload(4000), 1448);
        var v6 = TestFlow.TcpV6().SuperPacket(Buffers.Payload(4000), 1440);
        var (h, p) = what.Contains("IPv6", StringComparison.Ordinal) && !what.StartsWith("TCPV6", StringComparison.Ordinal) ? v6 : v4;
        switch (what)
        {
            case "csum_start past the IP header": h = h with { ChecksumStart = 24, ChecksumOffset = 12 }; break;
            case "csum_offset of UDP on TCP": h = h with { ChecksumOffset = 6 }; break;
            case "csum field beyond the packet": h = h with { ChecksumStart = 4040 }; break;
            case "TCPV4 on an IPv6 packet": (h, p) = (v6.Header with { GsoType = VirtioGsoType.TcpV4 }, v6.Packet); break;
            case "TCPV6 on an IPv4 packet": h = h with { GsoType = VirtioGsoType.TcpV6 }; break;
            case "UDP_L4 on a TCP packet": h = h with { GsoType = VirtioGsoType.UdpL4 }; break;
            case "TCP data offset 4": p[32] = 0x40; break;
            case "TCP data offset past the end": p = p[..60]; p[2] = 0; p[3] = 60; p[32] = 0xF0; break;
            case "IPv4 total length short": p[3]--; break;
            case "IPv6 payload length long": p[5]++; break;
            case "IPv4 more-fragments": p[6] |= 0x20; break;
            case "IPv4 header length 16": p[0] = 0x44; break;
            case "IP version 5": p[0] = 0x55; break;
            case "gso_size beyond 64 KB": h = h with { GsoSize = 65500 }; break;
            case "UFO": h = h with { GsoType = VirtioGsoType.Udp }; break;
            case "GSO without NEEDS_CSUM": h = h with { Flags = VirtioNetFlags.DataValid }; break;
            case "NEEDS_CSUM field beyond the packet": h = h with { GsoType = VirtioGsoType.None, ChecksumStart = 4050, ChecksumOffset = 16 }; break;
            default: throw new InvalidOperationException(what);
        }
        var counters = new OffloadErrorCounters();
        var error = GsoSplitter.Split(p, h, Buffers.Make(8, 2000), new int[8], 0, out var n);
        counters.Add(error);
        Assert.Equal(expected, error);
        Assert.Equal(0, n);
        Assert.Equal(1, counters[expected]);
    }
}

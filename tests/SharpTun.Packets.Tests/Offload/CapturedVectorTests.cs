using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>
/// Vectors captured from a real tun device (Linux 6.18, IFF_VNET_HDR, TUNSETOFFLOAD
/// CSUM|TSO4|TSO6|USO4|USO6) by Vectors/capture.py: what the kernel really hands over.
/// </summary>
public sealed class CapturedVectorTests
{
    /// <summary>Records of a vector file: 2-byte little-endian length, then virtio-net header and IP packet.</summary>
    private static List<(VirtioNetHeader Header, byte[] Packet)> Load(string name)
    {
        var b = File.ReadAllBytes(Path.Combine(Repo.Root, "tests", "SharpTun.Packets.Tests", "Offload", "Vectors", name));
        var list = new List<(VirtioNetHeader, byte[])>();
        for (var i = 0; i < b.Length;)
        {
            var n = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i));
            Assert.True(VirtioNetHeader.TryRead(b.AsSpan(i + 2, n), out var h));
            list.Add((h, b.AsSpan(i + 2 + 10, n - 10).ToArray()));
            i += 2 + n;
        }
        return list;
    }

    [Fact]
    public void Captured_64k_tso_packet_splits_into_44_valid_segments_and_coalesces_back_byte_for_byte()
    {
        var (h, p) = Assert.Single(Load("tso-v4.bin"));
        // What the kernel wrote: NEEDS_CSUM, TCPV4, hdr_len 40, gso_size 1460, csum 20/16.
        Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV4, 40, 1460, 20, 16), h);
        Assert.Equal(64280, p.Length);
        Assert.Equal(0x18, p[33]); // PSH|ACK on the super-packet
        // CHECKSUM_PARTIAL as the kernel fills it: the folded pseudo-header sum over the whole TCP length.
        var pseudo = Checksum.PseudoHeaderV4(p.AsSpan(12, 4), p.AsSpan(16, 4), 6, p.Length - 20);
        Assert.Equal((ushort)~Checksum.Finish(pseudo), BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(36)));
        var buffers = Buffers.Make(64, 1600);
        var sizes = new int[64];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 32, out var n));
        Assert.Equal(44, n);
        var segments = new List<byte[]>();
        for (var i = 0; i < n; i++)
        {
            var s = buffers[i].Span.Slice(32, sizes[i]).ToArray();
            Assert.Equal(1500, s.Length);
            Assert.Equal(i == 43 ? 0x18 : 0x10, s[33]);
            Assert.Equal((ushort)(BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(4)) + i), BinaryPrimitives.ReadUInt16BigEndian(s.AsSpan(4)));
            OffloadAssert.ChecksumsValid(s);
            segments.Add(s);
        }
        var (h2, p2) = Assert.Single(Coalesce.Run(new PacketCoalescer(), segments));
        Assert.Equal(h, h2);
        Assert.Equal(p, p2);
    }

    [Fact]
    public void Captured_64k_tso_v6_packet_splits_into_46_valid_segments_and_coalesces_back_byte_for_byte()
    {
        var (h, p) = Assert.Single(Load("tso-v6.bin"));
        Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV6, 60, 1440, 40, 16), h);
        Assert.Equal(64860, p.Length); // 60 + 45 × 1440
        var pseudo = Checksum.PseudoHeaderV6(p.AsSpan(8, 16), p.AsSpan(24, 16), 6, p.Length - 40);
        Assert.Equal((ushort)~Checksum.Finish(pseudo), BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(56)));
        var buffers = Buffers.Make(64, 1600);
        var sizes = new int[64];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 16, out var n));
        Assert.Equal(45, n);
        var segments = new List<byte[]>();
        for (var i = 0; i < n; i++)
        {
            var s = buffers[i].Span.Slice(16, sizes[i]).ToArray();
            Assert.Equal(1500, s.Length);
            Assert.True(s.AsSpan(0, 4).SequenceEqual(p.AsSpan(0, 4)));
            OffloadAssert.ChecksumsValid(s);
            segments.Add(s);
        }
        var (h2, p2) = Assert.Single(Coalesce.Run(new PacketCoalescer(), segments));
        Assert.Equal(h, h2);
        Assert.Equal(p, p2);
    }

    [Fact]
    public void Captured_uso_packet_splits_into_64_datagrams_and_coalesces_back_byte_for_byte()
    {
        var (h, p) = Assert.Single(Load("uso-v4.bin"));
        Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.UdpL4, 28, 1000, 20, 6), h);
        var buffers = Buffers.Make(64, 1100);
        var sizes = new int[64];
        Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 0, out var n));
        Assert.Equal(64, n);
        var datagrams = new List<byte[]>();
        for (var i = 0; i < n; i++)
        {
            var d = buffers[i].Span[..sizes[i]].ToArray();
            Assert.Equal(1028, d.Length);
            OffloadAssert.ChecksumsValid(d);
            datagrams.Add(d);
        }
        Assert.Equal(Enumerable.Range(0, 64000).Select(i => (byte)((i * 7) + (i >> 8))), datagrams.SelectMany(d => d.Skip(28)));
        var (h2, p2) = Assert.Single(Coalesce.Run(new PacketCoalescer(coalesceUdp: true), datagrams));
        Assert.Equal(h, h2);
        Assert.Equal(p, p2);
    }

    [Fact]
    public void Captured_kernel_segments_coalesce_into_a_64k_and_a_23k_super_packet()
    {
        var segments = Load("segments-v4.bin");
        Assert.Equal(60, segments.Count);
        Assert.All(segments, s => Assert.Equal(default, s.Header));
        Assert.All(segments, s => OffloadAssert.ChecksumsValid(s.Packet));
        var input = segments.Select(s => s.Packet).ToList();
        var outputs = Coalesce.Run(new PacketCoalescer(), input);
        // 40 + 44 × 1460 = 64280 ≤ 65535 < 40 + 45 × 1460.
        Assert.Equal([64280, 40 + (16 * 1460)], outputs.Select(o => o.Packet.Length));
        Assert.All(outputs, o => Assert.Equal(new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV4, 40, 1460, 20, 16), o.Header));
        Assert.Equal(input, Coalesce.SplitAll(outputs));
    }
}

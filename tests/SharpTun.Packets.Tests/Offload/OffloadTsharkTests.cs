using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>tshark, with checksum validation on, judges the split outputs and the coalesced super-packets.</summary>
public sealed class OffloadTsharkTests
{
    private static readonly string[] s_validate = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"];

    [Fact]
    public void Split_outputs_have_good_checksums_and_nothing_malformed()
    {
        var packets = new List<byte[]>();
        var buffers = Buffers.Make(64, 1600);
        var sizes = new int[64];
        var supers = new[]
        {
            TestFlow.TcpV4().SuperPacket(Buffers.Payload(65535 - 52), 1448, 1, 0x98, 7),
            TestFlow.TcpV6().SuperPacket(Buffers.Payload(65535 - 60), 1440, 2, 0x19),
            TestFlow.UdpV4().SuperPacket(Buffers.Payload(64 * 1000), 1000, id: 9),
            TestFlow.UdpV6().SuperPacket(Buffers.Payload(30 * 1200 + 5), 1200),
        };
        foreach (var (h, p) in supers)
        {
            Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 0, out var n));
            for (var i = 0; i < n; i++)
            {
                packets.Add(buffers[i].Span[..sizes[i]].ToArray());
            }
        }
        var expected = 46 + 46 + 64 + 31;
        Assert.Equal(expected, packets.Count);
        var path = Tshark.WritePcap(LinkType.Raw, packets);
        try
        {
            AssertAllGood(path, expected, tcp: 92, udp: 95);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Coalesced_super_packets_completed_as_the_kernel_would_are_valid_64k_packets()
    {
        var input = new List<byte[]>();
        input.AddRange(Coalesce.Segments(TestFlow.TcpV4(), 45, 1448));
        input.AddRange(Coalesce.Segments(TestFlow.TcpV6(), 45, 1440));
        input.AddRange(Coalesce.Segments(TestFlow.UdpV4(), 64, 1000));
        input.AddRange(Coalesce.Segments(TestFlow.UdpV6(), 50, 1200));
        var outputs = Coalesce.Run(new PacketCoalescer(coalesceUdp: true), input);
        Assert.Equal(4, outputs.Count);
        foreach (var (h, p) in outputs)
        {
            Assert.True(h.IsGso);
            Assert.Equal(OffloadError.None, GsoSplitter.CompleteChecksum(p, h with { GsoType = VirtioGsoType.None }));
            OffloadAssert.ChecksumsValid(p);
        }
        var path = Tshark.WritePcap(LinkType.Raw, outputs.Select(o => o.Packet));
        try
        {
            AssertAllGood(path, 4, tcp: 2, udp: 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertAllGood(string path, int count, int tcp, int udp)
    {
        var rows = Tshark.Fields(path, s_validate, "ip.checksum.status", "tcp.checksum.status", "udp.checksum.status", "_ws.malformed");
        Assert.Equal(count, rows.Count);
        var v4 = rows.Count(r => r[0].Length > 0);
        Assert.All(rows.Where(r => r[0].Length > 0), r => Assert.Equal("1", r[0]));
        Assert.Equal(tcp, rows.Count(r => r[1] == "1"));
        Assert.Equal(udp, rows.Count(r => r[2] == "1"));
        Assert.All(rows, r => Assert.Equal("", r[3]));
        Assert.True(v4 > 0);
        var bad = Run.Exec("tshark", ["-n", "-r", path, .. s_validate, "-Y",
            "_ws.malformed || _ws.expert.severity == error || ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0"],
            TimeSpan.FromSeconds(60)).EnsureSuccess().StdOut.Trim();
        Assert.Equal("", bad);
    }
}

using System.Diagnostics;
using SharpTun.Packets.Offload;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>A micro-measurement, printed and not asserted on time: Gbit/s of IP bytes through split and coalesce on 64 KB super-packets.</summary>
public sealed class OffloadThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("TCPv4 mss 1448", false, true)]
    [InlineData("TCPv6 mss 1440", true, true)]
    [InlineData("UDPv4 1000 x 64", false, false)]
    public void Split_and_coalesce_throughput_on_64_KB_super_packets(string what, bool v6, bool tcp)
    {
        var flow = tcp ? (v6 ? TestFlow.TcpV6() : TestFlow.TcpV4()) : TestFlow.UdpV4();
        var gso = tcp ? (v6 ? 1440 : 1448) : 1000;
        var payload = tcp ? 65535 - flow.HeaderLength : 64 * 1000;
        var (h, p) = flow.SuperPacket(Buffers.Payload(payload), gso, flags: 0x18);
        var segments = Buffers.Make(64, 1600);
        var sizes = new int[64];
        var input = new Memory<byte>[64];
        var outputs = Buffers.Make(64, 16 + 10 + 65535);
        var outSizes = new int[64];
        var c = new PacketCoalescer(coalesceUdp: true);
        GsoSplitter.Split(p, h, segments, sizes, 16, out var n);
        for (var i = 0; i < n; i++)
        {
            input[i] = segments[i].Slice(16, sizes[i]);
        }
        Assert.Equal(1, c.Coalesce(input.AsSpan(0, n), outputs, outSizes, 16));
        Assert.Equal(10 + p.Length, outSizes[0]);
        var rounds = 4000;
        var split = Time(() => GsoSplitter.Split(p, h, segments, sizes, 16, out _), rounds);
        var coalesce = Time(() => c.Coalesce(input.AsSpan(0, n), outputs, outSizes, 16), rounds);
        var unverified = new PacketCoalescer(coalesceUdp: true, verifyChecksums: false);
        var coalesceFast = Time(() => unverified.Coalesce(input.AsSpan(0, n), outputs, outSizes, 16), rounds);
        double Gbps(TimeSpan t) => p.Length * 8.0 * rounds / t.TotalSeconds / 1e9;
        output.WriteLine($"{what}: {n} segments per {p.Length}-byte super-packet, best of 5 × {rounds / 5} rounds");
        output.WriteLine($"  split                         {Gbps(split),6:F1} Gbit/s ({split.TotalMicroseconds / rounds:F1} µs per super-packet)");
        output.WriteLine($"  coalesce (checksums verified) {Gbps(coalesce),6:F1} Gbit/s ({coalesce.TotalMicroseconds / rounds:F1} µs)");
        output.WriteLine($"  coalesce (not verified)       {Gbps(coalesceFast),6:F1} Gbit/s ({coalesceFast.TotalMicroseconds / rounds:F1} µs)");
        Assert.True(c.SuperPackets > rounds);
        var sum = Time(() => OffloadChecksum.Sum(p), rounds);
        output.WriteLine($"  checksum of the super-packet  {Gbps(sum),6:F1} Gbit/s ({sum.TotalMicroseconds / rounds:F1} µs)");
        Assert.Equal(Checksum.Add(p) % 0xFFFF, OffloadChecksum.Sum(p) % 0xFFFF);
    }

    /// <summary>
    /// Runs <paramref name="a"/> for half a second first (tiered JIT reaches its final code), then
    /// times five runs of a fifth of <paramref name="rounds"/> and scales the fastest (the machine is shared).
    /// </summary>
    private static TimeSpan Time(Action a, int rounds)
    {
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500)
        {
            a();
        }
        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 5; run++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < rounds / 5; i++)
            {
                a();
            }
            best = sw.Elapsed < best ? sw.Elapsed : best;
        }
        return best * 5;
    }
}

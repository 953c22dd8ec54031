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
        var split = Time(() => GsoSplitter.Split(p, h, segments, sizes, 16, out _));
        var coalesce = Time(() => c.Coalesce(input.AsSpan(0, n), outputs, outSizes, 16));
        var unverified = new PacketCoalescer(coalesceUdp: true, verifyChecksums: false);
        var coalesceFast = Time(() => unverified.Coalesce(input.AsSpan(0, n), outputs, outSizes, 16));
        var sum = Time(() => OffloadChecksum.Sum(p));
        string Line(string name, (TimeSpan Best, TimeSpan Median) t) =>
            $"  {name,-30} {p.Length * 8.0 / t.Best.TotalSeconds / 1e9,6:F1} Gbit/s ({t.Best.TotalMicroseconds,6:F1} µs per super-packet); median sample {p.Length * 8.0 / t.Median.TotalSeconds / 1e9,6:F1} Gbit/s";
        output.WriteLine($"{what}: {n} segments per {p.Length}-byte super-packet; fastest of 400 samples of 5 calls");
        output.WriteLine(Line("split", split));
        output.WriteLine(Line("coalesce (checksums verified)", coalesce));
        output.WriteLine(Line("coalesce (not verified)", coalesceFast));
        output.WriteLine(Line("checksum of the super-packet", sum));
        Assert.True(c.SuperPackets > 2000);
        Assert.Equal(Checksum.Add(p) % 0xFFFF, OffloadChecksum.Sum(p) % 0xFFFF);
    }

    /// <summary>
    /// Runs <paramref name="a"/> for half a second first (tiered JIT reaches its final code), then
    /// times 400 samples of 5 calls and returns the fastest and the median sample, per call. The
    /// machine is shared: the fastest sample is what one undisturbed core does.
    /// </summary>
    private static (TimeSpan Best, TimeSpan Median) Time(Action a)
    {
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 500)
        {
            a();
        }
        var samples = new double[400];
        for (var run = 0; run < samples.Length; run++)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < 5; i++)
            {
                a();
            }
            samples[run] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / 5;
        }
        Array.Sort(samples);
        return (TimeSpan.FromMicroseconds(samples[0]), TimeSpan.FromMicroseconds(samples[samples.Length / 2]));
    }
}

using System.Collections.Concurrent;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Tests.Crypto;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// CPU cost per 1420-byte packet of Encapsulate for one peer, from one thread and from two threads at
/// once (thread CPU time, so the shared machine's load does not count): what the per-peer lock and the
/// shared AEAD cost when the crypto runs on several cores. Printed for the record; the assertions are
/// only that every packet was encrypted.
/// </summary>
public sealed class ScalingMeasurementTests(ITestOutputHelper output)
{
    private const int Packets = 20_000;

    [Fact]
    public void Encapsulate_CpuPerPacket_OneThread_And_TwoThreads()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1420);
        Measure(pair, packet, threads: 1); // JIT tiering settles
        var one = Measure(pair, packet, threads: 1);
        var two = Measure(pair, packet, threads: 2);
        output.WriteLine($"Encapsulate 1420 B, thread CPU per packet: 1 thread {one:F0} ns, 2 threads at once {two:F0} ns");
    }

    private static double Measure(PeerPair pair, byte[] packet, int threads)
    {
        var cpu = new ConcurrentBag<long>();
        var ok = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var wire = new byte[2048];
            for (var i = 0; i < 2000; i++)
            {
                pair.A.Encapsulate(pair.PeerBOnA, packet, wire);
            }
            var start = ThreadCpuClock.Nanoseconds();
            var n = 0;
            for (var i = 0; i < Packets; i++)
            {
                n += pair.A.Encapsulate(pair.PeerBOnA, packet, wire).Action == WireGuardAction.WriteToNetwork ? 1 : 0;
            }
            cpu.Add(ThreadCpuClock.Nanoseconds() - start);
            Interlocked.Add(ref ok, n);
        })).ToList();
        workers.ForEach(t => t.Start());
        Assert.All(workers, t => Assert.True(t.Join(TimeSpan.FromSeconds(120))));
        Assert.Equal(threads * Packets, ok);
        return (double)cpu.Sum() / (threads * Packets);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using SharpTun.IO;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Bench;

/// <summary>
/// One <see cref="WireGuardInterface"/>'s real data plane (its two pipelines and their threads) over in-memory
/// load fakes, no root, no namespaces: outbound, a <see cref="LoadTun"/> hands out pre-built 1420-byte
/// packets without blocking and a <see cref="LoadBind"/> counts what is sent; inbound, the bind replays
/// datagrams sealed beforehand by the peers' own protocol cores and the tun counts what is written.
/// Each case (peers × workers) runs each direction <c>runs</c> times on a fresh interface (fresh sessions,
/// so the replay window accepts every datagram) and takes the median. Gbit/s counts inner IP bytes.
/// </summary>
internal static class DataPlaneBench
{
    private const int PacketSize = 1420;

    /// <summary>The start of the names of the load rig's interface threads (its interface is "wgload").</summary>
    private const string Prefix = "wg wgload";

    internal static int Run(int outboundPackets, int inboundPackets, int runs)
    {
        var wire = new byte[inboundPackets * (PacketSize + WireGuardConstants.DataOverhead + 16)];
        Console.WriteLine($"data plane: {PacketSize}-byte packets, {outboundPackets} out / {inboundPackets} in per run, median of {runs}; {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        Console.WriteLine("| peers | workers | out Gbit/s | out ns/pkt | out CPU ns/pkt | in Gbit/s | in ns/pkt | in CPU ns/pkt | both Gbit/s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var summary = new Dictionary<(int, int), double>();
        var breakdown = new List<string>();
        var before = Parallelism();
        var only = Environment.GetEnvironmentVariable("DATAPLANE_CASE"); // e.g. "64x2": that case alone (to profile it)
        foreach (var peers in new[] { 1, 64 })
        {
            foreach (var workers in new[] { 1, 2 })
            {
                if (only is not null && only != $"{peers}x{workers}")
                {
                    continue;
                }
                Outbound(peers, workers, Math.Min(outboundPackets, 20_000)); // JIT tiering settles
                var outRuns = Enumerable.Range(0, runs).Select(_ => Outbound(peers, workers, outboundPackets)).OrderBy(r => r.Seconds).ToList();
                var inRuns = Enumerable.Range(0, runs).Select(_ => Inbound(peers, workers, inboundPackets, wire)).OrderBy(r => r.Seconds).ToList();
                var (tOut, cpuOut, threadsOut) = outRuns[runs / 2];
                var (tIn, cpuIn, threadsIn) = inRuns[runs / 2];
                breakdown.Add($"| {peers} | {workers} | {threadsOut} | {threadsIn} |");
                var both = Gbps((long)(outboundPackets + inboundPackets) * PacketSize, tOut + tIn);
                summary[(peers, workers)] = both;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {peers} | {workers} | {Gbps((long)outboundPackets * PacketSize, tOut):F2} | {tOut * 1e9 / outboundPackets:F0} | {cpuOut * 1e9 / outboundPackets:F0} | {Gbps((long)inboundPackets * PacketSize, tIn):F2} | {tIn * 1e9 / inboundPackets:F0} | {cpuIn * 1e9 / inboundPackets:F0} | {both:F2} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine("CPU by thread role (ns/packet, median run; 10 ms tick resolution): tun = the outbound pipeline's threads, udp = the inbound's (each reads, seals or opens, releases)");
        Console.WriteLine("| peers | workers | outbound | inbound |");
        Console.WriteLine("|---|---|---|---|");
        breakdown.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"machine check: 2 busy threads did {before:F2}× the work of 1 before the cases, {Parallelism():F2}× after (2.00 = two idle cores; the 2-worker figures cannot scale beyond it)"));
        if (summary.Count < 4)
        {
            return 0;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dataplane: 1 peer 1 worker {summary[(1, 1)]:F2} Gbit/s, 2 workers {summary[(1, 2)]:F2} Gbit/s ({summary[(1, 2)] / summary[(1, 1)]:F2}×); 64 peers 1 worker {summary[(64, 1)]:F2} Gbit/s, 2 workers {summary[(64, 2)]:F2} Gbit/s ({summary[(64, 2)] / summary[(64, 1)]:F2}×)"));
        return 0;
    }

    /// <summary>How many cores' worth two CPU-bound threads get now, relative to one (a plain arithmetic loop, 300 ms each).</summary>
    private static double Parallelism()
    {
        static long Spin(TimeSpan time)
        {
            var clock = Stopwatch.StartNew();
            long n = 0;
            ulong x = 1;
            while (clock.Elapsed < time)
            {
                for (var i = 0; i < 10_000; i++)
                {
                    x = (x * 6364136223846793005UL) + 1442695040888963407UL;
                }
                n++;
            }
            return x == 0 ? -1 : n;
        }
        var time = TimeSpan.FromMilliseconds(300);
        var one = Spin(time);
        long two = 0;
        var threads = Enumerable.Range(0, 2).Select(_ => new Thread(() => Interlocked.Add(ref two, Spin(time)))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (double)two / one;
    }

    private static double Gbps(long bytes, double seconds) => bytes * 8 / seconds / 1e9;

    /// <summary>Seconds (wall clock, and CPU of the whole process) to seal and send <paramref name="packets"/> packets, round-robin over the peers.</summary>
    private static (double Seconds, double Cpu, string Threads) Outbound(int peers, int workers, int packets)
    {
        var list = Enumerable.Range(0, peers).Select(k => (ReadOnlyMemory<byte>)LoadRig.Packet(k, 0, PacketSize, toPeer: true)).ToList();
        using var rig = new LoadRig(peers, workers, list, packets);
        rig.A.Start();
        var threads = ThreadTicks();
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        rig.Tun.Go();
        Wait(rig, () => rig.Bind.DatagramsSent >= packets, "sent");
        var seconds = clock.Elapsed.TotalSeconds;
        cpu = Cpu() - cpu;
        var roles = Roles(threads, ThreadTicks(), packets);
        rig.A.Stop();
        return (seconds, cpu, roles);
    }

    /// <summary>Seconds (wall clock, and CPU of the whole process) to open and write <paramref name="packets"/> datagrams sealed beforehand, round-robin over the peers.</summary>
    private static (double Seconds, double Cpu, string Threads) Inbound(int peers, int workers, int packets, byte[] wire)
    {
        using var rig = new LoadRig(peers, workers, [], 0);
        var datagrams = new ReadOnlyMemory<byte>[packets];
        var sources = new DatagramEndpoint[packets];
        var plain = Enumerable.Range(0, peers).Select(k => LoadRig.Packet(k, 0, PacketSize, toPeer: false)).ToArray();
        var at = 0;
        for (var i = 0; i < packets; i++)
        {
            var k = i % peers;
            var r = rig.Remote[k].Encapsulate(rig.RemotePeer[k], plain[k], wire.AsSpan(at));
            datagrams[i] = wire.AsMemory(at, r.Length);
            sources[i] = new DatagramEndpoint(rig.RemoteEndpoints[k]);
            at += r.Length;
        }
        rig.Bind.Replay(datagrams, sources);
        rig.A.Start();
        var threads = ThreadTicks();
        var cpu = Cpu();
        var clock = Stopwatch.StartNew();
        rig.Bind.Go();
        Wait(rig, () => rig.Tun.PacketsWritten >= packets, "written");
        var seconds = clock.Elapsed.TotalSeconds;
        cpu = Cpu() - cpu;
        var roles = Roles(threads, ThreadTicks(), packets);
        rig.A.Stop();
        return (seconds, cpu, roles);
    }

    /// <summary>utime + stime ticks of the interface's threads by name ("wg wgload tun", "… udp"; Linux keeps 15 characters).</summary>
    private static Dictionary<int, (string Name, long Ticks)> ThreadTicks()
    {
        var result = new Dictionary<int, (string, long)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                if (!name.StartsWith(Prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                var fields = stat[(close + 2)..].Split(' ');
                result[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
                // the thread ended meanwhile
            }
        }
        return result;
    }

    private static string Roles(Dictionary<int, (string Name, long Ticks)> before, Dictionary<int, (string Name, long Ticks)> after, int packets)
    {
        var tick = 1e9 / 100; // USER_HZ
        return string.Join(", ", after
            .GroupBy(t => t.Value.Name[(Prefix.Length + 1)..])
            .Select(g => (Role: g.Key, Ticks: g.Sum(t => t.Value.Ticks - (before.TryGetValue(t.Key, out var b) ? b.Ticks : 0))))
            .Where(r => r.Ticks > 0)
            .OrderBy(r => r.Role, StringComparer.Ordinal)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Role} {r.Ticks * tick / packets:F0}")));
    }

    /// <summary>CPU seconds of this process so far (all threads; the waiting main thread sleeps in 1 ms steps).</summary>
    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static void Wait(LoadRig rig, Func<bool> done, string what)
    {
        var limit = Stopwatch.StartNew();
        while (!done())
        {
            if (rig.A.Completion.IsCompleted || rig.A.Drops.Total > 0 || limit.Elapsed > TimeSpan.FromSeconds(120))
            {
                throw new InvalidOperationException($"dataplane bench: not all packets {what} (drops {rig.A.Drops.Total}, completed {rig.A.Completion.IsCompleted})");
            }
            Thread.Sleep(1);
        }
    }
}

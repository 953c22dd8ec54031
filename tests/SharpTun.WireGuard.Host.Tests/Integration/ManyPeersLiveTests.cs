using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 20: many peers on one <c>sharptun wg userspace</c> interface, judged by <c>wg</c>. 5,000 random peers
/// (one /32 each): <c>wg setconf</c>, one more peer with <c>wg set</c>, <c>wg show dump</c> and deleting the
/// device each cost the daemon little CPU (its utime+stime, so a loaded CI machine does not make it flaky;
/// wall-clock bounds are generous), and the idle daemon burns next to nothing (no walk over the peers on a clock).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ManyPeersLiveTests(ITestOutputHelper output)
{
    private const int Peers = 5_000;
    private static readonly double s_tick = 1.0 / 100; // CLK_TCK is 100 on Linux

    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 (utime, stime) are 11 and 12 after the state (field 3).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * s_tick;
    }

    [RootFact]
    public void FiveThousandPeers_SetconfSetShowDelete_CheapInCpu_IdleNearZero()
    {
        using var ns = NetNs.Create("stmp");
        using var dir = new Userspace();
        var name = UniqueName.Next("wgm");
        try
        {
            ns.Exec("env", ["-u", "WG_PROCESS_FOREGROUND", "dotnet", .. Repo.Cli("wg", "userspace", name)], TimeSpan.FromSeconds(90)).EnsureSuccess();
            var pid = Userspace.FindDaemon(name) ?? throw new InvalidOperationException($"no 'wg userspace {name}' process");
            var rng = new Random(5000);
            var keys = new string[Peers];
            var conf = new StringBuilder($"[Interface]\nPrivateKey = {ns.Exec("wg", ["genkey"]).EnsureSuccess().StdOut.Trim()}\n");
            for (var i = 0; i < Peers; i++)
            {
                var key = new byte[32];
                rng.NextBytes(key);
                keys[i] = Convert.ToBase64String(key);
                conf.Append(CultureInfo.InvariantCulture, $"[Peer]\nPublicKey = {keys[i]}\nAllowedIPs = 198.18.{1 + (i >> 8)}.{i & 255}/32\n");
            }
            var file = dir.Write("many.conf", conf.ToString());

            var (setconfCpu, setconfWall) = Measure(pid, () => ns.Exec("wg", ["setconf", name, file], TimeSpan.FromSeconds(120)).EnsureSuccess());
            var (oneCpu, oneWall) = Measure(pid, () => ns.Exec("wg", ["set", name, "peer", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "allowed-ips", "198.19.200.1/32"]).EnsureSuccess());
            string dump = "";
            var (dumpCpu, dumpWall) = Measure(pid, () => dump = ns.Exec("wg", ["show", name, "dump"], TimeSpan.FromSeconds(120)).EnsureSuccess().StdOut);
            var lines = dump.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(Peers + 2, lines.Length); // the interface line, the peers, the one more
            Assert.StartsWith($"{keys[0]}\t(none)\t(none)\t198.18.1.0/32\t0\t0\t0\t", lines[1], StringComparison.Ordinal);
            Assert.StartsWith($"{keys[^1]}\t", lines[^2], StringComparison.Ordinal);
            Assert.Contains("\t198.19.200.1/32\t", lines[^1], StringComparison.Ordinal);

            // Idle: nothing walks the peers on a clock. A measurement window, not a wait for readiness.
            var before = CpuSeconds(pid);
            Thread.Sleep(TimeSpan.FromSeconds(5));
            var idle = (CpuSeconds(pid) - before) / 5;

            var (deleteCpu, deleteWall) = Measure(pid, () =>
            {
                ns.Ip($"link del {name}");
                Poll.Until(() => !Userspace.IsAlive(pid), $"daemon {pid} to exit once {name} was deleted", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(20));
            }, exits: true);
            output.WriteLine($"{Peers} peers: setconf {setconfCpu:F2} s CPU ({setconfWall.TotalSeconds:F2} s), one more {oneCpu:F2} s CPU ({oneWall.TotalMilliseconds:F0} ms), " +
                $"show dump {dumpCpu:F2} s CPU ({dumpWall.TotalSeconds:F2} s), delete {deleteWall.TotalSeconds:F2} s, idle {100 * idle:F2} % of a core");
            Assert.True(setconfCpu < 5, $"setconf of {Peers} peers took {setconfCpu:F2} s of CPU");
            Assert.True(oneCpu < 0.5, $"one more peer took {oneCpu:F2} s of CPU");
            Assert.True(dumpCpu < 2, $"show dump of {Peers} peers took {dumpCpu:F2} s of CPU");
            // The walk every 100 ms and the watcher's full snapshot every second burned ~40 % of a core here; the
            // few % left are the runtime settling after the burst (JIT tiering, GC), not the peers.
            Assert.True(idle < 0.05, $"idle with {Peers} peers: {100 * idle:F2} % of a core");
            Assert.True(deleteWall < TimeSpan.FromSeconds(30), $"delete took {deleteWall}");
        }
        finally
        {
            ns.Exec("ip", ["link", "del", name]);
            Userspace.Reap(name);
        }
    }

    private static (double Cpu, TimeSpan Wall) Measure(int pid, Action action, bool exits = false)
    {
        var cpu = CpuSeconds(pid);
        var clock = Stopwatch.StartNew();
        action();
        return (exits ? 0 : CpuSeconds(pid) - cpu, clock.Elapsed);
    }
}

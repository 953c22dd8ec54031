using System.Globalization;
using SharpTun.WireGuard.Host.Tests.Integration;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Issue 13, "Privilege": <c>sharptun wg up FILE --user nobody</c> on one side of a SharpTun pair. After
/// the drop every thread runs as nobody:nogroup with no supplementary groups; the main thread (the one
/// /proc/PID/status shows) keeps exactly CAP_NET_ADMIN + CAP_NET_BIND_SERVICE, the pump and UAPI threads
/// none. The tunnel keeps carrying pings both ways, <c>wg show</c> still talks to it, and
/// <c>sharptun wg down</c> still removes the device, routes, socket and pid file.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class WgUpUserLiveTests(ITestOutputHelper output)
{
    private const int Nobody = 65534;

    // CAP_NET_BIND_SERVICE (10) | CAP_NET_ADMIN (12).
    private const ulong KeptCaps = (1UL << 10) | (1UL << 12);

    [RootFact]
    public void UpAsNobody_DropsToTheUser_TunnelKeepsRunning_DownRemovesEverything()
    {
        var (nobodyUid, nobodyGid) = PasswdEntry("nobody");
        Assert.Equal(Nobody, nobodyUid);
        using var lab = new WireLab();
        var ha = lab.AddHost();
        var hb = lab.AddHost();
        var ka = WgKey.Generate();
        var kb = WgKey.Generate();
        var name = UniqueName.Next("wgu");
        var dir = Directory.CreateTempSubdirectory("sharptun-wguser-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        var configA = new WgConfig(ka, Pairs.Port, Pairs.InnerAddresses(ha), [new WgPeer(kb.Public, Pairs.HostRoutes(hb), $"{hb.OuterV4}:{Pairs.Port}")]);
        configA.WriteWgQuick(conf);
        try
        {
            var a = ha.Start("dotnet", Repo.Cli("wg", "up", conf, "--user", "nobody"));
            a.WaitForOutput("running as user 'nobody'", TimeSpan.FromSeconds(60));
            a.WaitUntil(() => Uapi.Answers(name), $"UAPI socket of {name} to answer", TimeSpan.FromSeconds(30));
            var b = SharpTunWg.Start(hb, new WgConfig(kb, Pairs.Port, Pairs.InnerAddresses(hb), [new WgPeer(ka.Public, Pairs.HostRoutes(ha), $"{ha.OuterV4}:{Pairs.Port}")]));

            // The process (its main thread) is nobody with only the two kept capabilities.
            var status = File.ReadAllText($"/proc/{a.Pid}/status");
            output.WriteLine(string.Join('\n', status.Split('\n').Where(l => l.StartsWith("Uid", StringComparison.Ordinal) || l.StartsWith("Gid", StringComparison.Ordinal)
                || l.StartsWith("Groups", StringComparison.Ordinal) || l.StartsWith("Cap", StringComparison.Ordinal))));
            Assert.Equal(Enumerable.Repeat(nobodyUid, 4), Ids(status, "Uid"));
            Assert.Equal(Enumerable.Repeat(nobodyGid, 4), Ids(status, "Gid"));
            Assert.Equal("", Field(status, "Groups"));
            Assert.Equal(KeptCaps, Caps(status, "CapEff"));
            Assert.Equal(KeptCaps, Caps(status, "CapPrm"));

            // Every other thread: nobody too, and no capabilities at all (capset only reached the calling thread).
            var threads = Directory.GetDirectories($"/proc/{a.Pid}/task").Select(t => (Tid: Path.GetFileName(t), Status: File.ReadAllText(Path.Combine(t, "status")))).ToList();
            var pumps = 0;
            foreach (var (tid, s) in threads)
            {
                Assert.True(Ids(s, "Uid").All(u => u == nobodyUid), $"thread {tid} not nobody:\n{s}");
                if (tid != a.Pid.ToString(CultureInfo.InvariantCulture))
                {
                    Assert.True(Caps(s, "CapEff") == 0 && Caps(s, "CapPrm") == 0, $"thread {tid} ({Field(s, "Name")}) kept capabilities:\n{s}");
                }
                pumps += Field(s, "Name").StartsWith("wg ", StringComparison.Ordinal) ? 1 : 0;
            }
            Assert.True(pumps >= 3, $"expected the pump/timer/UAPI threads among {threads.Count} threads, found {pumps}");
            output.WriteLine($"{threads.Count} threads, {pumps} named 'wg …', all uid {nobodyUid}");

            // The tunnel still runs, both ways, v4 and v6 inside; the stock wg still talks to the dropped process.
            Traffic.Ping(ha, hb.InnerV4);
            Traffic.Ping(hb, ha.InnerV4);
            Traffic.Ping(hb, ha.InnerV6);
            var dump = ha.Must("wg", "show", name, "dump").StdOut;
            Assert.Contains(kb.Public, dump, StringComparison.Ordinal);
            Assert.True(a.IsRunning, a.Output);

            // Live changes after the drop: a rebind to an unprivileged port works (no capability needed);
            // SO_MARK needs CAP_NET_ADMIN, which the UAPI threads no longer have: refused, tunnel unharmed.
            ha.Must("wg", "set", name, "listen-port", "51821");
            Assert.Equal("51821", ha.Must("wg", "show", name, "listen-port").StdOut.Trim());
            var mark = ha.Exec("wg", "set", name, "fwmark", "0x99");
            output.WriteLine($"wg set fwmark after the drop: {mark}");
            Assert.NotEqual(0, mark.ExitCode);
            // The daemon's log names the object and the cause (EPERM or EACCES, by kernel version).
            a.WaitUntil(() => a.Output.Contains("cannot set fwmark 0x99", StringComparison.Ordinal)
                && (a.Output.Contains("permission denied", StringComparison.Ordinal) || a.Output.Contains("not permitted", StringComparison.Ordinal)),
                "the log to say why fwmark was refused", TimeSpan.FromSeconds(10));
            Assert.Equal("51821", ha.Must("wg", "show", name, "listen-port").StdOut.Trim());
            Traffic.Ping(ha, hb.InnerV4);
            Traffic.Ping(hb, ha.InnerV4);

            // down (as root) stops it and removes everything, also what the unprivileged process cannot unlink.
            var down = ha.Sharptun("wg", "down", name);
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.True(a.WaitForExit(TimeSpan.FromSeconds(20)), $"'wg up --user' did not exit after 'wg down':\n{a.Output}");
            output.WriteLine($"up exited with {a.ExitCode}; down said: {down.StdOut.Trim()} {down.StdErr.Trim()}");
            Assert.Contains(a.ExitCode, new[] { 0, 143 });
            Assert.False(LinkStats.Exists(ha, name), $"device {name} still in ip -j link");
            Assert.True(LinkStats.RoutesVia(ha, name).Count == 0, "routes left via " + name);
            Assert.False(File.Exists(Uapi.SocketPath(name)), $"{Uapi.SocketPath(name)} left behind");
            Assert.False(File.Exists($"/run/sharptun/{name}.pid"), $"/run/sharptun/{name}.pid left behind");
            Assert.DoesNotContain("Unhandled exception", a.Output, StringComparison.Ordinal);
            GC.KeepAlive(b);
        }
        finally
        {
            foreach (var f in new[] { Uapi.SocketPath(name), $"/run/sharptun/{name}.pid" })
            {
                if (File.Exists(f))
                {
                    File.Delete(f);
                }
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnknownUser_IsRefusedBeforeAnythingIsMade()
    {
        var r = Run.Exec("dotnet", Repo.Cli("wg", "up", "/nonexistent/wgx.conf", "--user", "no-such-user-wgx"));
        Assert.True(r.ExitCode is 1 or 2, r.ToString());
        Assert.Contains("unknown user 'no-such-user-wgx'", r.StdErr, StringComparison.Ordinal);
    }

    private static (int Uid, int Gid) PasswdEntry(string user)
    {
        var f = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[0] == user);
        return (int.Parse(f[2], CultureInfo.InvariantCulture), int.Parse(f[3], CultureInfo.InvariantCulture));
    }

    private static string Field(string status, string key) =>
        status.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    private static int[] Ids(string status, string key) =>
        [.. Field(status, key).Split('\t', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];

    private static ulong Caps(string status, string key) => ulong.Parse(Field(status, key), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}

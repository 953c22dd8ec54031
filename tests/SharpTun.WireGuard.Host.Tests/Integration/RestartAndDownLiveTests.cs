using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, seventh test: kill -9 either side of a SharpTun pair and start it again from the same
/// file: traffic resumes within 10 s of the restarted daemon being ready. <c>sharptun wg down</c>
/// (foreground and <c>--background</c>) leaves no device, route, socket file or process behind.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed partial class RestartAndDownLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void KillMinus9EitherSide_TrafficResumesWithin10s()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        Traffic.Ping(a.Host, b.Host.InnerV4);
        foreach (var (restarted, other) in new[] { (a, b), (b, a) })
        {
            var oldPid = restarted.Process.Pid;
            var ready = restarted.KillAndRestart();
            Assert.NotEqual(oldPid, restarted.Process.Pid);
            var sw = Stopwatch.StartNew();
            // The restarted side has something to send (its kernel pings), so it initiates at once.
            var r = Traffic.PingRaw(restarted.Host, other.Host.InnerV4, count: 1, deadlineSeconds: 10);
            var resumed = sw.Elapsed;
            Assert.True(r.ExitCode == 0, $"no traffic {restarted.Host.Name} -> {other.Host.Name} within 10 s of the restart:\n{r}\n--- restarted daemon\n{restarted.Process.Output}");
            // And the side that kept running talks to the new instance both ways.
            Traffic.Ping(other.Host, restarted.Host.InnerV4, deadlineSeconds: 10);
            Traffic.Ping(other.Host, restarted.Host.InnerV6, deadlineSeconds: 10);
            output.WriteLine($"host {restarted.Host.Index} kill -9 + restart: ready in {ready.TotalSeconds:0.00} s, traffic resumed {resumed.TotalSeconds:0.00} s after ready");
            Assert.True(resumed < TimeSpan.FromSeconds(10));
        }
    }

    [RootFact]
    public void Down_Foreground_And_Background_LeaveNothingBehind()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var peer = WgKey.Generate();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(peer.Public, "198.19.9.0/24, 2001:db8:9::/64", "198.18.0.9:51820")]);

        // Foreground: down stops the running 'up', which exits 0.
        var fg = SharpTunWg.Start(h, config);
        AssertRoutesExist(h, fg.Name);
        var down = fg.Down();
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(fg.Process.WaitForExit(TimeSpan.FromSeconds(20)), $"the foreground 'wg up' did not exit after 'wg down':\n{fg.Process.Output}");
        output.WriteLine($"foreground up exited with {fg.Process.ExitCode}; down said: {down.StdOut.Trim()} {down.StdErr.Trim()}");
        // 0, or 143 (128 + SIGTERM) when down stops it with SIGTERM, as systemd's SuccessExitStatus=143 accepts.
        Assert.Contains(fg.Process.ExitCode, new[] { 0, 143 });
        AssertNothingLeft(h, fg.Name, fg.Process.Pid);

        // After kill -9 the device went with the fd, but the socket file stays: down clears what is left.
        var killed = SharpTunWg.Start(h, config);
        killed.Kill();
        Assert.True(File.Exists(killed.SocketPath), "expected the socket file to outlive kill -9 (else this check proves nothing)");
        var after = killed.Down();
        output.WriteLine($"down after kill -9: exit {after.ExitCode}: {after.StdOut.Trim()} {after.StdErr.Trim()}");
        AssertNothingLeft(h, killed.Name, killed.Process.Pid);

        // Background: up prints the PID of the detached daemon and returns; down stops it.
        var name = UniqueName.Next("wgb");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        int? pid = null;
        try
        {
            File.WriteAllText(conf, config.WgQuick());
            var up = h.Sharptun("wg", "up", conf, "--background");
            Assert.True(up.ExitCode == 0, up.ToString());
            var m = PidLine().Match(up.StdOut);
            Assert.True(m.Success, $"wg up --background printed no PID: {up}");
            pid = int.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, CultureInfo.InvariantCulture);
            Assert.True(IsOurs(pid.Value), $"PID {pid} printed by wg up --background is not a running sharptun process");
            Poll.Until(() => !Alive(pid.Value) || Uapi.Answers(name), $"background daemon {pid} to serve {Uapi.SocketPath(name)}", TimeSpan.FromSeconds(60));
            Assert.True(Alive(pid.Value), $"background daemon {pid} died");
            Poll.Until(() => config.Addresses.All(LinkStats.Addresses(h, name).Contains), $"addresses on {name}", TimeSpan.FromSeconds(30));
            AssertRoutesExist(h, name);
            var bdown = h.Sharptun("wg", "down", name);
            Assert.True(bdown.ExitCode == 0, bdown.ToString());
            Poll.Until(() => !Alive(pid.Value), $"background daemon {pid} to exit after 'wg down'", TimeSpan.FromSeconds(20));
            AssertNothingLeft(h, name, pid.Value);
        }
        finally
        {
            if (pid is { } p && IsOurs(p))
            {
                Run.Exec("kill", ["-9", p.ToString(CultureInfo.InvariantCulture)]);
            }
            if (File.Exists(Uapi.SocketPath(name)))
            {
                File.Delete(Uapi.SocketPath(name));
            }
            Directory.Delete(dir, recursive: true);
            foreach (var f in new[] { $"/run/sharptun/{name}.pid", $"/run/sharptun/{name}.log" })
            {
                if (File.Exists(f))
                {
                    File.Delete(f);
                }
            }
        }
    }

    [RootFact]
    public void UpByName_ReadsEtcWireguard_BadConfig_NamesFileLineKey_LeavesNothing()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(WgKey.Generate().Public, "198.19.9.0/24", "198.18.0.9:51820")]);
        var name = UniqueName.Next("wge");
        var createdDir = !Directory.Exists("/etc/wireguard");
        var conf = $"/etc/wireguard/{name}.conf";
        try
        {
            Directory.CreateDirectory("/etc/wireguard");
            File.WriteAllText(conf, config.WgQuick());
            using (var up = Daemon.StartIn(h.Name, "dotnet", Repo.Cli("wg", "up", name)))
            {
                up.WaitUntil(() => Uapi.Answers(name) && config.Addresses.All(LinkStats.Addresses(h, name).Contains),
                    $"'wg up {name}' to bring up {name} from {conf}", TimeSpan.FromSeconds(60));
                var down = h.Sharptun("wg", "down", name);
                Assert.True(down.ExitCode == 0, down.ToString());
                Assert.True(up.WaitForExit(TimeSpan.FromSeconds(20)), up.Output);
                AssertNothingLeft(h, name, up.Pid);
            }

            // Line 9 of the file: the [Peer]'s AllowedIPs (see WgConfig.WgQuick's layout).
            var lines = config.WgQuick().Split('\n');
            var line = Array.FindIndex(lines, l => l.StartsWith("AllowedIPs", StringComparison.Ordinal)) + 1;
            lines[line - 1] = "AllowedIPs = 10.0.0.300/24";
            File.WriteAllText(conf, string.Join('\n', lines));
            var bad = h.Sharptun("wg", "up", name);
            output.WriteLine($"bad config: exit {bad.ExitCode}: {bad.StdErr.Trim()} {bad.StdOut.Trim()}");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains($"{name}.conf:{line}:", bad.StdErr + bad.StdOut, StringComparison.Ordinal);
            Assert.Contains("AllowedIPs", bad.StdErr + bad.StdOut, StringComparison.Ordinal);
            Assert.Contains("10.0.0.300/24", bad.StdErr + bad.StdOut, StringComparison.Ordinal);
            Assert.False(LinkStats.Exists(h, name), $"a failed 'wg up' left device {name}");
            Assert.False(File.Exists(Uapi.SocketPath(name)), $"a failed 'wg up' left {Uapi.SocketPath(name)}");
        }
        finally
        {
            File.Delete(conf);
            if (createdDir && Directory.Exists("/etc/wireguard") && !Directory.EnumerateFileSystemEntries("/etc/wireguard").Any())
            {
                Directory.Delete("/etc/wireguard");
            }
            foreach (var f in new[] { Uapi.SocketPath(name), $"/run/sharptun/{name}.pid" })
            {
                if (File.Exists(f))
                {
                    File.Delete(f);
                }
            }
        }
    }

    private static void AssertRoutesExist(LabHost h, string dev)
    {
        var routes = LinkStats.RoutesVia(h, dev);
        Assert.Contains(routes, r => r.Contains("\"198.19.9.0/24\"", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Contains("\"2001:db8:9::/64\"", StringComparison.Ordinal));
    }

    private void AssertNothingLeft(LabHost h, string name, int pid)
    {
        Assert.False(LinkStats.Exists(h, name), $"device {name} still in ip -j link");
        var routes = LinkStats.RoutesVia(h, name);
        Assert.True(routes.Count == 0, "routes left: " + string.Join("\n", routes));
        Assert.False(File.Exists(Uapi.SocketPath(name)), $"{Uapi.SocketPath(name)} left behind");
        Assert.False(Alive(pid), $"process {pid} still running");
        Assert.False(File.Exists($"/run/sharptun/{name}.pid"), $"/run/sharptun/{name}.pid left behind");
        var leftover = Run.Exec("ls", ["/var/run/wireguard"]).StdOut;
        Assert.DoesNotContain(name, leftover, StringComparison.Ordinal);
        output.WriteLine($"after down: no {name} in ip -j link / ip -j route, no socket, pid {pid} gone");
    }

    private static bool Alive(int pid)
    {
        // A zombie has exited; only a running (or sleeping) process counts.
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            return !text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True if the PID our 'up' printed is still a sharptun process (it could have been reused by now otherwise).</summary>
    private static bool IsOurs(int pid)
    {
        try
        {
            return Alive(pid) && File.ReadAllText($"/proc/{pid}/cmdline").Contains("sharptun", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(?im)pid\D{0,3}(\d+)|^\s*(\d+)\s*$")]
    private static partial Regex PidLine();
}

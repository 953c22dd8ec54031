using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18, the small items of <c>sharptun wg up</c>: a refused second <c>--background</c> up keeps the running
/// daemon's log, <c>wg down</c> leaves no log behind; a taken ListenPort names the interface and the file; a
/// world-readable config gets wg-quick's warning; SIGINT on the foreground <c>up</c> prints the counters.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class WgUpOperationsLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void Background_RefusedSecondUp_KeepsTheLog_DownRemovesIt()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(WgKey.Generate().Public, "198.19.9.0/24", "198.18.0.9:51820")]);
        var name = UniqueName.Next("wgl");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        var log = $"/run/sharptun/{name}.log";
        int? pid = null;
        try
        {
            config.WriteWgQuick(conf);
            var up = h.Sharptun("wg", "up", conf, "--background");
            Assert.True(up.ExitCode == 0, up.ToString());
            pid = int.Parse(up.StdOut.Trim(), CultureInfo.InvariantCulture);
            Poll.Until(() => Uapi.Answers(name) && File.ReadAllText(log).Contains($"{name}: up:", StringComparison.Ordinal),
                $"the background daemon {pid} to log '{name}: up:' in {log}", TimeSpan.FromSeconds(60));
            var before = File.ReadAllText(log);

            var again = h.Sharptun("wg", "up", conf, "--background");
            output.WriteLine($"second up: exit {again.ExitCode}: {again.StdErr.Trim()}");
            Assert.Equal(1, again.ExitCode);
            Assert.Contains($"cannot bring up interface '{name}': it is up already (process {pid}", again.StdErr, StringComparison.Ordinal);
            Assert.StartsWith(before, File.ReadAllText(log), StringComparison.Ordinal);
            Assert.True(Uapi.Answers(name), "the running daemon stopped answering after the refused second up");

            var down = h.Sharptun("wg", "down", name);
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.False(File.Exists(log), $"{log} left behind after 'wg down'");
            Assert.False(File.Exists($"/run/sharptun/{name}.pid"), "pid file left behind");
        }
        finally
        {
            if (pid is { } p && File.Exists($"/proc/{p}/cmdline") && File.ReadAllText($"/proc/{p}/cmdline").Contains("sharptun", StringComparison.Ordinal))
            {
                Run.Exec("kill", ["-9", p.ToString(CultureInfo.InvariantCulture)]);
            }
            foreach (var f in new[] { Uapi.SocketPath(name), $"/run/sharptun/{name}.pid", log })
            {
                if (File.Exists(f))
                {
                    File.Delete(f);
                }
            }
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void ListenPortTaken_ErrorNamesInterfaceAndFile_WorldReadableConfig_Warns()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var name = UniqueName.Next("wgp");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        try
        {
            File.WriteAllText(conf, new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h), []).WgQuick());
            // wg-quick's rule: the file's and the directory's bits for others overlap.
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(conf, (UnixFileMode)0b110_100_100);
            using (var taken = NetNamespace.Run(h.Name, () =>
            {
                var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
                s.Bind(new IPEndPoint(IPAddress.IPv6Any, Pairs.Port));
                return s;
            }))
            {
                var r = h.Sharptun("wg", "up", conf);
                output.WriteLine($"port taken: exit {r.ExitCode}\n{r.StdErr}");
                Assert.Equal(1, r.ExitCode);
                Assert.Contains($"Warning: `{conf}' is world accessible", r.StdErr, StringComparison.Ordinal);
                Assert.Contains($"sharptun: cannot bring up interface '{name}': ListenPort {Pairs.Port} in {name}.conf: cannot bind UDP socket to [::]:{Pairs.Port}: address already in use (EADDRINUSE)",
                    r.StdErr, StringComparison.Ordinal);
                Assert.False(LinkStats.Exists(h, name), $"a failed 'wg up' left device {name}");
            }

            // Port free now: it comes up, with the warning (a warning, not a refusal); 0600 has none.
            using (var up = Daemon.StartIn(h.Name, "dotnet", Repo.Cli("wg", "up", conf)))
            {
                up.WaitUntil(() => Uapi.Answers(name), $"'wg up' of world-readable {conf} to serve {Uapi.SocketPath(name)}", TimeSpan.FromSeconds(60));
                Assert.Contains($"Warning: `{conf}' is world accessible", up.Output, StringComparison.Ordinal);
                Assert.True(up.Interrupt(TimeSpan.FromSeconds(20)), up.Output);
            }
            File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using (var up = Daemon.StartIn(h.Name, "dotnet", Repo.Cli("wg", "up", conf)))
            {
                up.WaitUntil(() => Uapi.Answers(name), $"'wg up' of 0600 {conf}", TimeSpan.FromSeconds(60));
                Assert.True(up.Interrupt(TimeSpan.FromSeconds(20)), up.Output);
                Assert.DoesNotContain("world accessible", up.Output, StringComparison.Ordinal);
            }
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

    [RootFact]
    public void ForegroundUp_Sigint_PrintsTheCounters_Exits130()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        Traffic.Ping(a.Host, b.Host.InnerV4, count: 3);
        var peer = a.Dump().Peer(b.PublicKey);
        Assert.True(peer.RxBytes > 0 && peer.TxBytes > 0, peer.ToString());
        Assert.True(a.Process.Interrupt(TimeSpan.FromSeconds(20)), a.Process.Output);
        output.WriteLine(a.Process.Output);
        Assert.Equal(130, a.Process.ExitCode);
        // The counters are those wg show reported (nothing moved in between: no keepalive is due within 10 s).
        Assert.Contains($"{a.Name}: peer {b.PublicKey}: received {peer.RxBytes} bytes (", a.Process.Output, StringComparison.Ordinal);
        Assert.Contains($"sent {peer.TxBytes} bytes (", a.Process.Output, StringComparison.Ordinal);
        Assert.Contains($"latest handshake {peer.LatestHandshake},", a.Process.Output, StringComparison.Ordinal);
        Assert.Contains($"{a.Name}: 1 peer(s), received {peer.RxBytes} bytes, sent {peer.TxBytes} bytes, dropped ", a.Process.Output, StringComparison.Ordinal);
    }
}

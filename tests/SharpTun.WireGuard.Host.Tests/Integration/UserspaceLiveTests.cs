using System.Globalization;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: <c>sharptun wg userspace [-f] IFNAME</c> as wireguard-go behaves: detaching (the parent returns
/// once the socket answers), an unconfigured device (no key, link down), exit when the device is deleted,
/// LOG_LEVEL, a device moved to another namespace and back while a peer pings it, and a zero private key
/// that clears the key (peers kept, no handshake) until a key is set again.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class UserspaceLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void Detaches_ServedWhenItReturns_NoKeyLinkDown_ExitsWhenTheDeviceIsDeleted()
    {
        using var ns = NetNs.Create("stwu");
        var name = UniqueName.Next("wgu");
        try
        {
            var r = ns.Exec("env", ["-u", "LOG_LEVEL", "-u", "WG_PROCESS_FOREGROUND", "dotnet", .. Repo.Cli("wg", "userspace", name)], TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("", r.StdOut);
            // Served at once: the parent returned only after the detached copy answered.
            var get = Uapi.Request(name, "get=1\n\n");
            Assert.EndsWith("errno=0\n\n", get, StringComparison.Ordinal);
            Assert.DoesNotContain("private_key=", get, StringComparison.Ordinal);
            Assert.Matches("listen_port=[1-9][0-9]*\n", get);
            Assert.Equal("(none)", ns.Exec("wg", ["show", name, "private-key"]).EnsureSuccess().StdOut.Trim());
            var pid = Userspace.FindDaemon(name) ?? throw new InvalidOperationException($"no 'wg userspace {name}' process");
            Assert.Equal(pid, Userspace.SessionOf(pid)); // its own session (setsid), like wireguard-go's daemon
            var link = ns.Exec("ip", ["-o", "link", "show", name]).EnsureSuccess().StdOut;
            Assert.DoesNotContain(",UP", link, StringComparison.Ordinal);
            Assert.Contains("state DOWN", link, StringComparison.Ordinal);
            Assert.Contains(" mtu 1420 ", link, StringComparison.Ordinal); // wireguard-go's default

            ns.Ip($"link del {name}");
            Poll.Until(() => !Userspace.IsAlive(pid), $"daemon {pid} to exit once {name} was deleted", TimeSpan.FromSeconds(30));
            Poll.Until(() => !File.Exists(Uapi.SocketPath(name)), $"{Uapi.SocketPath(name)} removed", TimeSpan.FromSeconds(10));
        }
        finally
        {
            ns.Exec("ip", ["link", "del", name]);
            Userspace.Reap(name);
        }
    }

    [RootFact]
    public void AnExistingLink_FailsNamingIt_LeavesNothing()
    {
        using var ns = NetNs.Create("stwu");
        var name = UniqueName.Next("wgu");
        ns.Ip($"link add {name} type bridge");
        foreach (var args in new[] { new[] { "wg", "userspace", name }, ["wg", "userspace", "-f", name] })
        {
            var r = ns.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(90));
            Assert.Equal(1, r.ExitCode);
            Assert.Equal($"sharptun: cannot create interface '{name}': a link with that name already exists\n", r.StdErr);
            Assert.False(File.Exists(Uapi.SocketPath(name)));
            Assert.Null(Userspace.FindDaemon(name));
        }
    }

    [RootFact]
    public void Workers_ForegroundAndDetached_RunWithN()
    {
        using var ns = NetNs.Create("stww");
        // The daemon's data-plane threads, told apart from the rest by their names ("wg IF …", cut to 15 bytes by
        // the kernel): a tun and a udp thread per worker, so N = 3 makes exactly four more than N = 1 (the handshake
        // workers and the timer thread do not depend on N).
        int Threads(int pid, string ifname) => Directory.EnumerateDirectories($"/proc/{pid}/task")
            .Count(t => File.ReadAllText(Path.Combine(t, "comm")).StartsWith($"wg {ifname}"[..Math.Min(15, 3 + ifname.Length)], StringComparison.Ordinal));
        var counts = new Dictionary<int, int>();
        foreach (var n in new[] { 1, 3 })
        {
            var name = UniqueName.Next("wgw");
            using var d = Daemon.StartIn(ns.Name, "dotnet", Repo.Cli("wg", "userspace", "-f", "--workers", n.ToString(CultureInfo.InvariantCulture), name),
                new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["SHARPTUN_WORKERS"] = "2" });
            d.WaitForOutput($"{n} worker(s)", TimeSpan.FromSeconds(60));
            counts[n] = Threads(d.Pid, name);
            output.WriteLine($"--workers {n}: {counts[n]} 'wg {name}' threads");
            ns.Ip($"link del {name}");
            Assert.True(d.WaitForExit(TimeSpan.FromSeconds(30)), d.Output);
            Assert.Equal(0, d.ExitCode);
        }
        Assert.True(counts[3] == counts[1] + 4, $"--workers 3: {counts[3]} data-plane threads, --workers 1: {counts[1]}");

        // Detached: the copy gets --workers too (before IFNAME, which stays last as wireguard-go's).
        using var work = new Userspace();
        var detached = UniqueName.Next("wgw");
        var log = Path.Combine(work.Dir, "detached.log");
        try
        {
            var r = ns.Exec("/bin/sh", ["-c", $"LOG_LEVEL=info exec dotnet {Repo.CliDll} wg userspace --workers 3 {detached} >{log} 2>&1"], TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0, r + File.ReadAllText(log));
            var pid = Userspace.FindDaemon(detached) ?? throw new InvalidOperationException("no detached daemon");
            Poll.Until(() => File.ReadAllText(log).Contains("3 worker(s)", StringComparison.Ordinal), "the detached copy's log line with 3 workers", TimeSpan.FromSeconds(20));
            Assert.True(Threads(pid, detached) == counts[1] + 4, $"detached --workers 3: {Threads(pid, detached)} data-plane threads, --workers 1: {counts[1]}");
            ns.Ip($"link del {detached}");
            Poll.Until(() => !Userspace.IsAlive(pid), $"daemon {pid} to exit", TimeSpan.FromSeconds(30));
        }
        finally
        {
            ns.Exec("ip", ["link", "del", detached]);
            Userspace.Reap(detached);
        }
    }

    [RootFact]
    public void LogLevel_Foreground_AndTheDetachedCopyKeepsOutputOnlyWhenAsked()
    {
        using var ns = NetNs.Create("stwu");
        using var work = new Userspace();
        var key = work.Write("key", WgKey.Generate().Private + "\n");

        // -f, LOG_LEVEL=verbose: info and debug lines; deletion ends it with exit 0.
        var verbose = UniqueName.Next("wgu");
        using (var d = Daemon.StartIn(ns.Name, "dotnet", Repo.Cli("wg", "userspace", "-f", verbose), new Dictionary<string, string> { ["LOG_LEVEL"] = "verbose" }))
        {
            d.WaitForOutput("UAPI listener started", TimeSpan.FromSeconds(60));
            ns.Exec("wg", ["set", verbose, "private-key", key]).EnsureSuccess();
            d.WaitForOutput("private key changed", TimeSpan.FromSeconds(20));
            ns.Ip($"link del {verbose}");
            Assert.True(d.WaitForExit(TimeSpan.FromSeconds(30)), d.Output);
            Assert.Equal(0, d.ExitCode);
            Assert.Contains("device deleted; shutting down", d.Output, StringComparison.Ordinal);
        }

        // WG_PROCESS_FOREGROUND=1 without -f stays in the foreground; LOG_LEVEL=silent: not a line, not even the deletion.
        var quiet = UniqueName.Next("wgu");
        using (var d = Daemon.StartIn(ns.Name, "env", ["LOG_LEVEL=silent", "WG_PROCESS_FOREGROUND=1", "dotnet", .. Repo.Cli("wg", "userspace", quiet)]))
        {
            d.WaitUntil(() => Uapi.Answers(quiet), $"UAPI socket of {quiet}", TimeSpan.FromSeconds(60));
            ns.Exec("wg", ["set", quiet, "private-key", key]).EnsureSuccess();
            // Still the process the test started (ip netns exec, env and the dotnet host exec in place): no detaching.
            Assert.Equal(d.Pid, Userspace.FindDaemon(quiet));
            ns.Ip($"link del {quiet}");
            Assert.True(d.WaitForExit(TimeSpan.FromSeconds(30)), d.Output);
            Assert.Equal(0, d.ExitCode);
            Assert.Equal("", d.Output);
        }

        // Detached with LOG_LEVEL=verbose: the copy keeps stdout (here a file), as wireguard-go's does.
        var detached = UniqueName.Next("wgu");
        var log = Path.Combine(work.Dir, "detached.log");
        try
        {
            var r = ns.Exec("/bin/sh", ["-c", $"LOG_LEVEL=verbose exec dotnet {Repo.CliDll} wg userspace {detached} >{log} 2>&1"], TimeSpan.FromSeconds(90));
            Assert.True(r.ExitCode == 0, r + File.ReadAllText(log));
            var pid = Userspace.FindDaemon(detached) ?? throw new InvalidOperationException("no detached daemon");
            Poll.Until(() => File.ReadAllText(log).Contains("UAPI listener started", StringComparison.Ordinal), "the detached copy's log line", TimeSpan.FromSeconds(20));
            ns.Ip($"link del {detached}");
            Poll.Until(() => !Userspace.IsAlive(pid), $"daemon {pid} to exit", TimeSpan.FromSeconds(30));
            Assert.Contains("device deleted; shutting down", File.ReadAllText(log), StringComparison.Ordinal);
            output.WriteLine(File.ReadAllText(log));
        }
        finally
        {
            ns.Exec("ip", ["link", "del", detached]);
            Userspace.Reap(detached);
        }
    }

    [RootFact]
    public void MovedToAnotherNamespaceAndBack_WhileAPeerPings()
    {
        using var lab = new WireLab();
        var home = lab.AddHost();
        var peerHost = lab.AddHost();
        using var away = NetNs.Create("stwa");
        using var work = new Userspace();
        var (name, ours, _, peer) = StartPair(home, peerHost, work);

        Traffic.Ping(peerHost, home.InnerV4);
        Traffic.Ping(home, peerHost.InnerV6);
        // One ping from the peer runs through both moves (5 a second, at most 60 s; packets that arrive while
        // the device is down in the other namespace are dropped, not fatal).
        using var pinger = peerHost.Start("ping", "-n", "-i", "0.2", "-w", "60", home.InnerV4);
        pinger.WaitUntil(() => LastReply(pinger.Output) >= 3, "the peer's continuous ping to get replies", TimeSpan.FromSeconds(20));

        // Away: the tun follows the device; the UDP socket and the UAPI socket stay in (and for) home.
        var beforeMove = LastReply(pinger.Output);
        home.Ns.Ip($"link set {name} netns {away.Name}");
        Assert.NotEqual(0, home.Ns.Exec("ip", ["link", "show", name]).ExitCode);
        Configure(away, name, home);
        var before = WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut).Peer(peer.PublicKey);
        Traffic.Ping(peerHost, home.InnerV4);
        Traffic.Ping(peerHost, home.InnerV6);
        var fromAway = away.Exec("ping", ["-n", "-q", "-c", "3", "-i", "0.2", "-w", "20", peerHost.InnerV4], TimeSpan.FromSeconds(40));
        Assert.True(fromAway.ExitCode == 0, fromAway.ToString());
        pinger.WaitUntil(() => LastReply(pinger.Output) > beforeMove + 2, "the continuous ping to get replies from the other namespace", TimeSpan.FromSeconds(20));
        var whileAway = LastReply(pinger.Output);
        var after = WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut).Peer(peer.PublicKey);
        Assert.True(after.RxBytes > before.RxBytes && after.TxBytes > before.TxBytes, $"{before} -> {after}");
        // The UAPI keeps configuring it there.
        home.Must("wg", "set", name, "peer", peer.PublicKey, "persistent-keepalive", "7");
        Assert.Equal("7", WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut).Peer(peer.PublicKey).PersistentKeepalive);

        // And back.
        away.Ip($"link set {name} netns {home.Name}");
        Configure(home.Ns, name, home);
        Traffic.Ping(peerHost, home.InnerV4);
        Traffic.Ping(home, peerHost.InnerV4);
        ours.EnsureRunning("the device came back");
        pinger.WaitUntil(() => LastReply(pinger.Output) > whileAway + 2, "the continuous ping to get replies after the move back", TimeSpan.FromSeconds(20));

        home.Ns.Ip($"link del {name}");
        Assert.True(ours.WaitForExit(TimeSpan.FromSeconds(30)), ours.Output);
        Assert.Equal(0, ours.ExitCode);
        Poll.Until(() => !File.Exists(Uapi.SocketPath(name)), $"{Uapi.SocketPath(name)} removed", TimeSpan.FromSeconds(10));
    }

    [RootFact]
    public void ZeroKey_ClearsIt_PeersStay_NoHandshake_UntilAKeyIsSetAgain()
    {
        using var lab = new WireLab();
        var home = lab.AddHost();
        var peerHost = lab.AddHost();
        using var work = new Userspace();
        var (name, ours, ko, peer) = StartPair(home, peerHost, work);
        Traffic.Ping(home, peerHost.InnerV4);

        // wg set IF private-key /dev/null: all zeros over the UAPI.
        home.Must("wg", "set", name, "private-key", "/dev/null");
        var cleared = WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut);
        Assert.Equal("(none)", cleared.PrivateKey);
        Assert.Single(cleared.Peers);
        Assert.Equal(0, cleared.Peer(peer.PublicKey).LatestHandshake);
        Assert.DoesNotContain("private key", home.Must("wg", "show", name).StdOut, StringComparison.Ordinal);
        // Neither side can make a session now: our initiations are not sent, theirs are not answered.
        Assert.Equal(0, Traffic.Received(Traffic.PingRaw(home, peerHost.InnerV4, 3, 3).StdOut));
        Assert.Equal(0, Traffic.Received(Traffic.PingRaw(peerHost, home.InnerV4, 3, 8).StdOut));
        Assert.Equal(0, WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut).Peer(peer.PublicKey).LatestHandshake);
        ours.EnsureRunning("the key was cleared");

        // A key again: handshakes resume.
        home.Must("wg", "set", name, "private-key", work.Write("key2", ko.Private + "\n"));
        Traffic.Ping(home, peerHost.InnerV4);
        Assert.True(WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut).Peer(peer.PublicKey).LatestHandshake > 0);

        // wg setconf of a file without PrivateKey succeeds (it sends a zero key): no key, the file's peer.
        var setconf = home.Exec("wg", "setconf", name, work.Write("nokey.conf",
            $"[Interface]\nListenPort = {Pairs.Port}\n\n[Peer]\nPublicKey = {peer.PublicKey}\nAllowedIPs = {Pairs.HostRoutes(peerHost)}\nEndpoint = {peerHost.OuterV4}:{Pairs.Port}\n"));
        Assert.True(setconf.ExitCode == 0, setconf.ToString());
        var after = WgDump.Parse(home.Must("wg", "show", name, "dump").StdOut);
        Assert.Equal("(none)", after.PrivateKey);
        Assert.Equal(Pairs.Port, after.ListenPort);
        Assert.Equal(peer.PublicKey, Assert.Single(after.Peers).PublicKey);
        ours.EnsureRunning("setconf without a key");
        home.Ns.Ip($"link del {name}");
        Assert.True(ours.WaitForExit(TimeSpan.FromSeconds(30)), ours.Output);
    }

    /// <summary>The highest icmp_seq ping printed a reply for (0: none yet).</summary>
    private static int LastReply(string pingOutput) =>
        System.Text.RegularExpressions.Regex.Matches(pingOutput, @"icmp_seq=(\d+) ttl=").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    /// <summary>
    /// <c>wg userspace -f</c> in <paramref name="home"/>, configured only with the stock tools (wg setconf, ip)
    /// for a SharpTun peer (<c>wg up</c>) in <paramref name="peerHost"/>; both know each other's endpoint.
    /// </summary>
    private static (string Name, Daemon Ours, WgKey Key, SharpTunWg Peer) StartPair(LabHost home, LabHost peerHost, Userspace work)
    {
        var ko = WgKey.Generate();
        var kp = WgKey.Generate();
        var name = UniqueName.Next("wgu");
        var ours = home.Own(Daemon.StartIn(home.Name, "dotnet", Repo.Cli("wg", "userspace", "-f", name),
            new Dictionary<string, string> { ["LOG_LEVEL"] = "verbose" }));
        home.Own(new Cleanup(() => Userspace.Reap(name)));
        ours.WaitUntil(() => Uapi.Answers(name), $"UAPI socket of {name}", TimeSpan.FromSeconds(60));
        home.Must("wg", "setconf", name, work.Write(name + ".setconf",
            $"[Interface]\nPrivateKey = {ko.Private}\nListenPort = {Pairs.Port}\n\n[Peer]\nPublicKey = {kp.Public}\n"
            + $"AllowedIPs = {Pairs.HostRoutes(peerHost)}\nEndpoint = {peerHost.OuterV4}:{Pairs.Port}\n"));
        Configure(home.Ns, name, home);
        var peer = SharpTunWg.Start(peerHost, new WgConfig(kp, Pairs.Port, Pairs.InnerAddresses(peerHost),
            [new WgPeer(ko.Public, Pairs.HostRoutes(home), $"{home.OuterV4}:{Pairs.Port}")]));
        return (name, ours, ko, peer);
    }

    /// <summary>The inner addresses of <paramref name="owner"/> on the device in <paramref name="ns"/>, link up (as after every move: addresses do not travel).</summary>
    private static void Configure(NetNs ns, string name, LabHost owner)
    {
        ns.Ip($"addr add {owner.InnerV4}/24 dev {name}");
        ns.Ip($"addr add {owner.InnerV6}/64 dev {name} nodad");
        ns.Ip($"link set {name} up");
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

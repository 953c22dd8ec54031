using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: <c>sharptun wg up</c> with <c>AllowedIPs = 0.0.0.0/0, ::/0</c> as wg-quick does it (fwmark table,
/// rules, nftables, src_valid_mark), <c>Table = NAME</c> from rt_tables, SaveConfig at down, and nothing left
/// behind by down — also after kill -9. Three namespaces: the client (no default route of its own), the server
/// (forwarding) and an "internet" host behind the server that only the tunnel reaches.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class FullTunnelLiveTests(ITestOutputHelper output)
{
    private const string InternetV4 = "198.18.5.2";
    private const string InternetV6 = "2001:db8:5::2";

    [RootFact]
    public void DefaultRouteThroughTheTunnel_ReachesTheInternetHost_NoLeak_NothingLeftBehind()
    {
        using var lab = new WireLab();
        var client = lab.AddHost();
        var server = lab.AddHost();
        using var internet = AddInternet(lab, server);
        var ck = WgKey.Generate();
        var sk = WgKey.Generate();
        // wg-quick's MTU rule: the route to the endpoint says 1440, so the interface gets 1440 - 80.
        client.Ns.Ip($"route add {server.OuterV4}/32 dev wire0 mtu 1440");
        // The wire's own IPv6 link-local address (and its local route) appears once DAD is done: wait for it, so
        // that "before" is the settled state and not a moment of it.
        Poll.Until(() => client.Must("ip", "-6", "addr", "show", "dev", "wire0", "scope", "link").StdOut.Contains("fe80", StringComparison.Ordinal)
            && client.Must("ip", "-6", "addr", "show", "dev", "wire0", "tentative").StdOut.Trim().Length == 0
            && client.Must("ip", "-6", "route", "show", "table", "local").StdOut.Contains("local fe80", StringComparison.Ordinal),
            "the client's wire to finish IPv6 DAD", TimeSpan.FromSeconds(30));
        var before = State(client);
        Assert.DoesNotContain("\"dst\":\"default\"", before, StringComparison.Ordinal); // the client has no way out but the tunnel

        SharpTunWg.Start(server, new WgConfig(sk, Pairs.Port, Pairs.InnerAddresses(server), [new WgPeer(ck.Public, Pairs.HostRoutes(client))]));
        var cli = SharpTunWg.Start(client, new WgConfig(ck, Pairs.Port, Pairs.InnerAddresses(client),
            [new WgPeer(sk.Public, "0.0.0.0/0, ::/0", $"{server.OuterV4}:{Pairs.Port}")]));
        try
        {
            var mtu = JsonDocument.Parse(client.Must("ip", "-j", "link", "show", cli.Name).StdOut).RootElement[0].GetProperty("mtu").GetInt32();
            Assert.Equal(1440 - 80, mtu);
            AssertFullTunnelInstalled(client, cli.Name);

            using (var capture = new Capture(client, "wire0", 1_000_000, "ip or ip6"))
            {
                Traffic.Ping(client, InternetV4);
                Traffic.Ping(client, InternetV6);
                var v4 = Traffic.TcpTransfer(client, internet, InternetV4, 2_000_000, seed: 18);
                var v6 = Traffic.TcpTransfer(client, internet, InternetV6, 2_000_000, seed: 19);
                Assert.Equal(v4.Sent, v4.Received);
                Assert.Equal(v6.Sent, v6.Received);
                output.WriteLine($"through the tunnel to the internet host: 2 MB over v4 in {v4.Seconds:0.00} s, over v6 in {v6.Seconds:0.00} s, mtu {mtu}");
                capture.Stop();
                AssertOnlyTunnelUdp(client, capture.File, server.OuterV4, client.OuterV4);
            }

            var down = cli.Down();
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.True(cli.Process.WaitForExit(TimeSpan.FromSeconds(20)), cli.Process.Output);
            AssertSameState(before, State(client), "after 'wg down'");
            Assert.False(File.Exists(RecordPath(cli.Name)), "the full-tunnel record outlived 'wg down'");

            // kill -9: the rules, nftables tables and sysctl stay; 'wg down' removes them from the record.
            cli.StartAgain();
            AssertFullTunnelInstalled(client, cli.Name);
            cli.Kill();
            Assert.True(File.Exists(RecordPath(cli.Name)), "expected the record to outlive kill -9 (else this proves nothing)");
            Assert.Contains("wg-quick-" + cli.Name, client.Must("nft", "list", "tables").StdOut, StringComparison.Ordinal);
            down = cli.Down();
            Assert.True(down.ExitCode == 0, down.ToString());
            AssertSameState(before, State(client), "after kill -9 and 'wg down'");
            Assert.False(File.Exists(RecordPath(cli.Name)), "'wg down' after kill -9 left the full-tunnel record");

            // kill -9, then the next 'wg up' clears what the dead one left and works; down leaves nothing.
            cli.StartAgain();
            cli.Kill();
            cli.StartAgain();
            AssertFullTunnelInstalled(client, cli.Name);
            Assert.Single(Rules(client, "-4"), r => r.Contains("\"suppress_prefixlen\":0", StringComparison.Ordinal));
            Traffic.Ping(client, InternetV4, deadlineSeconds: 20);
            down = cli.Down();
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.True(cli.Process.WaitForExit(TimeSpan.FromSeconds(20)), cli.Process.Output);
            AssertSameState(before, State(client), "after kill -9, 'wg up' again and 'wg down'");
        }
        finally
        {
            // On failure: what a killed daemon leaves outside its namespace (the namespace takes its rules with it).
            cli.Process.Kill();
            File.Delete(RecordPath(cli.Name));
            File.Delete($"/run/sharptun/{cli.Name}.pid");
        }
    }

    [RootFact]
    public void TableName_FromRtTablesD_RoutesGoThere_UnknownName_NamesTheTableLine()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var tableName = UniqueName.Next("sttbl").Replace('-', '_');
        var id = 20000 + (Environment.ProcessId % 10000);
        var file = $"/etc/iproute2/rt_tables.d/{tableName}.conf";
        var createdDir = !Directory.Exists("/etc/iproute2/rt_tables.d");
        Directory.CreateDirectory("/etc/iproute2/rt_tables.d");
        File.WriteAllText(file, $"# SharpTun test, removed by the test\n{id}\t{tableName}\n");
        try
        {
            var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
                [new WgPeer(WgKey.Generate().Public, "198.19.9.0/24, 0.0.0.0/0", "198.18.0.9:51820")])
            { InterfaceLines = [$"Table = {tableName}"] };
            var wg = SharpTunWg.Start(h, config);
            var inTable = h.Must("ip", "-j", "route", "show", "table", id.ToString(CultureInfo.InvariantCulture)).StdOut;
            output.WriteLine($"Table = {tableName} ({file}: {id}): {inTable}");
            Assert.Contains("\"dst\":\"198.19.9.0/24\"", inTable, StringComparison.Ordinal);
            Assert.Contains("\"dst\":\"default\"", inTable, StringComparison.Ordinal); // an explicit table takes the /0 as it is (wg-quick)
            Assert.DoesNotContain("198.19.9.0/24", h.Must("ip", "-j", "route", "show", "table", "main").StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("51820", h.Must("ip", "rule").StdOut, StringComparison.Ordinal); // no policy rules for a named table
            var down = wg.Down();
            Assert.True(down.ExitCode == 0, down.ToString());

            // A name no rt_tables file defines: the error points at the Table line, not at [Interface].
            var bad = config with { InterfaceLines = ["Table = nosuchtable_st"] };
            var name = UniqueName.Next("wgt");
            var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
            try
            {
                var conf = Path.Combine(dir, name + ".conf");
                File.WriteAllText(conf, bad.WgQuick());
                var line = Array.FindIndex(bad.WgQuick().Split('\n'), l => l.StartsWith("Table", StringComparison.Ordinal)) + 1;
                Assert.True(line > 2, "the Table line must not be the [Interface] line, else this proves nothing");
                var r = h.Sharptun("wg", "up", conf);
                output.WriteLine($"unknown table: exit {r.ExitCode}: {r.StdErr.Trim()}");
                Assert.NotEqual(0, r.ExitCode);
                Assert.Contains($"{name}.conf:{line}: Table: table name 'nosuchtable_st' is not defined in /etc/iproute2/rt_tables", r.StdErr, StringComparison.Ordinal);
                Assert.False(LinkStats.Exists(h, name));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        finally
        {
            File.Delete(file);
            if (createdDir && !Directory.EnumerateFileSystemEntries("/etc/iproute2/rt_tables.d").Any())
            {
                Directory.Delete("/etc/iproute2/rt_tables.d");
            }
        }
    }

    [RootFact]
    public void SaveConfig_WritesTheRunningState_AtDown_Mode0600()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var peer = WgKey.Generate();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(peer.Public, "198.19.9.0/24", "198.18.0.9:51820")])
        { InterfaceLines = ["SaveConfig = true", "MTU = 1380", "PostUp = true %i"] };
        var wg = SharpTunWg.Start(h, config);
        File.SetUnixFileMode(wg.ConfPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var added = WgKey.Generate();
        wg.Wg("set", wg.Name, "peer", added.Public, "allowed-ips", "198.19.77.0/24", "endpoint", "198.18.0.77:4444", "persistent-keepalive", "21");
        wg.Wg("set", wg.Name, "peer", peer.Public, "allowed-ips", "198.19.9.0/24,198.19.10.0/24");
        var down = wg.Down();
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(wg.Process.WaitForExit(TimeSpan.FromSeconds(20)), wg.Process.Output);

        var text = File.ReadAllText(wg.ConfPath);
        output.WriteLine(text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(wg.ConfPath));
        Assert.False(File.Exists(wg.ConfPath + ".tmp"));
        var saved = WireGuardConfig.Parse(text, Path.GetFileName(wg.ConfPath));
        Assert.True(saved.Interface.SaveConfig);
        Assert.Equal(1380, saved.Interface.Mtu);
        Assert.Equal(["true %i"], saved.Interface.PostUp);
        Assert.Equal(config.Addresses, saved.Interface.Addresses.Select(a => a.ToString()));
        Assert.Equal((ushort)Pairs.Port, saved.Interface.ListenPort);
        Assert.Equal(config.Key.Private, Convert.ToBase64String(saved.Interface.PrivateKey!));
        Assert.Equal(2, saved.Peers.Count);
        var p1 = saved.Peers.Single(p => Convert.ToBase64String(p.PublicKey) == peer.Public);
        Assert.Equal(["198.19.9.0/24", "198.19.10.0/24"], p1.AllowedIps.Select(n => n.ToString()));
        var p2 = saved.Peers.Single(p => Convert.ToBase64String(p.PublicKey) == added.Public);
        Assert.Equal(["198.19.77.0/24"], p2.AllowedIps.Select(n => n.ToString()));
        Assert.Equal("198.18.0.77:4444", p2.Endpoint?.ToString());
        Assert.Equal((ushort)21, p2.PersistentKeepalive);

        // The saved file brings the interface up again with both peers.
        wg.StartAgain();
        var peers = wg.Wg("show", wg.Name, "peers");
        Assert.Contains(added.Public, peers, StringComparison.Ordinal);
        Assert.Contains(peer.Public, peers, StringComparison.Ordinal);
        Assert.True(wg.Down().ExitCode == 0);
    }

    [RootFact]
    public void SameRulesRoutesNftablesAndSysctl_AsStockWgQuick()
    {
        // The judge: /usr/bin/wg-quick itself (userspace wireguard-go: no kernel module here) on the same config
        // in the same namespace, then sharptun; what each installed outside its device must be the same.
        Assert.True(File.Exists("/usr/bin/wg-quick") && File.Exists("/usr/bin/wireguard-go"), "wg-quick and wireguard-go (Debian packages wireguard-tools, wireguard-go; test.sh installs them) are needed");
        using var lab = new WireLab();
        var h = lab.AddHost();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(WgKey.Generate().Public, "198.19.9.0/24, 0.0.0.0/0, ::/0", "198.18.0.2:51820")]);
        var name = UniqueName.Next("wgq");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        config.WriteWgQuick(conf);
        var before = h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim();
        try
        {
            var up = h.Exec("wg-quick", "up", conf);
            Assert.True(up.ExitCode == 0, up.ToString());
            var theirs = Installed(h, name);
            var down = h.Exec("wg-quick", "down", conf);
            Assert.True(down.ExitCode == 0, down.ToString());
            Poll.Until(() => !LinkStats.Exists(h, name) && !File.Exists(Uapi.SocketPath(name)), $"wireguard-go's {name} to go away after wg-quick down", TimeSpan.FromSeconds(30));
            h.Must("sysctl", "-q", $"net.ipv4.conf.all.src_valid_mark={before}"); // wg-quick leaves it set

            using (var ours = Daemon.StartIn(h.Name, "dotnet", Repo.Cli("wg", "up", conf)))
            {
                ours.WaitUntil(() => Uapi.Answers(name) && File.Exists(RecordPath(name)) && h.Must("nft", "list", "tables").StdOut.Contains("ip wg-quick-" + name, StringComparison.Ordinal),
                    $"sharptun wg up {name} to install its full tunnel", TimeSpan.FromSeconds(60));
                var mine = Installed(h, name);
                output.WriteLine($"--- wg-quick\n{theirs}\n--- sharptun\n{mine}");
                Assert.Equal(theirs, mine);
                var d = h.Sharptun("wg", "down", name);
                Assert.True(d.ExitCode == 0, d.ToString());
                Assert.True(ours.WaitForExit(TimeSpan.FromSeconds(20)), ours.Output);
            }
            Assert.Equal(before, h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim());
        }
        finally
        {
            if (LinkStats.Exists(h, name))
            {
                h.Exec("wg-quick", "down", conf);
            }
            Directory.Delete(dir, recursive: true);
            foreach (var f in new[] { RecordPath(name), $"/run/sharptun/{name}.pid", Uapi.SocketPath(name) })
            {
                File.Delete(f);
            }
        }
    }

    /// <summary>
    /// Rules, the fwmark table's routes, the nftables ruleset (table handles aside: they count up per namespace;
    /// link-local addresses aside: random per device), the sysctl, wg's fwmark and the MTU.
    /// </summary>
    private static string Installed(LabHost h, string dev) => string.Join("\n",
        h.Must("ip", "-j", "rule").StdOut.Trim(),
        h.Must("ip", "-j", "-6", "rule").StdOut.Trim(),
        h.Must("ip", "-j", "route", "show", "table", "51820").StdOut.Trim(),
        h.Must("ip", "-j", "-6", "route", "show", "table", "51820").StdOut.Trim(),
        h.Must("ip", "-j", "route", "show", "dev", dev).StdOut.Trim(),
        // The device's IPv6 link-local address (in a preraw rule) is random per device.
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(h.Must("nft", "-j", "list", "ruleset").StdOut.Trim(), @"\{""table"": \{""family"": ""(ip6?)"", ""name"": ""([^""]+)"", ""handle"": \d+", "{\"table\": {\"family\": \"$1\", \"name\": \"$2\", \"handle\": H"),
            @"""fe80::[0-9a-f:]+""", "\"fe80::LL\""),
        h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim(),
        h.Must("wg", "show", dev, "fwmark").StdOut.Trim(),
        JsonDocument.Parse(h.Must("ip", "-j", "link", "show", dev).StdOut).RootElement[0].GetProperty("mtu").GetInt32().ToString(CultureInfo.InvariantCulture));

    [RootFact]
    public void WithoutNft_UpFails_NamingTheInterfaceAndTheTool_LeavesNothing()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        var config = new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(WgKey.Generate().Public, "0.0.0.0/0, ::/0", "198.18.0.2:51820")]);
        var name = UniqueName.Next("wgn");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        var conf = Path.Combine(dir, name + ".conf");
        config.WriteWgQuick(conf);
        Poll.Until(() => h.Must("ip", "-6", "addr", "show", "dev", "wire0", "tentative").StdOut.Trim().Length == 0
            && h.Must("ip", "-6", "route", "show", "table", "local").StdOut.Contains("local fe80", StringComparison.Ordinal),
            "the wire to finish IPv6 DAD", TimeSpan.FromSeconds(30));
        var before = State(h);
        try
        {
            // nft is looked up on PATH, as wg-quick's 'type -p nft': a PATH without it is a machine without it.
            var dotnet = Run.Exec("sh", ["-c", "command -v dotnet"]).EnsureSuccess().StdOut.Trim();
            var r = h.Exec("env", ["PATH=/nonexistent", dotnet, .. Repo.Cli("wg", "up", conf)]);
            output.WriteLine($"without nft: exit {r.ExitCode}: {r.StdErr.Trim()}");
            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"interface '{name}': AllowedIPs ::/0 (a default route through the tunnel) needs nftables rules", r.StdErr, StringComparison.Ordinal);
            Assert.Contains("'nft' is not installed", r.StdErr, StringComparison.Ordinal);
            Assert.False(LinkStats.Exists(h, name), $"a failed 'wg up' left device {name}");
            Assert.False(File.Exists(RecordPath(name)), "a failed 'wg up' left its full-tunnel record");
            AssertSameState(before, State(h), "after a failed 'wg up'");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            foreach (var f in new[] { RecordPath(name), $"/run/sharptun/{name}.pid", Uapi.SocketPath(name) })
            {
                File.Delete(f);
            }
        }
    }

    [RootFact]
    public void TwoFullTunnels_NextTable_SysctlRestoredByTheLastDown()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        Poll.Until(() => h.Must("ip", "-6", "addr", "show", "dev", "wire0", "tentative").StdOut.Trim().Length == 0
            && h.Must("ip", "-6", "route", "show", "table", "local").StdOut.Contains("local fe80", StringComparison.Ordinal),
            "the wire to finish IPv6 DAD", TimeSpan.FromSeconds(30));
        var before = State(h);
        var a = SharpTunWg.Start(h, new WgConfig(WgKey.Generate(), 51820, ["198.19.0.1/24"], [new WgPeer(WgKey.Generate().Public, "0.0.0.0/0", "198.18.0.2:51820")]));
        var b = SharpTunWg.Start(h, new WgConfig(WgKey.Generate(), 51821, ["198.19.1.1/24"], [new WgPeer(WgKey.Generate().Public, "0.0.0.0/0", "198.18.0.3:51820")]));
        try
        {
            // The second takes the next table with no routes, as wg-quick; both have their rules.
            Assert.Equal("0xca6c", b.Wg("show", a.Name, "fwmark").Trim());
            Assert.Equal("0xca6d", b.Wg("show", b.Name, "fwmark").Trim());
            Assert.Contains($"\"dev\":\"{b.Name}\"", h.Must("ip", "-j", "route", "show", "table", "51821").StdOut, StringComparison.Ordinal);
            Assert.Equal("1", h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim());

            // The first down leaves the sysctl to the one still up; the last down puts it back.
            Assert.True(a.Down().ExitCode == 0);
            Assert.True(a.Process.WaitForExit(TimeSpan.FromSeconds(20)), a.Process.Output);
            Assert.Equal("1", h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim());
            Assert.Contains("table ip wg-quick-" + b.Name, h.Must("nft", "list", "tables").StdOut, StringComparison.Ordinal);
            Assert.DoesNotContain("wg-quick-" + a.Name, h.Must("nft", "list", "tables").StdOut, StringComparison.Ordinal);
            Assert.True(b.Down().ExitCode == 0);
            Assert.True(b.Process.WaitForExit(TimeSpan.FromSeconds(20)), b.Process.Output);
            AssertSameState(before, State(h), "after both went down");
        }
        finally
        {
            foreach (var n in new[] { a.Name, b.Name })
            {
                File.Delete(RecordPath(n));
            }
        }
    }

    [RootFact]
    public void UnderUser_DownFinishesWhatTheUnprivilegedDaemonCouldNotUndo()
    {
        using var lab = new WireLab();
        var h = lab.AddHost();
        Poll.Until(() => h.Must("ip", "-6", "addr", "show", "dev", "wire0", "tentative").StdOut.Trim().Length == 0
            && h.Must("ip", "-6", "route", "show", "table", "local").StdOut.Contains("local fe80", StringComparison.Ordinal),
            "the wire to finish IPv6 DAD", TimeSpan.FromSeconds(30));
        var before = State(h);
        var wg = SharpTunWg.Start(h, new WgConfig(WgKey.Generate(), Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(WgKey.Generate().Public, "0.0.0.0/0, ::/0", "198.18.0.2:51820")]), extraArgs: ["--user", "nobody"]);
        try
        {
            wg.Process.WaitForOutput("running as user 'nobody'", TimeSpan.FromSeconds(30));
            AssertFullTunnelInstalled(h, wg.Name);
            var down = wg.Down();
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.True(wg.Process.WaitForExit(TimeSpan.FromSeconds(20)), wg.Process.Output);
            // nft and the sysctl need root: the daemon says so, and 'wg down' (root) removes them from the record.
            Assert.Contains("'sharptun wg down " + wg.Name + "' as root removes the rest", wg.Process.Output, StringComparison.Ordinal);
            AssertSameState(before, State(h), "after 'wg down' of a --user daemon");
            Assert.False(File.Exists(RecordPath(wg.Name)));
        }
        finally
        {
            File.Delete(RecordPath(wg.Name));
        }
    }

    [RootFact]
    public void AutoMtu_IsWgQuicksRule_RouteMtu_DeviceMtu_DefaultRoute_1500()
    {
        using var ns = NetNs.Create("stmtu");
        ns.Ip("link add big type veth peer name big1");
        ns.Ip("link set big mtu 9000");
        ns.Ip("link set big1 mtu 9000");
        ns.Ip("addr add 198.18.7.1/24 dev big");
        ns.Ip("link set big up");
        ns.Ip("link set big1 up");
        using var nl = SharpTun.Linux.Netlink.RtNetlink.OpenInNamespace(ns.Name);
        int Mtu(params string[] endpoints) => NetworkSetup.AutoMtu(nl, endpoints.Select(System.Net.IPAddress.Parse));

        Assert.Equal(1500 - 80, Mtu());                       // no endpoint, no default route: 1500
        Assert.Equal(1500 - 80, Mtu("198.18.99.9"));          // an endpoint with no route counts for nothing
        Assert.Equal(9000 - 80, Mtu("198.18.7.7"));           // the device's MTU
        Assert.Equal(65536 - 80, Mtu("127.0.0.1", "198.18.7.7")); // the largest of the endpoints' (lo)
        ns.Ip("route add 198.18.7.77/32 dev big mtu 1300");
        Assert.Equal(1300 - 80, Mtu("198.18.7.77"));          // the route's own mtu beats its device's
        ns.Ip("route add default via 198.18.7.2 dev big mtu 1400");
        Assert.Equal(1400 - 80, Mtu());                       // no endpoint: the main default route's
        Assert.Equal(1400 - 80, Mtu("198.18.99.9"));          // reached through the default route
        output.WriteLine("auto MTU: 1420 without routes, 8920 on a 9000 device, 1220/1320 from route mtu 1300/1400, 65456 through lo");
    }

    /// <summary>The internet host: its own namespace behind the server (veth inet0), routes back to the tunnel subnets via the server.</summary>
    private static LabHost AddInternet(WireLab lab, LabHost server)
    {
        var internet = lab.AddDetachedHost(99, "stwi");
        var ns = internet.Ns;
        try
        {
            server.Ns.Ip($"link add inet0 type veth peer name inet0 netns {ns.Name}");
            server.Ns.Ip("addr add 198.18.5.1/24 dev inet0");
            server.Ns.Ip("addr add 2001:db8:5::1/64 dev inet0 nodad");
            server.Ns.Ip("link set inet0 up");
            ns.Ip($"addr add {InternetV4}/24 dev inet0");
            ns.Ip($"addr add {InternetV6}/64 dev inet0 nodad");
            ns.Ip("link set inet0 up");
            ns.Ip("route add 198.19.0.0/24 via 198.18.5.1");
            ns.Ip("-6 route add 2001:db8:2::/64 via 2001:db8:5::1");
            server.Must("sysctl", "-q", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
            return internet;
        }
        catch
        {
            internet.Dispose();
            throw;
        }
    }

    private static string RecordPath(string name) => $"/run/sharptun/{name}.fulltunnel";

    /// <summary>Everything a full tunnel touches outside its device, as JSON and text.</summary>
    private static string State(LabHost h) => string.Join("\n",
        h.Must("ip", "-j", "rule").StdOut.Trim(),
        h.Must("ip", "-j", "-6", "rule").StdOut.Trim(),
        h.Must("ip", "-j", "route", "show", "table", "all").StdOut.Trim(),
        h.Must("ip", "-j", "-6", "route", "show", "table", "all").StdOut.Trim(),
        h.Must("nft", "-j", "list", "ruleset").StdOut.Trim(),
        h.Must("sysctl", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim());

    private void AssertSameState(string before, string after, string when)
    {
        if (before != after)
        {
            output.WriteLine($"--- before\n{before}\n--- {when}\n{after}");
        }
        Assert.True(before == after, $"routing/rule/nft/sysctl state {when} differs from before 'wg up' (see the test output)");
    }

    private static List<string> Rules(LabHost h, string family) =>
        JsonDocument.Parse(h.Must("ip", "-j", family, "rule").StdOut).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();

    private static void AssertFullTunnelInstalled(LabHost h, string dev)
    {
        foreach (var family in new[] { "-4", "-6" })
        {
            var rules = Rules(h, family);
            Assert.Contains(rules, r => r.Contains("\"not\":null", StringComparison.Ordinal) && r.Contains("\"fwmark\":\"0xca6c\"", StringComparison.Ordinal)
                && r.Contains("\"table\":\"51820\"", StringComparison.Ordinal));
            Assert.Contains(rules, r => r.Contains("\"table\":\"main\"", StringComparison.Ordinal) && r.Contains("\"suppress_prefixlen\":0", StringComparison.Ordinal));
            var table = h.Must("ip", "-j", family, "route", "show", "table", "51820").StdOut;
            Assert.Contains($"\"dst\":\"default\",\"dev\":\"{dev}\"", table, StringComparison.Ordinal);
        }
        Assert.Equal("1", h.Must("sysctl", "-n", "net.ipv4.conf.all.src_valid_mark").StdOut.Trim());
        var tables = h.Must("nft", "list", "tables").StdOut;
        Assert.Contains($"table ip wg-quick-{dev}", tables, StringComparison.Ordinal);
        Assert.Contains($"table ip6 wg-quick-{dev}", tables, StringComparison.Ordinal);
        Assert.Equal("0xca6c", h.Must("wg", "show", dev, "fwmark").StdOut.Trim());
    }

    /// <summary>
    /// Every IP packet on the client's wire is WireGuard's UDP between the client and the server's endpoint,
    /// or IPv6 neighbour discovery/MLD of the wire itself: nothing of the tunnelled traffic in clear.
    /// </summary>
    private void AssertOnlyTunnelUdp(LabHost client, string pcap, string serverV4, string clientV4)
    {
        var r = client.Must("tshark", "-r", pcap, "-T", "fields", "-E", "separator=|",
            "-e", "ip.src", "-e", "ip.dst", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "icmpv6.type", "-e", "_ws.col.Protocol", "-e", "frame.len");
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var udp = 0;
        long udpBytes = 0;
        var port = Pairs.Port.ToString(CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            var f = line.Split('|');
            var (src, dst, src6, dst6, sport, dport, icmp6) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
            var tunnel = ((src == clientV4 && dst == serverV4 && dport == port) || (src == serverV4 && dst == clientV4 && sport == port)) && f[7] is "WireGuard" or "UDP";
            var nd = src6.Length > 0 && icmp6 is "133" or "134" or "135" or "136" or "143";
            // The path MTU probes (PathMtuProbe, each end probes the path to its peer's endpoint): a datagram of
            // the probe size to the other end's discard port 9 (its content never reaches WireGuard, nothing of the
            // tunnelled traffic), and the "port unreachable" answering it (tshark lists the quoted header's
            // addresses after a comma).
            var ends = (src.Split(',')[0], dst.Split(',')[0]);
            var between = ends == (clientV4, serverV4) || ends == (serverV4, clientV4);
            var mtuProbe = between && ((dport == "9" && f[7] is "UDP" or "DISCARD") || f[7] == "ICMP");
            Assert.True(tunnel || nd || mtuProbe, $"a packet on the client's wire that is not the tunnel's UDP: {line}");
            udp += tunnel ? 1 : 0;
            udpBytes += tunnel ? long.Parse(f[8], CultureInfo.InvariantCulture) : 0;
            _ = dst6;
        }
        output.WriteLine($"capture on the client's wire: {lines.Length} IP packets, {udp} of them WireGuard UDP {clientV4} <-> {serverV4}:{port} ({udpBytes} bytes; UDP GSO/GRO batches), nothing else but neighbour discovery");
        Assert.True(udpBytes > 4_000_000, $"expected the 4 MB of TCP and the pings as WireGuard UDP on the wire, saw {udp} packets of {udpBytes} bytes");
    }
}

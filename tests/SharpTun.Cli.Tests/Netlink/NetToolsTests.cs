using System.Text.Json.Nodes;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>sharptun netstat</c>, <c>route</c> (net-tools grammar) and configuring <c>ifconfig</c>, judged by net-tools 2.10
/// itself on the same namespace state: the whole output, byte for byte.
/// </summary>
public class NetToolsTests
{
    private static ProcessResult Ours(NetNs ns, string args) =>
        Run.Exec("dotnet", Repo.Cli(["-n", ns.Name, .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]));

    private static string Theirs(NetNs ns, string tool, string args) =>
        ns.Exec(tool, args.Split(' ', StringSplitOptions.RemoveEmptyEntries)).EnsureSuccess().StdOut;

    /// <summary>Both outputs, equal (polled: a counter or a socket may still move between the two runs).</summary>
    private static string Same(NetNs ns, string tool, string args)
    {
        string theirs = "", ours = "";
        Poll.Until(() =>
        {
            theirs = Theirs(ns, tool, args);
            ours = Ours(ns, $"{tool} {args}").EnsureSuccess().StdOut;
            return theirs == ours;
        }, $"'{tool} {args}' and 'sharptun {tool} {args}' to print the same", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(300));
        Assert.Equal(theirs, ours);
        return ours;
    }

    /// <summary>A namespace with a veth pair, IPv4 and IPv6 addresses, routes, no IPv6 autoconfiguration traffic.</summary>
    private static NetNs Lab()
    {
        var ns = NetNs.Create("stnt");
        try
        {
            ns.Exec("sysctl", ["-qw", "net.ipv6.conf.default.accept_dad=0"]).EnsureSuccess();
            ns.Exec("sysctl", ["-qw", "net.ipv6.conf.default.router_solicitations=0"]).EnsureSuccess();
            ns.Ip("link add v0 type veth peer name v1");
            ns.Ip("addr add 198.18.0.1/24 dev v0");
            ns.Ip("addr add 198.18.0.2/24 dev v1");
            ns.Ip("addr add 2001:db8::1/64 dev v0 nodad");
            ns.Ip("link set v0 up");
            ns.Ip("link set v1 up");
            ns.Ip("route add 198.19.0.0/16 via 198.18.0.2 metric 5");
            ns.Ip("route add 198.19.7.7 dev v0");
            ns.Ip("route add unreachable 198.19.9.0/24");
            return ns;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    [RootFact]
    public void Netstat_Sockets_MatchNetTools()
    {
        using var ns = Lab();
        var sock = $"/tmp/{UniqueName.Next("stnt")}.sock";
        try
        {
            var listener = ns.Start("socat", ["TCP-LISTEN:5000,reuseaddr,fork", "EXEC:cat"]);
            ns.Start("socat", ["TCP6-LISTEN:22,ipv6only=1,bind=[::1]", "-"]);
            ns.Start("socat", ["TCP4-LISTEN:22,bind=127.0.0.1", "-"]);
            var udp = ns.Start("socat", ["-u", "UDP4-RECV:5002", "-"]);
            ns.Start("socat", ["-u", "UDP6-RECV:53", "-"]);
            ns.Start("socat", [$"UNIX-LISTEN:{sock}", "-"]);
            var raw = ns.Start("socat", ["-u", "IP4-RECV:1", "-"]);
            ns.Start("socat", ["-u", "IP6-RECV:58", "-"]);
            Poll.Until(() => ns.Exec("ss", ["-tlnH"]).StdOut.Contains(":5000") && ns.Exec("ss", ["-ulnH"]).StdOut.Contains(":53")
                && File.Exists(sock) && ns.Exec("netstat", ["-wln"]).StdOut.Contains(":::58"), "the listeners", TimeSpan.FromSeconds(20));
            ns.Start("sh", ["-c", "sleep 60 | socat - TCP:198.18.0.1:5000"]);
            Poll.Until(() => ns.Exec("ss", ["-tnH", "state", "established"]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2,
                "an established connection (both ends)", TimeSpan.FromSeconds(20));

            var tulpn = Same(ns, "netstat", "-tulpn");
            Assert.StartsWith("Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n", tulpn);
            Assert.Contains($"tcp        0      0 0.0.0.0:5000            0.0.0.0:*               LISTEN      {listener.Id}/socat", tulpn);
            Assert.Contains($"udp        0      0 0.0.0.0:5002            0.0.0.0:*                           {udp.Id}/socat", tulpn);
            Assert.Contains("tcp6       0      0 ::1:22                  :::*                    LISTEN", tulpn);

            var an = Same(ns, "netstat", "-an");
            Assert.Contains("Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node   Path\n", an);
            Assert.Matches($@"unix  2      \[ ACC \]     STREAM     LISTENING     \d+ +{sock}\n", an);
            Assert.Equal(2, an.Split('\n').Count(l => l.StartsWith("tcp", StringComparison.Ordinal) && l.Contains("ESTABLISHED", StringComparison.Ordinal)));

            var wanp = Same(ns, "netstat", "-wanp");
            Assert.Contains($"raw        0      0 0.0.0.0:1               0.0.0.0:*               7           {raw.Id}/socat", wanp);
            Assert.Contains("raw6       0      0 :::58                   :::*                    7", wanp);
            Assert.Contains("[::]:ipv6-icmp", Same(ns, "netstat", "-wl"));
            foreach (var args in new[] { "-ap", "-a", "-wl", "-an6", "-tue", "-anp", "-tnp", "-tulpne", "-xp", "-lx", "-t", "-ta", "-tua", "-l", "-tuW", "-A inet6 -n", "-4 -tn", "--tcp --numeric --listening" })
            {
                Same(ns, "netstat", args);
            }
            // Names without -n: services (ssh, domain) and localhost from the local files.
            Assert.Contains("[::]:domain", Same(ns, "netstat", "-ua"));
            Assert.Contains("localhost:ssh", Same(ns, "netstat", "-tl"));
        }
        finally
        {
            File.Delete(sock);
        }
    }

    [RootFact]
    public void Netstat_RouteAndInterfaceTables_MatchNetTools()
    {
        using var ns = Lab();
        var rn = Same(ns, "netstat", "-rn");
        Assert.Equal(
            "Kernel IP routing table\n" +
            "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n" +
            "198.18.0.0      0.0.0.0         255.255.255.0   U         0 0          0 v0\n" +
            "198.18.0.0      0.0.0.0         255.255.255.0   U         0 0          0 v1\n" +
            "198.19.0.0      198.18.0.2      255.255.0.0     UG        0 0          0 v1\n" +
            "198.19.7.7      0.0.0.0         255.255.255.255 UH        0 0          0 v0\n" +
            "198.19.9.0      -               255.255.255.0   !         - -          - -\n", rn);
        foreach (var args in new[] { "-r", "-rne", "-rnee", "-i", "-ia" })
        {
            Same(ns, "netstat", args);
        }
        // v0 has a global and a link-local IPv6 address: ifconfig's blocks list them in /proc/net/if_inet6's order.
        var ie = Same(ns, "netstat", "-ie");
        Assert.Equal(2, ie[ie.IndexOf("v0: flags", StringComparison.Ordinal)..].Split("\n\n")[0].Split('\n').Count(l => l.Contains("inet6 ", StringComparison.Ordinal)));
        Same(ns, "ifconfig", "-a");
        foreach (var args in new[] { "-n", "", "-e", "-ee", "-nee" })
        {
            if (args.Length > 0)
            {
                Same(ns, "route", args);
            }
        }
        Assert.Contains("198.19.0.0      198.18.0.2      255.255.0.0     UG    5      0        0 v1\n", Same(ns, "route", "-n"));
        // Statistics of the namespace's /proc/net/snmp, netstat and snmp6, with ICMP echo traffic in the histograms.
        ns.Exec("ping", ["-c", "2", "-i", "0.2", "127.0.0.1"]).EnsureSuccess();
        var stats = Same(ns, "netstat", "-s");
        Assert.Contains("Icmp:\n    4 ICMP messages received\n    0 input ICMP message failed\n    ICMP input histogram:\n        echo requests: 2\n        echo replies: 2\n", stats);
        Assert.Contains("\nTcpExt:\n", stats);
        foreach (var args in new[] { "-st", "-su", "-sw", "-s6", "-st6" })
        {
            Same(ns, "netstat", args);
        }
        Same(ns, "ifconfig", "-s");
        Same(ns, "ifconfig", "-a -s");
        // 'route' alone stays ip's 'route show', line for line (an IPv4 route's line ends in a space in both).
        Assert.Equal(ns.Ip("route").Split('\n'), Ours(ns, "route").EnsureSuccess().StdOut.Split('\n'));
    }

    [RootFact]
    public void Route_AddAndDelete_NetToolsGrammar_BothWays()
    {
        using var ns = Lab();
        Ours(ns, "route add -net 10.1.0.0 netmask 255.255.0.0 gw 198.18.0.2 metric 3").EnsureSuccess();
        Ours(ns, "route add -host 10.2.2.2 dev v0").EnsureSuccess();
        Ours(ns, "route add -net 10.3.0.0/16 reject").EnsureSuccess();
        Ours(ns, "route add default gw 198.18.0.254").EnsureSuccess();
        ns.Exec("route", ["add", "-net", "10.11.0.0", "netmask", "255.255.0.0", "gw", "198.18.0.2", "metric", "3"]).EnsureSuccess();
        ns.Exec("route", ["add", "-host", "10.12.2.2", "dev", "v0"]).EnsureSuccess();
        ns.Exec("route", ["add", "-net", "10.13.0.0/16", "reject"]).EnsureSuccess();
        var table = Same(ns, "route", "-n");

        Assert.Contains("0.0.0.0         198.18.0.254    0.0.0.0         UG    0      0        0 v0\n", table);
        Assert.Contains("10.1.0.0        198.18.0.2      255.255.0.0     UG    3      0        0 v1\n", table);
        Assert.Contains("10.11.0.0       198.18.0.2      255.255.0.0     UG    3      0        0 v1\n", table);
        // The kernel's ioctl and our rtnetlink request made the same routes: ip shows them alike.
        var routes = ns.Ip("-d route show table main");
        Assert.Contains("unicast 10.1.0.0/16 via 198.18.0.2 dev v1 proto boot scope link metric 3", routes);
        Assert.Contains("unicast 10.11.0.0/16 via 198.18.0.2 dev v1 proto boot scope link metric 3", routes);
        Assert.Contains("unicast default via 198.18.0.254 dev v0 proto boot scope global", routes);
        Assert.Contains("unicast 10.2.2.2 dev v0 proto boot scope link", routes);
        Assert.Contains("unicast 10.12.2.2 dev v0 proto boot scope link", routes);
        Assert.Contains("unreachable 10.3.0.0/16 proto boot scope host", routes);
        Assert.Contains("unreachable 10.13.0.0/16 proto boot scope host", routes);

        // Each deletes the other's routes.
        Ours(ns, "route del -net 10.11.0.0 netmask 255.255.0.0").EnsureSuccess();
        Ours(ns, "route del -host 10.12.2.2").EnsureSuccess();
        Ours(ns, "route del -net 10.13.0.0/16 reject").EnsureSuccess();
        ns.Exec("route", ["del", "-net", "10.1.0.0", "netmask", "255.255.0.0"]).EnsureSuccess();
        ns.Exec("route", ["del", "-host", "10.2.2.2"]).EnsureSuccess();
        ns.Exec("route", ["del", "-net", "10.3.0.0/16", "reject"]).EnsureSuccess();
        ns.Exec("route", ["del", "default"]).EnsureSuccess();
        Assert.DoesNotContain("10.", Same(ns, "route", "-n"));

        // Without -n: "default" for 0.0.0.0/0 (a reject route: with a reachable default, a name lookup would wait for DNS).
        Ours(ns, "route add default reject").EnsureSuccess();
        Assert.StartsWith("Kernel IP routing table\n" +
            "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n" +
            "default         -               0.0.0.0         !     0      -        0 -        -     -      -\n", Same(ns, "route", "-ee"));
        ns.Exec("route", ["del", "default", "reject"]).EnsureSuccess();
        Assert.DoesNotContain("0.0.0.0         -", Same(ns, "route", "-n"));

        var twice = Ours(ns, "route add -host 10.2.2.2 dev v0 metric 1 nosuch");
        Assert.Equal(2, twice.ExitCode);
        Assert.Equal("sharptun: route: unknown argument 'nosuch'\n", twice.StdErr);
        var host = Ours(ns, "route add 10.4.0.0 netmask 255.255.0.0 gw 198.18.0.2");
        Assert.Equal(2, host.ExitCode);
        Assert.Contains("doesn't make sense with host route", host.StdErr);
    }

    [RootFact]
    public void Ifconfig_Configures_AsNetToolsDoes()
    {
        using var ns = Lab();
        ns.Ip("link add w0 type veth peer name w1");
        ns.Ip("link add x0 type veth peer name x1");
        // The same words to net-tools on w0 and to us on x0.
        string[] steps =
        [
            "10.9.9.9 netmask 255.255.255.0 mtu 1400 hw ether 02:00:00:00:00:01",
            "add 2001:db8:5::1/64",
            "broadcast 10.9.9.200",
            "10.9.9.10",
            "netmask 255.255.0.0",
            "del 2001:db8:5::1/64",
            "txqueuelen 500 down",
            "add 2001:db8:6::1",
            "up promisc -arp allmulti",
            "-promisc arp -allmulti -multicast",
            "multicast",
        ];
        foreach (var step in steps)
        {
            ns.Exec("ifconfig", ["w0", .. step.Split(' ')]).EnsureSuccess();
            Ours(ns, $"ifconfig x0 {step}").EnsureSuccess();
            Assert.Equal(Normalized(ns, "w0"), Normalized(ns, "x0"));
            Assert.Equal(Configured(Theirs(ns, "ifconfig", "w0")).Replace("w0", "x0", StringComparison.Ordinal), Configured(Theirs(ns, "ifconfig", "x0")));
        }
        Assert.Contains("inet 10.9.9.10/16 brd 10.9.255.255 scope global x0", ns.Ip("addr show dev x0"));
        Ours(ns, "ifconfig x0:1 10.20.0.1").EnsureSuccess();
        ns.Exec("ifconfig", ["w0:1", "10.20.0.1"]).EnsureSuccess();
        Assert.Equal(Normalized(ns, "w0"), Normalized(ns, "x0"));
        Assert.Equal(Theirs(ns, "ifconfig", "w0:1").Replace("w0", "x0", StringComparison.Ordinal), Theirs(ns, "ifconfig", "x0:1"));
        Assert.Contains("inet 10.20.0.1  netmask 255.0.0.0  broadcast 10.255.255.255", Theirs(ns, "ifconfig", "x0:1"));
        // An alias on a device that is down leaves it down, and 'down' on the alias removes only the alias.
        ns.Exec("ifconfig", ["w0", "down"]).EnsureSuccess();
        Ours(ns, "ifconfig x0 down").EnsureSuccess();
        ns.Exec("ifconfig", ["w0:2", "10.30.0.1", "netmask", "255.255.255.0"]).EnsureSuccess();
        Ours(ns, "ifconfig x0:2 10.30.0.1 netmask 255.255.255.0").EnsureSuccess();
        Assert.Equal(Normalized(ns, "w0"), Normalized(ns, "x0"));
        Assert.DoesNotContain("UP", JsonNode.Parse(ns.Ip("-j link show dev x0"))!.AsArray()[0]!["flags"]!.ToJsonString());
        ns.Exec("ifconfig", ["w0:1", "down"]).EnsureSuccess();
        Ours(ns, "ifconfig x0:1 down").EnsureSuccess();
        Assert.Equal(Normalized(ns, "w0"), Normalized(ns, "x0"));
        Assert.DoesNotContain("10.20.0.1", ns.Ip("addr show dev x0"));
        Assert.Contains("inet 10.30.0.1/24 brd 10.30.0.255 scope global x0:2", ns.Ip("addr show dev x0"));

        var missing = Ours(ns, "ifconfig nosuch 1.2.3.4");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("SIOCSIFADDR: No such device\nnosuch: ERROR while getting interface flags: No such device\n", missing.StdErr);
        var down = Ours(ns, "ifconfig nosuch down");
        Assert.Equal(1, down.ExitCode);
        Assert.Equal("nosuch: ERROR while getting interface flags: No such device\n", down.StdErr);
    }

    /// <summary>An ifconfig block without its counter lines (the two devices see different neighbour traffic).</summary>
    private static string Configured(string block) =>
        string.Join('\n', block.Split('\n').Where(l => !l.TrimStart().StartsWith("RX ", StringComparison.Ordinal) && !l.TrimStart().StartsWith("TX ", StringComparison.Ordinal)));

    /// <summary>ip -j addr/link of one device with what differs between two devices by nature (name, index, peer) taken out.</summary>
    private static string Normalized(NetNs ns, string dev)
    {
        var link = JsonNode.Parse(ns.Ip($"-j link show dev {dev}"))!.AsArray()[0]!.AsObject();
        var addr = JsonNode.Parse(ns.Ip($"-j addr show dev {dev}"))!.AsArray()[0]!.AsObject();
        var infos = addr["addr_info"]!.AsArray().Select(a =>
        {
            var o = a!.AsObject();
            return $"{o["family"]} {o["local"]}/{o["prefixlen"]} brd {o["broadcast"]} scope {o["scope"]} label {o["label"]?.ToString().Replace(dev, "DEV", StringComparison.Ordinal)} {o["tentative"]} {o["valid_life_time"]}";
        });
        return $"{link["flags"]!.ToJsonString()} mtu {link["mtu"]} qlen {link["txqlen"]} {link["address"]} {link["operstate"]}\n" + string.Join('\n', infos);
    }
}

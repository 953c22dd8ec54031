using System.Text.Json.Nodes;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// The course walkthrough (BRIEF.md §4) with sharptun commands only, inside a namespace; ip and ping are the judges.
/// Kernel facts asserted: a persistent tap with no process attached has no carrier, so after 'up' it is
/// NO-CARRIER / operstate DOWN and its connected route is installed flagged 'linkdown'; after 'down' the
/// connected routes are gone but the local route stays in table local, so the own address still answers.
/// </summary>
public class WalkthroughTests
{
    private static JsonArray Routes(NetNs ns, string table = "main") =>
        (JsonArray)JsonNode.Parse(ns.St("route", "show", "table", table, "--json").EnsureSuccess().StdOut)!;

    private static JsonObject? Route(NetNs ns, string dst, string table = "main") =>
        Routes(ns, table).Select(r => r!.AsObject()).FirstOrDefault(r => (string?)r["dst"] == dst);

    private static bool Pings(NetNs ns, string address) => ns.Exec("ping", ["-c", "1", "-W", "3", address]).ExitCode == 0;

    [RootFact]
    public void Tap0Walkthrough_WithSharptunOnly()
    {
        using var ns = NetNs.Create();
        ns.St("tuntap", "add", "tap0", "--mode", "tap").EnsureSuccess();
        Assert.True(ns.SysExists("/sys/class/net/tap0"));

        ns.St("addr", "add", "10.1.1.1/24", "dev", "tap0").EnsureSuccess();
        ns.St("link", "set", "tap0", "up").EnsureSuccess();
        var link = JsonNode.Parse(ns.St("link", "show", "tap0", "--json").EnsureSuccess().StdOut)![0]!;
        Assert.Equal(["NO-CARRIER", "BROADCAST", "MULTICAST", "UP"], link["flags"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("DOWN", (string?)link["operstate"]);
        var connected = Route(ns, "10.1.1.0/24");
        Assert.NotNull(connected);
        Assert.Equal("""{"dst":"10.1.1.0/24","dev":"tap0","protocol":"kernel","scope":"link","prefsrc":"10.1.1.1","flags":["linkdown"]}""",
            connected!.ToJsonString());
        Assert.Contains("10.1.1.0/24 dev tap0 proto kernel scope link src 10.1.1.1 linkdown", ns.Ip("route show"));
        Assert.True(Pings(ns, "10.1.1.1"));

        ns.St("link", "set", "tap0", "down").EnsureSuccess();
        Assert.Null(Route(ns, "10.1.1.0/24"));
        Assert.NotNull(Route(ns, "10.1.1.1", "local"));
        Assert.True(Pings(ns, "10.1.1.1"));

        ns.St("link", "set", "tap0", "up").EnsureSuccess();
        Assert.NotNull(Route(ns, "10.1.1.0/24"));
        ns.St("addr", "add", "10.2.2.2/24", "brd", "+", "dev", "tap0").EnsureSuccess();
        var addrs = JsonNode.Parse(ns.St("addr", "show", "dev", "tap0", "-4", "--json").EnsureSuccess().StdOut)![0]!["addr_info"]!.AsArray();
        Assert.Equal(["10.1.1.1/24", "10.2.2.2/24"], addrs.Select(a => $"{a!["local"]}/{a["prefixlen"]}"));
        Assert.Equal("10.2.2.255", (string?)addrs[1]!["broadcast"]);
        Assert.Null(addrs[0]!["broadcast"]);
        Assert.Contains("inet 10.2.2.2/24 brd 10.2.2.255 scope global tap0", ns.Ip("addr show dev tap0"));
        Assert.NotNull(Route(ns, "10.2.2.0/24"));

        ns.St("link", "set", "tap0", "down").EnsureSuccess();
        Assert.Null(Route(ns, "10.1.1.0/24"));
        Assert.Null(Route(ns, "10.2.2.0/24"));
        Assert.DoesNotContain("tap0", ns.Ip("route show"));

        ns.St("tuntap", "del", "tap0", "--mode", "tap").EnsureSuccess();
        Assert.False(ns.SysExists("/sys/class/net/tap0"));
        Assert.False(ns.SysExists("/sys/devices/virtual/net/tap0"));
        Assert.Equal(1, ns.St("link", "show", "tap0").ExitCode);
    }

    [RootFact]
    public void VethAcrossNamespaces_PingWithInterface()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        a.St("link", "add", "ep1", "type", "veth", "peer", "name", "ep2", "netns", b.Name).EnsureSuccess();
        a.St("addr", "add", "10.0.0.10/24", "dev", "ep1").EnsureSuccess();
        b.St("addr", "add", "10.0.0.11/24", "dev", "ep2").EnsureSuccess();
        a.St("link", "set", "ep1", "up").EnsureSuccess();
        b.St("link", "set", "ep2", "up").EnsureSuccess();
        a.Exec("ping", ["-c", "2", "-W", "5", "-I", "ep1", "10.0.0.11"]).EnsureSuccess();
        b.Exec("ping", ["-c", "2", "-W", "5", "-I", "ep2", "10.0.0.10"]).EnsureSuccess();
        // Deleting one end removes the pair in both namespaces.
        a.St("link", "del", "ep1").EnsureSuccess();
        Assert.Equal(1, b.St("link", "show", "ep2").ExitCode);
    }

    /// <summary>sharptun from the host namespace, acting inside <paramref name="ns"/> through the global -n.</summary>
    private static string StN(NetNs ns, params string[] args) =>
        Run.Exec("dotnet", Repo.Cli(["-n", ns.Name, .. args]), TimeSpan.FromSeconds(60)).EnsureSuccess().StdOut;

    /// <summary>What the namespace's /sys/class/net lists, seen through <c>sharptun netns exec NS ls</c>.</summary>
    private static string[] SysClassNet(NetNs ns) =>
        Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "ls", "/sys/class/net")).EnsureSuccess().StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The whole course walkthrough (issue 21) typed as a user would, every step <c>sharptun -n NS …</c> from the
    /// host; iproute2 on the same namespace is the judge, byte for byte, and ping answers through <c>sharptun netns exec</c>.
    /// </summary>
    [RootFact]
    public void Course_walkthrough_with_sharptun_minus_n_everywhere()
    {
        using var ns = NetNs.Create();
        using var peer = NetNs.Create();
        Assert.Equal("tap0\n", StN(ns, "tuntap", "add", "dev", "tap0", "mode", "tap"));
        Assert.Contains("tap0", SysClassNet(ns));
        Assert.Equal(ns.Ip("tuntap show"), StN(ns, "tuntap", "show"));

        StN(ns, "addr", "add", "10.1.1.1/24", "dev", "tap0");
        StN(ns, "link", "set", "tap0", "up");
        var routes = StN(ns, "route", "show");
        Assert.Equal(ns.Ip("route show"), routes);
        Assert.Equal("10.1.1.0/24 dev tap0 proto kernel scope link src 10.1.1.1 linkdown \n", routes); // ip ends an IPv4 route line with a space
        Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "ping", "-c", "1", "-W", "3", "10.1.1.1")).EnsureSuccess();

        StN(ns, "link", "set", "tap0", "down");
        Assert.Equal("", StN(ns, "route", "show"));
        Assert.Equal("", ns.Ip("route show"));

        StN(ns, "link", "set", "tap0", "up");
        StN(ns, "addr", "add", "10.2.2.2/24", "brd", "+", "dev", "tap0");
        var addrs = StN(ns, "-4", "addr", "show", "dev", "tap0");
        Assert.Equal(ns.Ip("-4 addr show dev tap0"), addrs);
        Assert.Contains("    inet 10.2.2.2/24 brd 10.2.2.255 scope global tap0\n", addrs);
        Assert.Contains("    inet 10.1.1.1/24 scope global tap0\n", addrs);
        routes = StN(ns, "route", "show");
        Assert.Equal(ns.Ip("route show"), routes);
        Assert.Contains("10.2.2.0/24 dev tap0 proto kernel scope link src 10.2.2.2 linkdown", routes);
        Assert.Equal(ns.Ip("-j route show table local"), StN(ns, "-j", "route", "show", "table", "local"));

        StN(ns, "link", "set", "tap0", "down");
        Assert.Equal("", StN(ns, "route", "show"));
        StN(ns, "tuntap", "del", "dev", "tap0", "mode", "tap");
        Assert.DoesNotContain("tap0", SysClassNet(ns));
        Assert.NotEqual(0, Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "test", "-e", "/sys/devices/virtual/net/tap0")).ExitCode);

        // veth pair: one end here, the other in a second namespace (a second "host"), addresses on each end, ping -I.
        StN(ns, "link", "add", "ep1", "type", "veth", "peer", "name", "ep2", "netns", peer.Name);
        Assert.Contains("ep1", SysClassNet(ns));
        Assert.Contains("ep2", SysClassNet(peer));
        StN(ns, "addr", "add", "10.0.0.10/24", "dev", "ep1");
        StN(peer, "addr", "add", "10.0.0.11/24", "dev", "ep2");
        StN(ns, "link", "set", "ep1", "up");
        StN(peer, "link", "set", "ep2", "up");
        Assert.Equal(ns.Ip("-4 addr show dev ep1"), StN(ns, "-4", "addr", "show", "dev", "ep1"));
        var ping = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "ping", "-c", "2", "-W", "5", "-I", "ep1", "10.0.0.11")).EnsureSuccess();
        Assert.Contains("2 packets transmitted, 2 received", ping.StdOut);
        Run.Exec("dotnet", Repo.Cli("netns", "exec", peer.Name, "ping", "-c", "2", "-W", "5", "-I", "ep2", "10.0.0.10")).EnsureSuccess();
        StN(ns, "link", "del", "ep1");
        Assert.DoesNotContain("ep2", SysClassNet(peer));
    }
}

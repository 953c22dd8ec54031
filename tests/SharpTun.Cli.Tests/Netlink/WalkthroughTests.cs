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
}

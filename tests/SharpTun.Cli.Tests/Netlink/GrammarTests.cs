using System.Text.Json.Nodes;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// iproute2's grammar, judged by ip itself: each form prints what ip prints on the same namespace, and
/// each changing form leaves the same state as ip's on an identically built twin namespace.
/// </summary>
public sealed class GrammarTests
{
    private static void Build(NetNs ns)
    {
        ns.DisableIpv6();
        ns.Ip("link add v0 type veth peer name v1");
        ns.Ip("link set v0 up");
        ns.Ip("link set v1 up");
        ns.Ip("addr add 198.18.1.1/24 dev v0");
        ns.Ip("addr add 198.18.2.1/24 brd + dev v0 label v0:1");
        ns.Ip("addr add 198.18.9.9/32 dev v1 scope host");
        ns.Ip("route add 198.19.0.0/24 via 198.18.1.2");
        ns.Ip("route add 198.19.1.0/24 dev v1 proto static metric 5");
        ns.Ip("route add 10.0.0.0/8 dev v0");
        ns.Ip("route add default via 198.18.1.254");
        ns.Ip("neigh add 198.18.1.7 lladdr 02:00:00:00:00:07 dev v0");
        ns.Ip("neigh add 198.18.1.8 lladdr 02:00:00:00:00:08 dev v0 nud stale");
        ns.Ip("rule add fwmark 0x1/0xff lookup 100 priority 100");
        ns.Ip("rule add not fwmark 0xca6c table 51820 priority 99");
    }

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd())];

    [RootFact]
    public void Each_form_prints_what_ip_prints()
    {
        using var ns = NetNs.Create();
        Build(ns);
        string[] forms =
        [
            "link", "l", "link ls", "link lst", "link list", "link sh", "link show up", "link show type veth", "link show dev v0", "link show v1",
            "-br link show", "-o link show", "-j link show", "-n NS link show",
            "a", "addr", "address show", "a s", "addr list", "addr sh dev v0", "addr show up", "addr show to 198.18.0.0/16", "addr show to 198.18.2.1",
            "addr show scope host", "addr show scope global", "addr show label v0:1", "addr show label v0*", "addr show dev v0 to 198.18.2.1",
            "-4 addr", "-6 addr", "-br addr show", "-br -4 addr", "-o addr show", "-o -4 addr show dev v0", "-j addr show", "-j -4 a",
            "r", "ro", "route", "route s", "route show dev v0", "route show proto static", "route show proto kernel", "route show default",
            "route show 198.19.0.0/24", "route show 10/8", "route show 198.19.0.0", "route show root 198.18.0.0/15", "route show match 198.19.0.7",
            "route show exact 10.0.0.0/8", "route show scope link", "route show type unicast", "route show table local dev v0",
            "route list table all", "-6 route", "-j route show dev v0", "-j ro show proto static", "-4 route show table local",
            "neigh", "n", "neighbour show", "neigh show dev v0", "neigh show nud stale", "neigh show 198.18.1.7", "-j neigh show", "-j n s dev v0",
            "rule", "ru", "rule show", "rule list", "-j rule show", "-6 rule", "-j -6 rule show",
        ];
        foreach (var form in forms)
        {
            var args = form.Replace("NS", ns.Name, StringComparison.Ordinal).Split(' ');
            var ip = Run.Exec("ip", ["-n", ns.Name, .. args]).EnsureSuccess();
            var ours = ns.St(args);
            Assert.True(ours.ExitCode == 0, $"sharptun {form}: {ours}");
            Assert.True(Lines(ip.StdOut).SequenceEqual(Lines(ours.StdOut)),
                $"sharptun {form} differs from ip {form}\nip:\n{ip.StdOut}\nsharptun:\n{ours.StdOut}");
        }
    }

    /// <summary>ip's view of a namespace without what differs between twins (MACs, link-local addresses are off).</summary>
    private static string State(NetNs ns)
    {
        var parts = new[] { "-j -d link show", "-j addr show", "-j route show table all", "-j -d tuntap show", "-j rule show", "-6 -j rule show" }
            .Select(args => Parse(ns.Ip(args))).ToList();
        // The neighbour table dumps in hash order, which differs between namespaces.
        parts.Add(new JsonArray([.. Parse(ns.Ip("-j neigh show nud all")).OrderBy(n => n!["dst"]!.ToString(), StringComparer.Ordinal)
            .Select(n => n!.DeepClone())]));
        var node = new JsonArray([.. parts]);
        Strip(node);
        return node.ToJsonString();
    }

    private static JsonArray Parse(string text) => (JsonArray)JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text)!;

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var k in new[] { "address", "broadcast", "permaddr", "processes", "stats64", "inet6_addr_gen_mode" })
                {
                    o.Remove(k);
                }
                foreach (var (_, v) in o.ToList())
                {
                    Strip(v);
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    Strip(v);
                }
                break;
        }
    }

    [RootTheory]
    [InlineData("link set dev v1 down", "link set dev v1 down")]
    [InlineData("link set dev v1 mtu 1400 txqueuelen 500 down", "link s v1 mtu 1400 txqlen 500 down")]
    [InlineData("addr add 198.18.5.1/24 dev v1", "addr add dev v1 198.18.5.1/24")]
    [InlineData("addr add 198.18.6.1/24 brd 1.2.3 dev v1", "a add dev v1 198.18.6.1/24 brd 1.2.3")]
    [InlineData("addr add 198.18.7/24 dev v1", "addr add local 198.18.7/24 dev v1")]
    [InlineData("addr del 198.18.2.1/24 dev v0", "a d dev v0 198.18.2.1/24")]
    [InlineData("route add 172.16/12 dev v1", "ro add 172.16/12 dev v1")]
    [InlineData("route change 198.19.1.0/24 dev v1 proto static metric 5 table main", "route change 198.19.1.0/24 dev v1 proto static metric 5 table main")]
    [InlineData("route change default via 198.18.1.253", "r c default via 198.18.1.253")]
    [InlineData("route flush dev v0", "route flush dev v0")]
    [InlineData("route flush proto static", "ro f proto static")]
    [InlineData("route del 10.0.0.0/8", "route delete 10/8")]
    [InlineData("tuntap add dev sttun mode tun", "tuntap add dev sttun mode tun")]
    [InlineData("neigh add 198.18.1.9 lladdr 02:00:00:00:00:09 dev v0", "n add dev v0 198.18.1.9 lladdr 02:00:00:00:00:09")]
    [InlineData("neigh add 198.18.1.10 lladdr 02:00:00:00:00:0a dev v1 nud noarp", "neigh add 198.18.1.10 lladdr 02:00:00:00:00:0a dev v1 nud noarp")]
    [InlineData("neigh replace 198.18.1.7 lladdr 02:00:00:00:00:17 dev v0", "neigh replace 198.18.1.7 lladdr 02:00:00:00:00:17 dev v0")]
    [InlineData("neigh del 198.18.1.8 dev v0", "neighbor delete 198.18.1.8 dev v0")]
    [InlineData("rule add from 198.18.0.0/15 to 10.0.0.1 iif v0 blackhole priority 50", "rule add from 198.18/15 to 10.0.0.1 iif v0 blackhole prio 50")]
    [InlineData("rule add table main suppress_prefixlength 0", "ru a lookup main suppress_prefixlength 0")]
    [InlineData("rule add from 198.18.1.1 oif v1 lookup local priority 49", "rule add from 198.18.1.1 oif v1 table local pref 49")]
    [InlineData("rule add to 198.19.0.0/16 table 1000", "rule add to 198.19.0.0/16 table 1000")]
    [InlineData("-6 rule add from 2001:db8::/32 table 7", "rule add from 2001:db8::/32 table 7")]
    [InlineData("rule del priority 100", "rule delete priority 100")]
    [InlineData("rule del not fwmark 0xca6c table 51820", "rule del not fwmark 51820 table 51820")]
    [InlineData("tuntap add dev sttap mode tap", "tuntap a sttap mode tap")]
    public void Each_change_leaves_the_state_ip_leaves(string ipForm, string ourForm)
    {
        using var ipNs = NetNs.Create();
        using var ourNs = NetNs.Create();
        Build(ipNs);
        Build(ourNs);
        Assert.Equal(State(ipNs), State(ourNs));
        var ip = Run.Exec("ip", ["-n", ipNs.Name, .. ipForm.Split(' ')]);
        Assert.True(ip.ExitCode == 0, ip.ToString());
        var ours = ourNs.St(ourForm.Split(' '));
        Assert.True(ours.ExitCode == 0, $"sharptun {ourForm}: {ours}");
        Assert.Equal(State(ipNs), State(ourNs));
    }

    [RootFact]
    public void A_failing_link_set_changes_nothing_and_an_existing_tun_is_busy()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        ns.St("tuntap", "add", "dev", "tap0", "mode", "tap").EnsureSuccess();
        var before = State(ns);
        var r = ns.St("link", "set", "tap0", "up", "mtu", "99999");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.StartsWith("sharptun: cannot set link 'tap0' up mtu 99999: ", r.StdErr);
        Assert.Equal(before, State(ns));
        Assert.DoesNotContain("UP", ns.Ip("link show tap0").Split('\n')[0].Split('>')[0]);

        // ip says busy for an existing device and changes nothing, not even the owner.
        var again = ns.St("tuntap", "add", "dev", "tap0", "mode", "tap", "user", "65534");
        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Equal("sharptun: cannot create tap device 'tap0': it already exists (device or resource busy)", again.StdErr.Trim());
        Assert.Equal(before, State(ns));
        Assert.Equal(1, Run.Exec("ip", ["-n", ns.Name, "tuntap", "add", "dev", "tap0", "mode", "tap"]).ExitCode);
    }
}

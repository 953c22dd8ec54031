namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// iproute2 is the judge: a state built with sharptun reads back through <c>ip -j</c> exactly as sharptun shows it,
/// and a state built with <c>ip</c> reads back through sharptun exactly as ip shows it.
/// </summary>
public class IpJudgeTests
{
    private static void Prepare(NetNs ns) =>
        // No DAD: addresses must not flip from tentative while the two tools look.
        ns.Sh("sysctl -qw net.ipv6.conf.all.accept_dad=0 && sysctl -qw net.ipv6.conf.default.accept_dad=0").EnsureSuccess();

    private static void Ok(ProcessResult r) => r.EnsureSuccess();

    [RootFact]
    public void StateBuiltBySharptun_IpAgrees()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        Prepare(a);
        Prepare(b);
        // veth pair across two namespaces; a bridge with two ports; IPv4 (brd +, explicit brd, peer) and IPv6; routes.
        Ok(a.St("link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b.Name));
        Ok(a.St("link", "add", "br0", "type", "bridge"));
        Ok(a.St("link", "add", "p1", "type", "veth", "peer", "name", "p1x"));
        Ok(a.St("link", "add", "p2", "type", "veth", "peer", "name", "p2x"));
        Ok(a.St("link", "set", "p1", "master", "br0", "up"));
        Ok(a.St("link", "set", "p2", "master", "br0", "up", "mtu", "1400"));
        Ok(a.St("link", "set", "p1x", "up"));
        Ok(a.St("link", "set", "br0", "up"));
        Ok(a.St("link", "set", "va", "up", "address", "02:00:00:00:0a:01"));
        Ok(b.St("link", "set", "vb", "up"));
        Ok(a.St("addr", "add", "198.18.0.1/24", "brd", "+", "dev", "va"));
        Ok(a.St("addr", "add", "198.18.0.100/24", "dev", "va"));
        Ok(a.St("addr", "add", "2001:db8::1/64", "dev", "va"));
        Ok(a.St("addr", "add", "198.18.7.1/24", "broadcast", "198.18.7.254", "dev", "br0", "label", "br0:lan"));
        Ok(a.St("addr", "add", "198.18.8.1", "peer", "198.18.8.2/32", "dev", "p1x"));
        Ok(b.St("addr", "add", "198.18.0.2/24", "brd", "+", "dev", "vb"));
        Ok(b.St("addr", "add", "2001:db8::2/64", "dev", "vb", "nodad"));
        Ok(a.St("route", "add", "198.19.0.0/24", "via", "198.18.0.2", "metric", "10"));
        Ok(a.St("route", "add", "198.19.1.0/24", "via", "198.18.0.2", "table", "1000"));
        Ok(a.St("route", "add", "198.19.2.0/24", "dev", "va", "src", "198.18.0.1", "proto", "static"));
        Ok(a.St("route", "add", "default", "via", "198.18.0.2", "table", "100"));
        Ok(a.St("route", "add", "2001:db8:9::/64", "via", "2001:db8::2", "metric", "5"));
        Ok(a.St("route", "replace", "198.19.0.0/24", "via", "198.18.0.2", "metric", "10", "proto", "static"));

        // The state is really there, as ip sees it.
        Assert.Contains("\"master\":\"br0\"", Run.Exec("ip", ["-n", a.Name, "-j", "link", "show", "p2"]).EnsureSuccess().StdOut);
        Assert.Contains("\"broadcast\":\"198.18.0.255\"", Run.Exec("ip", ["-n", a.Name, "-j", "addr", "show", "va"]).EnsureSuccess().StdOut);
        Assert.Contains("198.19.0.0/24 via 198.18.0.2 dev va proto static metric 10", a.Ip("route show"));
        Assert.Contains("default via 198.18.0.2 dev va", a.Ip("route show table 100"));
        a.Exec("ping", ["-c", "1", "-W", "5", "-I", "va", "198.18.0.2"]).EnsureSuccess();

        Assert.True(IpJudge.AssertSameAsIp(a) > 100);
        Assert.True(IpJudge.AssertSameAsIp(b) > 20);
        IpJudge.SameRouteGet(a, "198.19.0.7");
        IpJudge.SameRouteGet(a, "198.19.2.9");
        IpJudge.SameRouteGet(a, "198.18.0.1");
        IpJudge.SameRouteGet(a, "2001:db8:9::1");
    }

    [RootFact]
    public void StateBuiltByIp_SharptunAgrees()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        Prepare(a);
        Prepare(b);
        a.Ip($"link add va type veth peer name vb netns {b.Name}");
        a.Ip("link add br0 type bridge");
        a.Ip("link add p1 type veth peer name p1x");
        a.Ip("link set p1 master br0");
        a.Ip("link set p1 up");
        a.Ip("link set br0 up");
        a.Ip("link set va up");
        b.Ip("link set vb up");
        a.Ip("addr add 198.18.0.1/24 brd + dev va");
        a.Ip("addr add 2001:db8::1/64 dev va");
        a.Ip("addr add 198.18.8.1 peer 198.18.8.2/32 dev p1x");
        b.Ip("addr add 198.18.0.2/24 dev vb");
        a.Ip("route add 198.19.0.0/24 via 198.18.0.2 metric 10");
        a.Ip("route add 198.19.1.0/24 via 198.18.0.2 table 1000");
        a.Ip("route add blackhole 198.19.3.0/24");
        a.Ip("route add unreachable 198.19.4.0/24 table 7");
        a.Ip("-6 route add 2001:db8:9::/64 via 2001:db8::2");
        // A tun device: no link-layer address (link/none), point-to-point, no carrier without a process.
        a.Ip("tuntap add stt0 mode tun");
        a.Ip("addr add 198.18.30.1 peer 198.18.30.2 dev stt0");
        a.Ip("link set stt0 up mtu 1400");
        Assert.True(IpJudge.AssertSameAsIp(a) > 100);
        Assert.True(IpJudge.AssertSameAsIp(b) > 20);
        IpJudge.SameText(a);
        IpJudge.SameText(b);
    }
}

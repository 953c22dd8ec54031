namespace SharpTun.Cli.Tests.Netlink;

/// <summary>Bad input gives one clear line on stderr, a non-zero exit, and changes nothing (ip's view before == after).</summary>
public class BadInputTests
{
    private static string State(NetNs ns) =>
        ns.Ip("-j -d link show") + ns.Ip("-j addr show") + ns.Ip("-j route show table all") + ns.Ip("-6 -j route show table all");

    [RootFact]
    public void EachErrorIsClear_AndNothingChanges()
    {
        using var ns = NetNs.Create();
        ns.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
        ns.Ip("link add st0 type veth peer name st1");
        ns.Ip("link set st0 up");
        ns.Ip("addr add 198.18.1.1/24 dev st0");
        var before = State(ns);

        void Fails(int exit, string expectedStart, params string[] args)
        {
            var r = ns.St(args);
            Assert.True(r.ExitCode == exit, $"{string.Join(' ', args)}: exit {r.ExitCode}, expected {exit}\n{r.StdErr}");
            Assert.StartsWith("sharptun: " + expectedStart, r.StdErr);
            Assert.Single(r.StdErr.Trim().Split('\n'));
            Assert.Equal(before, State(ns));
        }

        Fails(1, "cannot add address 10.0.0.1/24 to 'nope0': no such device", "addr", "add", "10.0.0.1/24", "dev", "nope0");
        Fails(1, "cannot add address 198.18.1.1/24 to 'st0': file exists", "addr", "add", "198.18.1.1/24", "dev", "st0");
        Fails(2, "invalid prefix length 33 for 198.18.1.9: IPv4 allows 0..32", "addr", "add", "198.18.1.9/33", "dev", "st0");
        Fails(2, "invalid address '198.18.1.256' in '198.18.1.256/24'", "addr", "add", "198.18.1.256/24", "dev", "st0");
        Fails(1, "cannot add route 198.19.0.0/24 via 198.20.0.1: network is unreachable", "route", "add", "198.19.0.0/24", "via", "198.20.0.1");
        Fails(1, "cannot delete address 198.18.1.7/24 from 'st0': cannot assign requested address", "addr", "del", "198.18.1.7/24", "dev", "st0");
        Fails(1, "cannot delete route 198.19.9.0/24: no such process", "route", "del", "198.19.9.0/24");
        Fails(1, "cannot set link 'nope0' up: no such device", "link", "set", "nope0", "up");
        Fails(1, "cannot create veth pair 'st0' / 'st9': file exists", "link", "add", "st0", "type", "veth", "peer", "name", "st9");
        Fails(1, "cannot set mtu 20 on link 'st0': invalid argument", "link", "set", "st0", "mtu", "20");
        Fails(2, "invalid link-layer address 'zz'", "link", "set", "st0", "address", "zz");
        Fails(2, "invalid interface name 'a-very-long-interface-name'", "link", "add", "a-very-long-interface-name", "type", "bridge");
    }
}

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>sharptun -d link show</c> and <c>-j -d</c> print what <c>ip -d link show</c> prints, byte for byte (its
/// "NAME VALUE " spacing included): promiscuity, allmulti, min/max MTU, the kind with its tun data, addrgenmode,
/// queue counts and GSO/TSO/GRO limits, on veth, tap (owned), multi-queue tun and lo. Bridge and bridge-port
/// attribute data (the long "bridge …" / "bridge_slave …" lists) are not printed yet.
/// </summary>
public class LinkDetailsTests
{
    [RootFact]
    public void Details_match_ip_on_veth_tap_tun_and_lo()
    {
        using var ns = NetNs.Create();
        var veth = UniqueName.Next("dv");
        var tap = UniqueName.Next("dp");
        var tun = UniqueName.Next("dt");
        ns.Ip($"link add {veth} type veth peer name {veth}p");
        ns.Ip($"tuntap add {tap} mode tap user 1 group 2");
        ns.Ip($"tuntap add {tun} mode tun multi_queue");
        ns.Ip($"link set {veth} mtu 1400 up");
        foreach (var dev in new[] { veth, tap, tun, "lo" })
        {
            foreach (var json in new[] { false, true })
            {
                string[] globals = json ? ["-j", "-d"] : ["-d"];
                var expected = ns.Ip(string.Join(' ', globals) + $" link show dev {dev}");
                var ours = Run.Exec("dotnet", Repo.Cli(["-n", ns.Name, .. globals, "link", "show", "dev", dev])).EnsureSuccess().StdOut;
                Assert.True(expected == ours, $"{dev} {string.Join(' ', globals)}:\n--- ip\n{expected}--- sharptun\n{ours}");
            }
        }
        var text = ns.Ip($"-d link show dev {tap}");
        Assert.Contains("    tun type tap pi off vnet_hdr off persist on user daemon group bin addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size ", text);
        Assert.Contains(" promiscuity 0  allmulti 0 minmtu 68 maxmtu ", text);
        Assert.Contains("tun type tun pi off vnet_hdr off multi_queue numqueues 0 numdisabled 0 persist on ", ns.Ip($"-d link show dev {tun}"));
    }
}

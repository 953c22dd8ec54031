using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>sharptun -d link show</c> and <c>-j -d</c> print what <c>ip -d link show</c> prints, byte for byte (its
/// "NAME VALUE " spacing included): promiscuity, allmulti, min/max MTU, the kind with its tun data, addrgenmode,
/// queue counts and GSO/TSO/GRO limits, on veth, tap (owned), multi-queue tun and lo; and a bridge with a veth
/// port: the long "bridge …" / "bridge_slave …" lists (IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA), timers included.
/// </summary>
public partial class LinkDetailsTests
{
    private static string Ours(NetNs ns, string[] globals, string dev) =>
        Run.Exec("dotnet", Repo.Cli(["-n", ns.Name, .. globals, "link", "show", "dev", dev])).EnsureSuccess().StdOut;

    /// <summary>Bridge and port down: every STP/GC timer is stopped (the kernel reports 0), so ip and we must agree to the byte.</summary>
    [RootFact]
    public void Details_match_ip_on_a_bridge_and_its_port_with_timers_stopped()
    {
        using var ns = NetNs.Create();
        var br = UniqueName.Next("db");
        var port = UniqueName.Next("dq");
        ns.Ip($"link add {br} type bridge stp_state 1 priority 4096 hello_time 300 group_fwd_mask 0x4000 mcast_snooping 0");
        ns.Ip($"link add {port} type veth peer name {port}p");
        ns.Ip($"link set {port} master {br}");
        ns.Ip($"link set {port} type bridge_slave hairpin on cost 7 priority 5 learning off group_fwd_mask 0x4000");
        foreach (var dev in new[] { br, port })
        {
            foreach (var json in new[] { false, true })
            {
                string[] globals = json ? ["-j", "-d"] : ["-d"];
                var expected = ns.Ip(string.Join(' ', globals) + $" link show dev {dev}");
                var ours = Ours(ns, globals, dev);
                Assert.True(expected == ours, $"{dev} {string.Join(' ', globals)}:\n--- ip\n{expected}--- sharptun\n{ours}");
            }
        }
        // What the comparison covered (so an empty list on both sides cannot pass).
        var bridgeText = ns.Ip($"-d link show dev {br}");
        Assert.Contains("\n    bridge forward_delay 1500 hello_time 300 max_age 2000 ageing_time 30000 stp_state 1 priority 4096 ", bridgeText);
        Assert.Contains(" hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer    0.00 group_fwd_mask 0x4000 group_address 01:80:c2:00:00:00 mcast_snooping 0 ", bridgeText);
        Assert.Contains(" nf_call_arptables 0 addrgenmode ", bridgeText);
        var portText = ns.Ip($"-d link show dev {port}");
        Assert.Contains("\n    veth \n    bridge_slave state disabled priority 5 cost 7 hairpin on guard off root_block off fastleave off learning off flood on port_id 0x1401 port_no 0x1 ", portText);
        Assert.Contains(" mcast_fast_leave off mcast_flood on ", portText);
        Assert.Contains(" group_fwd_mask 0x4000 group_fwd_mask_str lldp ", portText);
        var portJson = ns.Ip($"-j -d link show dev {port}");
        Assert.Contains("\"info_slave_kind\":\"bridge\",\"info_slave_data\":{\"state\":\"disabled\",\"priority\":5,\"cost\":7,\"hairpin\":true,", portJson);
    }

    /// <summary>
    /// Bridge up with STP: the hello, GC and forward-delay timers run and move between two runs, so the timer
    /// values are checked by bracketing — ip before ≥ ours ≥ ip after for every count-down timer, the rest of the
    /// output (timers masked) byte-identical; a run during which a timer restarted is retried.
    /// </summary>
    [RootFact]
    public void Details_match_ip_on_a_bridge_with_running_timers()
    {
        using var ns = NetNs.Create();
        var br = UniqueName.Next("db");
        var port = UniqueName.Next("dq");
        ns.Ip($"link add {br} type bridge stp_state 1 hello_time 300 forward_delay 3000");
        ns.Ip($"link add {port} type veth peer name {port}p");
        ns.Ip($"link set {port} master {br}");
        ns.Ip($"link set {port}p up");
        ns.Ip($"link set {port} up");
        ns.Ip($"link set {br} up");
        Poll.Until(() => ns.Ip($"-d link show dev {port}").Contains("bridge_slave state listening ", StringComparison.Ordinal),
            $"port {port} listening", TimeSpan.FromSeconds(20));
        foreach (var dev in new[] { br, port })
        {
            foreach (var json in new[] { false, true })
            {
                string[] globals = json ? ["-j", "-d"] : ["-d"];
                var args = string.Join(' ', globals) + $" link show dev {dev}";
                string? failure = null;
                var nonZero = false;
                for (var attempt = 0; attempt < 10; attempt++)
                {
                    var before = ns.Ip(args);
                    var ours = Ours(ns, globals, dev);
                    var after = ns.Ip(args);
                    failure = Bracket(before, ours, after, json);
                    if (failure is null)
                    {
                        nonZero = Timers(ours, json).Values.Any(v => v > 0);
                        break;
                    }
                }
                Assert.True(failure is null, $"{dev} {args}: {failure}");
                Assert.True(nonZero, $"{dev} {args}: no timer was running");
            }
        }
    }

    /// <summary>Null when the masked outputs are equal and every timer of ours lies between ip's two readings.</summary>
    private static string? Bracket(string before, string ours, string after, bool json)
    {
        var re = json ? JsonTimer() : TextTimer();
        string Mask(string s) => re.Replace(s, m => m.Groups[1].Value + "#");
        if (Mask(before) != Mask(after))
        {
            return "ip's own two runs differ beyond timers";
        }
        if (Mask(ours) != Mask(before))
        {
            return $"outputs differ (timers masked):\n--- ip\n{before}--- sharptun\n{ours}";
        }
        var (b, o, a) = (Timers(before, json), Timers(ours, json), Timers(after, json));
        Assert.Equal(b.Keys, o.Keys);
        foreach (var (name, value) in o)
        {
            if (!(b[name] >= value && value >= a[name]))
            {
                return $"{name}: ip {b[name]} then ours {value} then ip {a[name]}\n--- ip\n{before}--- sharptun\n{ours}";
            }
        }
        return null;
    }

    private static Dictionary<string, decimal> Timers(string output, bool json) =>
        (json ? JsonTimer() : TextTimer()).Matches(output)
            .ToDictionary(m => m.Groups[1].Value, m => decimal.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    // ip: "%s %4i.%.2i " in text, "%i.%.2i" in JSON.
    [GeneratedRegex(@"( [a-z_]+_timer) +(\d+\.\d\d)(?= )")]
    private static partial Regex TextTimer();

    [GeneratedRegex(@"(""[a-z_]+_timer"":)(\d+\.\d\d)")]
    private static partial Regex JsonTimer();

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

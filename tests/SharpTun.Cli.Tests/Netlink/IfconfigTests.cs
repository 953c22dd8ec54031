using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary><c>sharptun ifconfig DEV</c> against <c>ip -s -j link show DEV</c> after real traffic.</summary>
public partial class IfconfigTests
{
    [GeneratedRegex(@"(packets|bytes) \d+( \([\d.]+ \w+\))?")]
    private static partial Regex Counters();

    [GeneratedRegex(@"(\w+)( addr)?:(\S+)")]
    private static partial Regex Field();

    [RootFact]
    public void CountersMatchIp_AfterTraffic()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        foreach (var ns in new[] { a, b })
        {
            // Only the test's own packets: no IPv6 RS/MLD/ND on the wire.
            ns.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
        }
        a.Ip($"link add va type veth peer name vb netns {b.Name}");
        a.Ip("addr add 198.18.0.1/24 brd + dev va");
        b.Ip("addr add 198.18.0.2/24 dev vb");
        a.Ip("link set va up");
        b.Ip("link set vb up");
        a.Exec("ping", ["-c", "5", "-i", "0.2", "-s", "1000", "-W", "5", "198.18.0.2"]).EnsureSuccess();

        var text = a.St("ifconfig", "va", "--layout", "1.60").EnsureSuccess().StdOut;
        var ip = JsonNode.Parse(a.Ip("-s -j link show va"))![0]!;
        var rx = ip["stats64"]!["rx"]!;
        var tx = ip["stats64"]!["tx"]!;
        var lines = text.Split('\n');
        Assert.StartsWith("va        Link encap:Ethernet  HWaddr " + (string)ip["address"]!, lines[0]);
        Assert.Contains("inet addr:198.18.0.1  Bcast:198.18.0.255  Mask:255.255.255.0", text);
        Assert.Contains("UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1", text);

        Dictionary<string, string> Row(string prefix) =>
            Field().Matches(lines.Single(l => l.TrimStart().StartsWith(prefix, StringComparison.Ordinal))).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[3].Value);
        var rxRow = Row("RX packets");
        var txRow = Row("TX packets");
        var bytes = Row("RX bytes");
        Assert.Equal((string)rx["packets"]!.ToString(), rxRow["packets"]);
        Assert.Equal(rx["errors"]!.ToString(), rxRow["errors"]);
        Assert.Equal(rx["dropped"]!.ToString(), rxRow["dropped"]);
        Assert.Equal(tx["packets"]!.ToString(), txRow["packets"]);
        Assert.Equal(tx["errors"]!.ToString(), txRow["errors"]);
        Assert.Equal(tx["dropped"]!.ToString(), txRow["dropped"]);
        Assert.Equal(tx["carrier_errors"]!.ToString(), txRow["carrier"]);
        Assert.Equal(tx["collisions"]!.ToString(), Row("collisions")["collisions"]);
        Assert.Equal(rx["bytes"]!.ToString(), bytes["bytes"]);
        Assert.Contains($"TX bytes:{tx["bytes"]} (", text);
        Assert.True((long)rx["packets"]! >= 5 && (long)tx["packets"]! >= 5, "ping's packets are counted");
        Assert.True((long)tx["bytes"]! > 5 * 1000);
        // 5 × (1000 + 8 + 20 + 14) bytes and ARP: a few KB, shown as net-tools does.
        Assert.Matches(@"TX bytes:\d+ \(\d+\.\d KB\)", text);
        Assert.Equal($"txqueuelen:{ip["txqlen"]}", Regex.Match(text, @"txqueuelen:\d+").Value);
    }

    /// <summary>The default layout is net-tools 2.10's, judged by Debian's own ifconfig on the same namespace, line for line.</summary>
    [RootFact]
    public void Default_layout_is_net_tools_2_10()
    {
        Assert.True(Run.Exec("sh", ["-c", "command -v ifconfig"]).ExitCode == 0, "net-tools' ifconfig is needed (apt-get install net-tools)");
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        a.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
        a.Ip($"link add va type veth peer name vb netns {b.Name}");
        a.Ip("addr add 198.18.0.1/24 brd + dev va");
        a.Ip("addr add 198.18.3.1/24 dev va label va:7");
        a.Ip("addr add 198.18.4.1/32 dev va");
        b.Ip("addr add 198.18.0.2/24 dev vb");
        a.Ip("link set va up");
        b.Ip("link set vb up");
        a.St("tuntap", "add", "dev", "sttun0", "mode", "tun").EnsureSuccess();
        a.Ip("addr add 198.19.0.1 peer 198.19.0.2 dev sttun0");
        a.Ip("link set sttun0 up");
        a.Sh("sysctl -qw net.ipv6.conf.lo.disable_ipv6=0").EnsureSuccess();
        a.Exec("ping", ["-c", "3", "-i", "0.2", "-s", "1200", "-W", "5", "198.18.0.2"]).EnsureSuccess();
        foreach (var args in new[] { new[] { "-a" }, [], ["va"], ["lo"] })
        {
            // Counters may move between the two reads (ARP); CountersMatchIp_AfterTraffic checks their values.
            var expected = Counters().Replace(a.Exec("ifconfig", args).EnsureSuccess().StdOut, "$1 N");
            var actual = Counters().Replace(a.St(["ifconfig", .. args]).EnsureSuccess().StdOut, "$1 N");
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(0UL, "0.0 B")]
    [InlineData(1024UL, "1024.0 B")]
    [InlineData(1230UL, "1.2 KB")]
    [InlineData(1048576UL, "1024.0 KB")]
    [InlineData(5UL * 1024 * 1024 + 1, "5.0 MB")]
    [InlineData(3UL * 1024 * 1024 * 1024 * 10, "30.0 GB")]
    public void HumanSize_AsNetTools(ulong bytes, string expected) =>
        Assert.Equal(expected, SharpTun.Cli.Formatting.IfconfigFormat.HumanSize(bytes));
}

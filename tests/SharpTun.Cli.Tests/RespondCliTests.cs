using System.Text.Json;

namespace SharpTun.Cli.Tests;

/// <summary><c>sharptun respond</c>, judged by the kernel: ping from the device side gets every answer.</summary>
public sealed class RespondCliTests
{
    [RootFact]
    public void Tun_responder_answers_ping_and_ping6_without_loss()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("rs");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"addr add 2001:db8:1::1/64 dev {dev} nodad");
        ns.Ip($"link set {dev} up");
        var responder = ns.StartSt("respond", "-i", dev);
        ns.WaitCarrier(dev);
        var v4 = ns.Exec("ping", ["-c", "5", "-i", "0.2", "-W", "2", "198.19.0.2"]);
        var v6 = ns.Exec("ping", ["-6", "-c", "5", "-i", "0.2", "-W", "2", "2001:db8:1::2"]);
        var (code, output) = PacketCli.Stop(responder);
        Assert.Contains("5 packets transmitted, 5 received, 0% packet loss", v4.StdOut);
        Assert.Contains("5 packets transmitted, 5 received, 0% packet loss", v6.StdOut);
        Assert.Equal(143, code); // SIGTERM: the shared stop rule (summary, then 128+15)
        Assert.Contains($"Answering on {dev} for any address", output);
        Assert.Contains("answered 5 echo (IPv4), 5 echo (IPv6), 0 ARP, 0 neighbour solicitations", output);
        Assert.Equal(5, output.Split('\n').Count(l => l.StartsWith("sent echo reply: 198.19.0.2 → 198.19.0.1", StringComparison.Ordinal)));
        Assert.Equal(5, output.Split('\n').Count(l => l.StartsWith("sent echo reply: 2001:db8:1::2 → 2001:db8:1::1", StringComparison.Ordinal)));
    }

    [RootFact]
    public void Tap_responder_resolves_arp_and_ndp_with_its_own_mac_and_answers_pings()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("rp");
        const string mac = "02:53:54:00:be:ef";
        ns.St("tuntap", "add", dev, "--mode", "tap").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"addr add 2001:db8:1::1/64 dev {dev} nodad");
        ns.Ip($"link set {dev} up");
        var responder = ns.StartSt("respond", "-i", dev, "--tap", "--mac", mac, "--address", "198.19.0.2", "--address", "2001:db8:1::2");
        ns.WaitCarrier(dev);
        var v4 = ns.Exec("ping", ["-c", "5", "-i", "0.2", "-W", "2", "198.19.0.2"]);
        var v6 = ns.Exec("ping", ["-6", "-c", "5", "-i", "0.2", "-W", "2", "2001:db8:1::2"]);
        // An address the responder does not serve stays unresolved.
        var other = ns.Exec("ping", ["-c", "1", "-W", "1", "198.19.0.3"]);
        var neigh = JsonDocument.Parse(ns.Ip($"-j neigh show dev {dev}")).RootElement.EnumerateArray()
            .Where(e => e.TryGetProperty("lladdr", out _))
            .ToDictionary(e => e.GetProperty("dst").GetString()!, e => e.GetProperty("lladdr").GetString()!);
        var (code, output) = PacketCli.Stop(responder);
        Assert.Contains("5 packets transmitted, 5 received, 0% packet loss", v4.StdOut);
        Assert.Contains("5 packets transmitted, 5 received, 0% packet loss", v6.StdOut);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Equal(mac, neigh["198.19.0.2"]);
        Assert.Equal(mac, neigh["2001:db8:1::2"]);
        Assert.False(neigh.ContainsKey("198.19.0.3"));
        Assert.NotEqual(mac, ns.Sys($"/sys/class/net/{dev}/address"));
        Assert.Equal(143, code); // SIGTERM: the shared stop rule (summary, then 128+15)
        Assert.Contains("answered 5 echo (IPv4), 5 echo (IPv6), ", output);
        Assert.Contains($"sent ARP reply: {mac} → ", output);
        Assert.Contains($"ARP 42 198.19.0.2 is at {mac}", output);
        Assert.Contains($"Neighbor Advertisement 2001:db8:1::2 (sol, ovr) is at {mac}", output);
    }

    [RootFact]
    public void Bad_arguments_are_usage_errors()
    {
        using var ns = NetNs.Create();
        var r = ns.St("respond", "-i", "x0", "--address", "198.19.0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("invalid --address '198.19.0'", r.StdErr);
        var m = ns.St("respond", "-i", "x0", "--tap", "--mac", "01:00:5e:00:00:01");
        Assert.Equal(2, m.ExitCode);
        Assert.Contains("a multicast address cannot answer", m.StdErr);
    }
}

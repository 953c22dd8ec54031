using System.Text.Json;
using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

public sealed class LanBridgeTests
{
    [RootTheory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void Two_lans_become_one_segment_over_tap(string transport)
    {
        // hostA —veth— [br0: veth + tap] gwA ==wire== gwB [br0: tap + veth] —veth— hostB
        using var bed = Testbed.Create(tap: true, addresses: false);
        using var hostA = NetNs.Create("sth");
        using var hostB = NetNs.Create("sth");
        foreach (var (gw, host, hostAddr) in new[] { (bed.A, hostA, "198.19.0.10/24"), (bed.B, hostB, "198.19.0.20/24") })
        {
            var lanGw = UniqueName.Next("lg");
            var lanHost = UniqueName.Next("lh");
            Run.Exec("ip", ["link", "add", lanGw, "netns", gw.Name, "type", "veth", "peer", "name", lanHost, "netns", host.Name]).EnsureSuccess();
            gw.Ip("link add br0 type bridge");
            gw.Ip($"link set {lanGw} master br0");
            gw.Ip($"link set {Testbed.Device} master br0");
            gw.Ip($"link set {lanGw} up");
            gw.Ip("link set br0 up");
            host.Ip($"addr add {hostAddr} dev {lanHost}");
            host.Ip($"link set {lanHost} up");
        }
        bed.StartPair(transport);
        Assert.Equal(5, Testbed.Ping(hostA, "198.19.0.20", 5));
        Assert.Equal(5, Testbed.Ping(hostB, "198.19.0.10", 5));
        Assert.Equal(MacOf(hostB, "198.19.0.20"), Neighbour(hostA, "198.19.0.20"));
        Assert.Equal(MacOf(hostA, "198.19.0.10"), Neighbour(hostB, "198.19.0.10"));
    }

    private static string MacOf(NetNs ns, string address)
    {
        using var json = JsonDocument.Parse(ns.Exec("ip", ["-j", "addr", "show"]).EnsureSuccess().StdOut);
        foreach (var link in json.RootElement.EnumerateArray())
        {
            foreach (var a in link.GetProperty("addr_info").EnumerateArray())
            {
                if (a.GetProperty("local").GetString() == address)
                {
                    return link.GetProperty("address").GetString()!;
                }
            }
        }
        throw new InvalidOperationException($"no interface with {address} in {ns.Name}");
    }

    private static string? Neighbour(NetNs ns, string address)
    {
        using var json = JsonDocument.Parse(ns.Exec("ip", ["-j", "neigh", "show", address]).EnsureSuccess().StdOut);
        return json.RootElement.EnumerateArray().Select(n => n.TryGetProperty("lladdr", out var l) ? l.GetString() : null).FirstOrDefault(l => l is not null);
    }
}

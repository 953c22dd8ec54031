using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

public sealed class TunnelPingTests
{
    [RootTheory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void Tun_ping_both_ways_without_loss(string transport)
    {
        using var bed = Testbed.Create();
        var (server, client) = bed.StartPair(transport);
        Assert.Equal(10, Testbed.Ping(bed.B, Testbed.TunA, 10));
        Assert.Equal(10, Testbed.Ping(bed.A, Testbed.TunB, 10));
        // The counters printed on SIGUSR1 agree: at least 20 packets each way (pings + replies).
        var c = server.Counters();
        Assert.Equal(0, server.Stop());
        Assert.Equal(0, client.Stop());
        Assert.InRange(c["to peer packets"], 20, 10_000);
        Assert.InRange(c["from peer packets"], 20, 10_000);
        Assert.Equal(0, c["protocol errors"]);
    }

    [RootTheory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public void Tap_ping_resolves_arp_across_the_tunnel(string transport)
    {
        using var bed = Testbed.Create(tap: true);
        bed.StartPair(transport);
        Assert.Equal(5, Testbed.Ping(bed.B, Testbed.TunA, 5));
        Assert.Equal(5, Testbed.Ping(bed.A, Testbed.TunB, 5));
        // B's neighbour entry for A's tunnel address holds A's tap MAC: ARP crossed the tunnel.
        var macA = bed.A.Exec("cat", [$"/sys/class/net/{Testbed.Device}/address"]).EnsureSuccess().StdOut.Trim();
        var neigh = bed.B.Ip($"neigh show {Testbed.TunA} dev {Testbed.Device}");
        Assert.Contains(macA, neigh, StringComparison.OrdinalIgnoreCase);
    }
}

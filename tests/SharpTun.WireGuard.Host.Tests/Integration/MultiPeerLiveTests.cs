using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, fourth test: one SharpTun server (host 1, forwarding on) and three SharpTun peers (hosts
/// 2–4) that route the whole inner /24 and /64 to it. Each peer reaches each other through the server
/// (allowed-IPs routing); a peer sending with another peer's inner source address gets 0 packets
/// delivered, and the server counts them as source_not_allowed.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class MultiPeerLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void ThreePeers_ReachEachOtherThroughServer_SpoofedInnerSourceDelivered0AndCounted()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var hp = new[] { lab.AddHost(), lab.AddHost(), lab.AddHost() };
        hs.Must("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        hs.Must("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1");
        var ks = WgKey.Generate();
        var kp = hp.Select(_ => WgKey.Generate()).ToArray();
        var s = SharpTunWg.Start(hs, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(hs),
            hp.Select((h, i) => new WgPeer(kp[i].Public, Pairs.HostRoutes(h))).ToList()));
        var peers = hp.Select((h, i) => SharpTunWg.Start(h, new WgConfig(kp[i], Pairs.Port, Pairs.InnerAddresses(h),
            [new WgPeer(ks.Public, "198.19.0.0/24, 2001:db8:2::/64", $"{hs.OuterV4}:{Pairs.Port}", PersistentKeepalive: 25)]))).ToArray();

        // Each peer to the server first (the server learns their endpoints), then every ordered pair through it.
        foreach (var p in peers)
        {
            Traffic.Ping(p.Host, hs.InnerV4);
        }
        foreach (var from in peers)
        {
            foreach (var to in peers.Where(x => x != from))
            {
                var v4 = Traffic.Ping(from.Host, to.Host.InnerV4);
                var v6 = Traffic.Ping(from.Host, to.Host.InnerV6);
                output.WriteLine($"peer {from.Host.Index} -> peer {to.Host.Index} via server: v4 {v4:0.000} ms, v6 {v6:0.000} ms");
            }
        }

        // Peer 2 sends with peer 3's inner address as source: to the server itself and, through it, to peer 4.
        var spoofer = peers[0];
        var victim = peers[1];
        var target = peers[2];
        spoofer.Host.Ns.Ip($"addr add {victim.Host.InnerV4}/32 dev {spoofer.Name}");
        using var atServer = new UdpProbe(hs, hs.InnerV4, 9999);
        using var atTarget = new UdpProbe(target.Host, target.Host.InnerV4, 9999);
        using var spoof = new UdpProbe(spoofer.Host, victim.Host.InnerV4);
        var dropsBefore = s.Show().Drops("source_not_allowed", "sourceNotAllowed");
        var serverRx = s.DeliveredPackets();
        var targetRx = target.DeliveredPackets();
        const int Count = 100;
        var payload = "spoofed inner source"u8.ToArray();
        for (var i = 0; i < Count; i++)
        {
            spoof.Send(payload, new IPEndPoint(IPAddress.Parse(i % 2 == 0 ? hs.InnerV4 : target.Host.InnerV4), 9999));
        }
        long drops = 0;
        Poll.Until(() => (drops = s.Show().Drops("source_not_allowed", "sourceNotAllowed") - dropsBefore) >= Count,
            $"the server to count {Count} source_not_allowed drops", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300));
        output.WriteLine($"spoofed: {Count} sent, {drops} counted source_not_allowed; server tun rx +{s.DeliveredPackets() - serverRx}, peer 4 tun rx +{target.DeliveredPackets() - targetRx}");
        Assert.Equal(Count, drops);
        Assert.Equal(0, atServer.ReceivedDatagrams);
        Assert.Equal(0, atTarget.ReceivedDatagrams);
        Assert.Equal(serverRx, s.DeliveredPackets());
        Assert.Equal(targetRx, target.DeliveredPackets());

        // The real owner of that address is unaffected.
        Traffic.Ping(victim.Host, hs.InnerV4);
        Traffic.Ping(victim.Host, target.Host.InnerV4);
        s.Process.EnsureRunning("the test ended");
    }
}

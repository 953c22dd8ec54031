using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, sixth test: roaming. The client (host 2) moves to a new outer address; the SharpTun
/// server (host 1) follows after one authenticated packet (<c>wg show</c> endpoint changes). The
/// client is upstream wireguard-go (a known-good roaming client: the server alone is judged) or
/// SharpTun. Not Debian's wireguard-go 0.0.20220316: it keeps its cached source address after that
/// address is removed and sends nothing at all (seen with tcpdump, against either server).
/// Then a third address sends replays of everything the client sent (its initiation included) and
/// forged data for the live index: the server's endpoint does not move and it still reaches the client.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class RoamingLiveTests(ITestOutputHelper output)
{
    [UpstreamWireGuardGoFact]
    public void UpstreamWireGuardGoClientMoves_ServerFollowsAfterOneAuthenticatedPacket_SpoofedPacketsChangeNothing() =>
        ClientMoves(sharpTunClient: false);

    [RootFact]
    public void SharpTunClientMoves_ServerFollowsAfterOneAuthenticatedPacket_SpoofedPacketsChangeNothing() =>
        ClientMoves(sharpTunClient: true);

    private void ClientMoves(bool sharpTunClient)
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var hc = lab.AddHost();
        var ha = lab.AddHost();
        var ks = WgKey.Generate();
        var kc = WgKey.Generate();
        var s = SharpTunWg.Start(hs, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]));

        using var cap = new Capture(hs, "wire0", 100_000, $"udp and dst host {hs.OuterV4} and dst port {Pairs.Port}");
        var cc = new WgConfig(kc, Pairs.Port, Pairs.InnerAddresses(hc), [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hs.OuterV4}:{Pairs.Port}")]);
        WgNode c = sharpTunClient ? SharpTunWg.Start(hc, cc) : WireGuardGo.Start(hc, cc, WireGuardGo.Upstream);
        Traffic.Ping(hc, hs.InnerV4);
        Assert.Equal($"{hc.OuterV4}:{Pairs.Port}", s.Dump().Peer(kc.Public).Endpoint);

        // Move: a new address on the client's wire, the old one removed (promote_secondaries: the new
        // address is a secondary of the same /24 and would otherwise go with the primary).
        var moved = "198.18.0.102";
        hc.Must("sysctl", "-q", "-w", "net.ipv4.conf.wire0.promote_secondaries=1");
        hc.Ns.Ip($"addr add {moved}/24 dev wire0");
        hc.Ns.Ip($"addr del {hc.OuterV4}/24 dev wire0");
        Traffic.Ping(hc, hs.InnerV4, count: 1);
        Assert.Equal($"{moved}:{Pairs.Port}", s.Dump().Peer(kc.Public).Endpoint);
        output.WriteLine($"after the move the server's endpoint for the client is {moved}:{Pairs.Port}");
        Traffic.Ping(hs, hc.InnerV4);
        cap.Stop();
        var sent = cap.UdpPayloads();
        output.WriteLine($"captured {sent.Count} client datagrams, types in order: {string.Join(",", sent.Select(p => p[0]))}");
        Assert.Contains(sent, p => p[0] == 1 && p.Length == 148);
        var liveIndex = sent.Last(p => p[0] == 4).AsSpan(4, 4).ToArray();

        // Spoofed: all of it replayed from a third address, then forged data for the live index.
        var rx0 = s.DeliveredPackets();
        using (var attacker = new UdpProbe(ha, ha.OuterV4, Pairs.Port))
        {
            var server = new IPEndPoint(IPAddress.Parse(hs.OuterV4), Pairs.Port);
            foreach (var p in sent)
            {
                attacker.Send(p, server);
            }
            var rng = new Random(TestSeed.Get(output));
            for (var i = 0; i < 200; i++)
            {
                attacker.Send(Forge.DataMessage(rng, liveIndex), server);
            }
            s.WaitQuiet();
            Assert.Equal(0, attacker.ReceivedBytes);
        }
        Assert.Equal(rx0, s.DeliveredPackets());
        Assert.Equal($"{moved}:{Pairs.Port}", s.Dump().Peer(kc.Public).Endpoint);
        output.WriteLine($"after {sent.Count} replays and 200 forgeries from {ha.OuterV4}: endpoint still {moved}:{Pairs.Port}, 0 delivered");
        Traffic.Ping(hs, hc.InnerV4);
        Assert.True(c.Process.IsRunning);
    }
}

using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// The control: wireguard-go ↔ wireguard-go (Debian) through the same lab, configured with the same
/// harness. When this passes and a SharpTun test fails, the fault is SharpTun's, not the lab's; its
/// figures are the baseline the SharpTun figures are read against.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class HarnessControlTests(ITestOutputHelper output)
{
    [RootFact]
    public void WireGuardGoPair_PingV4V6_Sha256Transfer_Iperf3()
    {
        using var lab = new WireLab();
        var ha = lab.AddHost();
        var hb = lab.AddHost();
        var ka = WgKey.Generate();
        var kb = WgKey.Generate();
        var a = WireGuardGo.Start(ha, new WgConfig(ka, Pairs.Port, Pairs.InnerAddresses(ha),
            [new WgPeer(kb.Public, Pairs.HostRoutes(hb), $"[{hb.OuterV6}]:{Pairs.Port}")]), WireGuardGo.Debian);
        var b = WireGuardGo.Start(hb, new WgConfig(kb, Pairs.Port, Pairs.InnerAddresses(hb),
            [new WgPeer(ka.Public, Pairs.HostRoutes(ha))]), WireGuardGo.Debian);

        output.WriteLine($"control ping A->B v4: {Traffic.Ping(ha, hb.InnerV4):0.000} ms");
        output.WriteLine($"control ping B->A v6: {Traffic.Ping(hb, ha.InnerV6):0.000} ms");
        Assert.Equal($"[{ha.OuterV6}]:{Pairs.Port}", b.Dump().Peer(ka.Public).Endpoint);
        var t = Traffic.TcpTransfer(ha, hb, hb.InnerV4, 16L << 20, TestSeed.Get(output));
        Assert.Equal(16L << 20, t.Length);
        Assert.Equal(t.Sent, t.Received);
        output.WriteLine($"control iperf3 3 s A->B: {Traffic.Iperf3(hb, ha, hb.InnerV4, seconds: 3):0.000} Gbit/s");
        Assert.True(a.DeliveredPackets() > 0);
    }
}

using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, second test: <c>sharptun wg up</c> ↔ wireguard-go configured only with <c>wg setconf</c>
/// and <c>ip</c>; once with SharpTun initiating (only it knows the other's endpoint), once with
/// wireguard-go initiating; ping both ways, iperf3 both ways. Against Debian's wireguard-go and the
/// newest upstream build (skipped with the reason when that build is absent).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class WireGuardGoInteropLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void Debian_SharpTunInitiates_PingAndIperf3BothWays() => SharpTunInitiates(WireGuardGo.Debian);

    [RootFact]
    public void Debian_WireGuardGoInitiates_PingBothWays() => WireGuardGoInitiates(WireGuardGo.Debian);

    [UpstreamWireGuardGoFact]
    public void Upstream_SharpTunInitiates_PingAndIperf3BothWays() => SharpTunInitiates(WireGuardGo.Upstream);

    [UpstreamWireGuardGoFact]
    public void Upstream_WireGuardGoInitiates_PingBothWays() => WireGuardGoInitiates(WireGuardGo.Upstream);

    private void SharpTunInitiates(string binary)
    {
        using var lab = new WireLab();
        var (ours, theirs) = Pairs.WithWireGuardGo(lab, binary, sharpTunInitiates: true);
        output.WriteLine($"{binary}: SharpTun initiates");
        Ping(ours.Host, theirs.Host.InnerV4, "SharpTun->wireguard-go v4");
        // wireguard-go learned our endpoint from the handshake only: it was given none.
        Assert.Equal($"{ours.Host.OuterV4}:{Pairs.Port}", theirs.Dump().Peer(ours.PublicKey).Endpoint);
        Ping(theirs.Host, ours.Host.InnerV4, "wireguard-go->SharpTun v4");
        Ping(ours.Host, theirs.Host.InnerV6, "SharpTun->wireguard-go v6");
        Ping(theirs.Host, ours.Host.InnerV6, "wireguard-go->SharpTun v6");

        var up = Traffic.Iperf3(theirs.Host, ours.Host, theirs.Host.InnerV4, seconds: 3);
        var down = Traffic.Iperf3(theirs.Host, ours.Host, theirs.Host.InnerV4, seconds: 3, reverse: true);
        output.WriteLine($"iperf3 3 s SharpTun->wireguard-go {up:0.000} Gbit/s, wireguard-go->SharpTun {down:0.000} Gbit/s");
        Assert.True(up > 0 && down > 0, $"iperf3 {up} / {down} Gbit/s");
        ours.Process.EnsureRunning("the test ended");
        theirs.Process.EnsureRunning("the test ended");
    }

    private void WireGuardGoInitiates(string binary)
    {
        using var lab = new WireLab();
        var (ours, theirs) = Pairs.WithWireGuardGo(lab, binary, sharpTunInitiates: false);
        output.WriteLine($"{binary}: wireguard-go initiates");
        Ping(theirs.Host, ours.Host.InnerV4, "wireguard-go->SharpTun v4");
        // SharpTun learned wireguard-go's endpoint from the authenticated handshake only.
        Assert.Equal($"{theirs.Host.OuterV4}:{Pairs.Port}", ours.Dump().Peer(theirs.PublicKey).Endpoint);
        Assert.True(theirs.Dump().Peer(ours.PublicKey).LatestHandshake > 0, "wireguard-go reports no handshake");
        Ping(ours.Host, theirs.Host.InnerV4, "SharpTun->wireguard-go v4");
        Ping(theirs.Host, ours.Host.InnerV6, "wireguard-go->SharpTun v6");
        Ping(ours.Host, theirs.Host.InnerV6, "SharpTun->wireguard-go v6");
        ours.Process.EnsureRunning("the test ended");
    }

    private void Ping(LabHost from, string to, string label) =>
        output.WriteLine($"ping {label}: avg rtt {Traffic.Ping(from, to, count: 5):0.000} ms");
}

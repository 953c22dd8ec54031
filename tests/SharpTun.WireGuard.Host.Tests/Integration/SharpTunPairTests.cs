using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, first test: SharpTun ↔ SharpTun with <c>sharptun wg up FILE</c> in two namespaces —
/// ping both ways with v4 and v6 inside, over v4 and over v6 outside; a 64 MiB SHA-256-checked TCP
/// stream through the tunnel; iperf3 for 5 s.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class SharpTunPairTests(ITestOutputHelper output)
{
    [RootFact]
    public void Ipv4Outer_PingBothWays_64MiBSha256_Iperf3()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        PingAllWays(a, b);

        var seed = TestSeed.Get(output);
        var t = Traffic.TcpTransfer(a.Host, b.Host, b.Host.InnerV4, 64L << 20, seed);
        output.WriteLine($"64 MiB A->B through the tunnel in {t.Seconds:0.00} s ({64 * 8 / 1024.0 / t.Seconds:0.00} Gbit/s), sha256 {t.Sent}");
        Assert.Equal(64L << 20, t.Length);
        Assert.Equal(t.Sent, t.Received);

        var gbps = Traffic.Iperf3(b.Host, a.Host, b.Host.InnerV4, seconds: 5);
        output.WriteLine($"iperf3 5 s A->B through SharpTun<->SharpTun: {gbps:0.000} Gbit/s");
        Assert.True(gbps > 0, $"iperf3 measured {gbps} Gbit/s");

        // Both daemons still up and both peers report the handshake and traffic through the stock tool.
        var da = a.Dump().Peer(b.PublicKey);
        var db = b.Dump().Peer(a.PublicKey);
        Assert.True(da.LatestHandshake > 0 && db.LatestHandshake > 0, $"latest handshakes {da.LatestHandshake} / {db.LatestHandshake}");
        Assert.True(da.TxBytes > 64L << 20, $"A sent {da.TxBytes} bytes to B, less than the 64 MiB stream");
        Assert.True(db.RxBytes > 64L << 20, $"B received {db.RxBytes} bytes from A, less than the 64 MiB stream");
        a.Process.EnsureRunning("the test ended");
        b.Process.EnsureRunning("the test ended");
    }

    [RootFact]
    public void Ipv6Outer_PingBothWays_V4AndV6Inside()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: true);
        PingAllWays(a, b);
        Assert.Equal($"[{b.Host.OuterV6}]:{Pairs.Port}", a.Dump().Peer(b.PublicKey).Endpoint);
        Assert.Equal($"[{a.Host.OuterV6}]:{Pairs.Port}", b.Dump().Peer(a.PublicKey).Endpoint);
    }

    private void PingAllWays(SharpTunWg a, SharpTunWg b)
    {
        foreach (var (from, to, label) in new[]
                 {
                     (a.Host, b.Host.InnerV4, "A->B v4"), (b.Host, a.Host.InnerV4, "B->A v4"),
                     (a.Host, b.Host.InnerV6, "A->B v6"), (b.Host, a.Host.InnerV6, "B->A v6"),
                 })
        {
            var rtt = Traffic.Ping(from, to, count: 5);
            output.WriteLine($"ping {label} ({to}): avg rtt {rtt:0.000} ms");
        }
    }
}

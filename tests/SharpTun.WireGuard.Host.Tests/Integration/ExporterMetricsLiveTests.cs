using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: dashboards made for prometheus_wireguard_exporter work on <c>wg up --metrics</c>. A SharpTun server
/// with two SharpTun peers (one with an IPv4 and an IPv6 allowed IP, one never contacted); the scrape's
/// <c>wireguard_*</c> series carry, per peer, exactly what the stock <c>wg show IF dump</c> prints: the bytes,
/// the handshake time, and the allowed IPs column as the label.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ExporterMetricsLiveTests(ITestOutputHelper output)
{
    private const string MetricsAt = "127.0.0.1:9587";

    [RootFact]
    public void ExporterSeries_EqualWgShowDump_PerPeer()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var h1 = lab.AddHost();
        var h2 = lab.AddHost();
        var ks = WgKey.Generate();
        var k1 = WgKey.Generate();
        var k2 = WgKey.Generate();
        var s = SharpTunWg.Start(hs, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(hs),
            [new WgPeer(k1.Public, Pairs.HostRoutes(h1)), new WgPeer(k2.Public, $"{h2.InnerV4}/32")]), extraArgs: ["--metrics", MetricsAt]);
        SharpTunWg.Start(h1, Pairs.Config(h1, k1, hs, ks));
        Traffic.Ping(h1, hs.InnerV4, count: 4);
        Traffic.Ping(hs, h1.InnerV6, count: 2);

        WgDump? dump = null;
        PromText? prom = null;
        var page = "";
        Poll.Until(() =>
        {
            dump = s.Dump();
            page = hs.Must("curl", "-sf", $"http://{MetricsAt}/metrics").StdOut;
            prom = PromText.Parse(page);
            return dump.Peers.All(p =>
                prom.Samples("wireguard_received_bytes_total", Labels(s, p)).SequenceEqual([p.RxBytes])
                && prom.Samples("wireguard_sent_bytes_total", Labels(s, p)).SequenceEqual([p.TxBytes])
                && prom.Samples("wireguard_latest_handshake_seconds", Labels(s, p)).SequenceEqual([p.LatestHandshake]));
        }, "the exporter series to equal wg show dump", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        output.WriteLine(dump!.Text.Replace(ks.Private, "(private)", StringComparison.Ordinal));
        output.WriteLine(string.Join('\n', page.Split('\n').Where(l => l.StartsWith("wireguard_", StringComparison.Ordinal) || l.StartsWith("# HELP wireguard_", StringComparison.Ordinal))));

        var p1 = dump.Peer(k1.Public);
        var p2 = dump.Peer(k2.Public);
        Assert.Equal($"{h1.InnerV4}/32,{h1.InnerV6}/128", p1.AllowedIps);
        Assert.True(p1.RxBytes > 0 && p1.TxBytes > 0 && p1.LatestHandshake > 0, p1.ToString());
        Assert.Equal((0L, 0L, 0L), (p2.RxBytes, p2.TxBytes, p2.LatestHandshake));
        Assert.Equal(2, prom!.Samples("wireguard_sent_bytes_total", $"interface={s.Name}").Count);
        Assert.Equal("counter", prom.Types["wireguard_received_bytes_total"]);
        Assert.Equal("gauge", prom.Types["wireguard_latest_handshake_seconds"]);
        Assert.Contains("# HELP wireguard_received_bytes_total Bytes received from the peer\n", page, StringComparison.Ordinal);
        s.Process.EnsureRunning("after the scrapes");
    }

    private static string[] Labels(SharpTunWg s, WgDumpPeer p) => [$"interface={s.Name}", $"public_key={p.PublicKey}", $"allowed_ips={p.AllowedIps}"];
}

using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The Prometheus endpoint over fakes, scraped over HTTP on 127.0.0.1: names, types, and values equal to the interfaces' own counters.</summary>
public sealed class MetricsTests
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Scrape_OverHttp_ValuesEqualTheCounters_ExactPacketCounts()
    {
        using var pair = new FakePair();
        using var metrics = new WireGuardMetrics("SharpTun.WireGuard.Test." + Guid.NewGuid().ToString("N"));
        metrics.Add(pair.A);
        metrics.Add(pair.B);
        using var server = MetricsServer.Start(metrics, new IPEndPoint(IPAddress.Loopback, FreePort()));
        const int Pings = 7;
        for (var i = 0; i < Pings; i++)
        {
            pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: (ushort)i));
            pair.Settle();
            pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", sequence: (ushort)i, type: 0));
            pair.Settle();
        }
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.99")); // one no_route drop
        pair.Settle();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var a = Assert.Single(pair.A.GetPeers());
        var keyOfB = Convert.ToBase64String(a.PublicKey);
        PromText? prom = null;
        // The exporter caches an answer for about a second: poll until it shows this traffic.
        await Poll.UntilAsync(async () =>
        {
            prom = PromText.Parse(await http.GetStringAsync(server.Url));
            return prom.Samples("sharptun_wireguard_peer_sent_packets_total", "interface=wga").Sum() == Pings;
        }, "the scrape to show the pings", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        var p = prom!;
        string[] peerOfA = ["interface=wga", $"public_key={keyOfB}"];
        Assert.Equal(Pings, p.Value("sharptun_wireguard_peer_sent_packets_total", peerOfA));
        Assert.Equal(Pings, p.Value("sharptun_wireguard_peer_received_packets_total", peerOfA));
        Assert.Equal(a.TransmitBytes, p.Value("sharptun_wireguard_peer_sent_bytes_total", peerOfA));
        Assert.Equal(a.ReceiveBytes, p.Value("sharptun_wireguard_peer_received_bytes_total", peerOfA));
        Assert.Equal(a.LatestHandshake!.Value.ToUnixTimeSeconds(), p.Value("sharptun_wireguard_peer_latest_handshake_seconds", peerOfA));
        Assert.Equal(1, p.Value("sharptun_wireguard_peer_state", [.. peerOfA, "state=up"]));
        Assert.Equal(0, p.Value("sharptun_wireguard_peer_state", [.. peerOfA, "state=stale"]));
        Assert.Equal(1, p.Value("sharptun_wireguard_peer_handshakes_total", [.. peerOfA, "result=sent"]));
        Assert.Equal(1, p.Value("sharptun_wireguard_peer_handshakes_total", [.. peerOfA, "result=received"]));
        Assert.Equal(1, p.Value("sharptun_wireguard_drops_total", "interface=wga", "reason=no_route"));
        Assert.Equal(0, p.Value("sharptun_wireguard_drops_total", "interface=wgb", "reason=no_route"));
        Assert.Equal(Pings, p.Value("sharptun_wireguard_received_packets_total", "interface=wgb"));
        Assert.Equal(a.TransmitBytes, p.Value("sharptun_wireguard_sent_bytes_total", "interface=wga"));
        Assert.Equal(1, p.Value("sharptun_wireguard_peers", "interface=wgb"));
        Assert.Equal(0, p.Value("sharptun_wireguard_cookie_replies_total", "interface=wga"));
        Assert.Equal(0, p.Value("sharptun_wireguard_under_load", "interface=wga"));
        Assert.Equal("counter", p.Types["sharptun_wireguard_peer_received_bytes_total"]);

        // prometheus_wireguard_exporter's series: its names, types, labels and HELP lines, the same values.
        string[] exporterOfA = ["interface=wga", $"public_key={keyOfB}", "allowed_ips=198.19.0.2/32"];
        Assert.Equal(a.TransmitBytes, p.Value("wireguard_sent_bytes_total", exporterOfA));
        Assert.Equal(a.ReceiveBytes, p.Value("wireguard_received_bytes_total", exporterOfA));
        Assert.Equal(a.LatestHandshake!.Value.ToUnixTimeSeconds(), p.Value("wireguard_latest_handshake_seconds", exporterOfA));
        Assert.Equal("counter", p.Types["wireguard_sent_bytes_total"]);
        Assert.Equal("counter", p.Types["wireguard_received_bytes_total"]);
        Assert.Equal("gauge", p.Types["wireguard_latest_handshake_seconds"]);
        var page = await http.GetStringAsync(server.Url);
        Assert.Contains("# HELP wireguard_sent_bytes_total Bytes sent to the peer\n", page, StringComparison.Ordinal);
        Assert.Contains("# HELP wireguard_received_bytes_total Bytes received from the peer\n", page, StringComparison.Ordinal);
        Assert.Contains("# HELP wireguard_latest_handshake_seconds Seconds from the last handshake\n", page, StringComparison.Ordinal);
        Promtool(page);
        Assert.Equal("gauge", p.Types["sharptun_wireguard_peer_state"]);
    }

    /// <summary>When the Debian package prometheus is installed, its linter must accept the page too (names, units, HELP, TYPE).</summary>
    private static void Promtool(string page)
    {
        if (!File.Exists("/usr/bin/promtool"))
        {
            return; // optional: the strict parser above already judged the format
        }
        var r = Run.Exec("promtool", ["check", "metrics"], stdin: page);
        Assert.True(r.ExitCode == 0 && r.StdOut.Trim().Length == 0 && r.StdErr.Trim().Length == 0, $"promtool check metrics:\n{r}");
    }

    [Fact]
    public void TakenPort_IsAnErrorNamingTheEndpoint()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var ep = (IPEndPoint)taken.LocalEndpoint;
        using var metrics = new WireGuardMetrics("SharpTun.WireGuard.Test." + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<IOException>(() => MetricsServer.Start(metrics, ep).Dispose());
        Assert.StartsWith($"cannot serve metrics on {ep}: ", e.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:9586", "127.0.0.1:9586")]
    [InlineData("[::1]:9586", "[::1]:9586")]
    public void ParseEndpoint_Accepts(string text, string expected) => Assert.Equal(expected, MetricsServer.ParseEndpoint(text).ToString());

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("9586")]
    [InlineData("localhost:9586")]
    [InlineData("127.0.0.1:0")]
    public void ParseEndpoint_Refuses(string text) =>
        Assert.StartsWith($"invalid --metrics '{text}': expected ADDR:PORT", Assert.Throws<FormatException>(() => MetricsServer.ParseEndpoint(text)).Message);
}

using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 10, observability, in namespaces: one SharpTun server (with <c>--metrics</c>) and two SharpTun peers.
/// State never → up → stale (the peer killed, really); a per-peer capture holds exactly that peer's pings
/// (tshark); the Prometheus scrape inside the namespace equals <c>wg show dump</c> and the exact ping counts;
/// the log has one event per handshake with the peer's short key.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ObservabilityLiveTests(ITestOutputHelper output)
{
    private const string MetricsAt = "127.0.0.1:9586";

    [RootFact]
    public void Health_Capture_Metrics_Logs_AgainstRealTools()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var h1 = lab.AddHost();
        var h2 = lab.AddHost();
        var ks = WgKey.Generate();
        var k1 = WgKey.Generate();
        var k2 = WgKey.Generate();
        var s = SharpTunWg.Start(hs, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(hs),
            [new WgPeer(k1.Public, Pairs.HostRoutes(h1)), new WgPeer(k2.Public, Pairs.HostRoutes(h2))]), extraArgs: ["--metrics", MetricsAt]);
        var p1 = SharpTunWg.Start(h1, Pairs.Config(h1, k1, hs, ks));
        var p2 = SharpTunWg.Start(h2, Pairs.Config(h2, k2, hs, ks));

        // Never: no traffic yet, no keepalive configured.
        var show = s.Show();
        foreach (var k in new[] { k1, k2 })
        {
            Assert.Equal("never", show.Peer(k.Public).GetProperty("state").GetString());
            Assert.Equal("udp", show.Peer(k.Public).GetProperty("transport").GetString());
            Assert.Equal(0, show.Peer(k.Public).GetProperty("latest_handshake").GetInt64());
        }

        // A capture of peer 1 only, started while the tunnel runs.
        var file = Path.Combine(Path.GetTempPath(), UniqueName.Next("wgcap") + ".pcap");
        try
        {
            using (var capture = Daemon.StartIn(hs.Name, "dotnet", Repo.Cli("wg", "capture", s.Name, "--peer", k1.Public, "-w", file)))
            {
                capture.WaitForOutput("capturing inner packets", TimeSpan.FromSeconds(60));
                AssertAllReplies(Traffic.PingRaw(h1, hs.InnerV4, 5, 20), 5);
                AssertAllReplies(Traffic.PingRaw(h2, hs.InnerV4, 3, 20), 3);
                Assert.True(capture.Interrupt(TimeSpan.FromSeconds(30)), $"capture did not stop on SIGINT:\n{capture.Output}");
                Assert.Contains("10 packet(s) captured", capture.Output, StringComparison.Ordinal);
            }
            var lines = hs.Must("tshark", "-r", file, "-T", "fields", "-E", "separator=,", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type", "-e", "icmp.seq")
                .StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            output.WriteLine("capture of peer 1:\n" + string.Join('\n', lines));
            var expected = Enumerable.Range(1, 5).SelectMany(i => new[] { $"{h1.InnerV4},{hs.InnerV4},8,{i}", $"{hs.InnerV4},{h1.InnerV4},0,{i}" });
            // Exactly these ten (the order of a request and the previous reply may differ while the first handshake settles).
            Assert.Equal(expected.Order(StringComparer.Ordinal), lines.Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }

        // Up, with exact packet counts and one handshake each (the peers initiated).
        show = s.Show();
        foreach (var (k, n) in new[] { (k1, 5), (k2, 3) })
        {
            var peer = show.Peer(k.Public);
            Assert.Equal("up", peer.GetProperty("state").GetString());
            Assert.Equal(n, peer.GetProperty("rx_packets").GetInt64());
            Assert.Equal(n, peer.GetProperty("tx_packets").GetInt64());
            var hsk = peer.GetProperty("handshakes");
            Assert.Equal((0L, 1L, 0L), (hsk.GetProperty("sent").GetInt64(), hsk.GetProperty("received").GetInt64(), hsk.GetProperty("failed").GetInt64()));
            var learned = Assert.Single(peer.GetProperty("endpoint_history").EnumerateArray());
            Assert.Equal(("learned", $"{(k == k1 ? h1 : h2).OuterV4}:{Pairs.Port}"), (learned.GetProperty("cause").GetString(), learned.GetProperty("to").GetString()));
            Assert.Equal(JsonValueKind.Null, peer.GetProperty("last_error").ValueKind);
        }

        // The text view: wg's lines, then the health lines per peer; the stock tool prints its own view unchanged.
        var pretty = hs.Sharptun("wg", "show", s.Name).EnsureSuccess().StdOut;
        output.WriteLine(pretty);
        Assert.Matches(@"\n  state: up \(udp(, path mtu \d+)?\)\n  packets: 5 received, 5 sent\n  handshakes: 0 sent, 1 received, 0 failed\n", pretty);
        var stock = s.Wg("show", s.Name).Split('\n');
        Assert.DoesNotContain(stock, l => l.Contains("state:", StringComparison.Ordinal));
        foreach (var line in stock.Where(l => l.StartsWith("peer: ", StringComparison.Ordinal) || l.StartsWith("  endpoint: ", StringComparison.Ordinal) || l.StartsWith("  allowed ips: ", StringComparison.Ordinal)))
        {
            Assert.Contains(line, pretty.Split('\n'));
        }

        // The scrape inside the namespace equals wg show dump (stock wg over the UAPI) and the pings.
        PromText? prom = null;
        WgDump? dump = null;
        Poll.Until(() =>
        {
            dump = WgDump.Parse(s.Wg("show", s.Name, "dump"));
            prom = PromText.Parse(hs.Must("curl", "-sf", $"http://{MetricsAt}/metrics").StdOut);
            return new[] { k1, k2 }.All(k =>
                prom.Value("sharptun_wireguard_peer_received_bytes_total", $"interface={s.Name}", $"public_key={k.Public}") == dump.Peer(k.Public).RxBytes
                && prom.Value("sharptun_wireguard_peer_sent_bytes_total", $"interface={s.Name}", $"public_key={k.Public}") == dump.Peer(k.Public).TxBytes);
        }, "the scrape to equal wg show dump", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        foreach (var (k, n) in new[] { (k1, 5), (k2, 3) })
        {
            string[] labels = [$"interface={s.Name}", $"public_key={k.Public}"];
            Assert.Equal(n, prom!.Value("sharptun_wireguard_peer_received_packets_total", labels));
            Assert.Equal(n, prom.Value("sharptun_wireguard_peer_sent_packets_total", labels));
            Assert.Equal(dump!.Peer(k.Public).LatestHandshake, prom.Value("sharptun_wireguard_peer_latest_handshake_seconds", labels));
            Assert.Equal(1, prom.Value("sharptun_wireguard_peer_state", [.. labels, "state=up"]));
        }
        Assert.Equal(8, prom!.Value("sharptun_wireguard_received_packets_total", $"interface={s.Name}"));
        Assert.Equal(2, prom.Value("sharptun_wireguard_peers", $"interface={s.Name}"));
        output.WriteLine($"scrape: {prom.Types.Count} metric families; dump rx/tx of peer 1: {dump!.Peer(k1.Public).RxBytes}/{dump.Peer(k1.Public).TxBytes}");

        // Peer 2 is killed: the server's data to it goes unanswered and the peer turns stale (15 s + 5 s of an unanswered handshake).
        p2.Kill();
        var killed = System.Diagnostics.Stopwatch.StartNew();
        Traffic.PingRaw(hs, h2.InnerV4, 1, 2);
        try
        {
            Poll.Until(() => s.Show().Peer(k2.Public).GetProperty("state").GetString() == "stale", "peer 2 to turn stale", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            output.WriteLine(s.Show().Text + "\n" + s.Process.Output);
            throw;
        }
        output.WriteLine($"peer 2 stale {killed.Elapsed.TotalSeconds:0.0} s after it was killed");
        Assert.Equal("up", s.Show().Peer(k1.Public).GetProperty("state").GetString());

        // One log event per handshake, and the state change, with the peer's short key.
        var log = s.Process.Output;
        Assert.Single(log.Split('\n'), l => l.Contains($"peer {k1.Public[..8]}: handshake completed (peer initiated)", StringComparison.Ordinal));
        Assert.Single(log.Split('\n'), l => l.Contains($"peer {k2.Public[..8]}: handshake completed (peer initiated)", StringComparison.Ordinal));
        Poll.Until(() => s.Process.Output.Contains($"peer {k2.Public[..8]}: state up -> stale", StringComparison.Ordinal), "the stale event in the log", TimeSpan.FromSeconds(10));
        s.Process.EnsureRunning("the test ended");
    }

    private static void AssertAllReplies(ProcessResult ping, int count)
    {
        Assert.True(ping.ExitCode == 0, ping.ToString());
        Assert.Contains($"{count.ToString(CultureInfo.InvariantCulture)} packets transmitted, {count.ToString(CultureInfo.InvariantCulture)} received", ping.StdOut, StringComparison.Ordinal);
    }
}

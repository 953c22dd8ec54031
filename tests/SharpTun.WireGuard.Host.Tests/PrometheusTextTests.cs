using System.Diagnostics.Metrics;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The Prometheus text writer behind <see cref="MetricsServer"/>: OpenTelemetry's naming as vectors, and exact pages.</summary>
public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("sharptun.wireguard.peer.sent", "By", true, "sharptun_wireguard_peer_sent_bytes_total")]
    [InlineData("sharptun.wireguard.peer.received_packets", "{packet}", true, "sharptun_wireguard_peer_received_packets_total")]
    [InlineData("sharptun.wireguard.peer.latest_handshake", "s", false, "sharptun_wireguard_peer_latest_handshake_seconds")]
    [InlineData("sharptun.wireguard.peer.state", null, false, "sharptun_wireguard_peer_state")]
    [InlineData("wireguard.sent", "By", true, "wireguard_sent_bytes_total")]
    [InlineData("requests.total", null, true, "requests_total")]
    [InlineData("rtt.seconds", "s", false, "rtt_seconds")]
    [InlineData("a-b c", "ms", false, "a_b_c_milliseconds")]
    [InlineData("9lives", "1", false, "_lives")]
    public void Name_FollowsOpenTelemetrysPrometheusNaming(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusText.Name(name, unit, counter));

    [Fact]
    public void Collect_WritesHelpTypeAndEscapedSamples_OfItsMeterOnly()
    {
        var meterName = "SharpTun.Test." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        using var other = new Meter(meterName + ".other");
        long calls = 0;
        meter.CreateObservableCounter("t.sent", () => new Measurement<long>(++calls * 1000, new KeyValuePair<string, object?>("k", "a\"b\\c\nd")), "By", "Bytes \\ sent\nby t");
        meter.CreateObservableGauge("t.state", () => Array.Empty<Measurement<int>>());
        other.CreateObservableGauge("t.other", () => 7);
        using var text = new PrometheusText(meterName);

        const string Expected = "# HELP t_sent_bytes_total Bytes \\\\ sent\\nby t\n# TYPE t_sent_bytes_total counter\n"
            + "t_sent_bytes_total{k=\"a\\\"b\\\\c\\nd\"} 1000\n# TYPE t_state gauge\n";
        Assert.Equal(Expected, text.Collect());
        Assert.Equal(Expected.Replace("} 1000", "} 2000", StringComparison.Ordinal), text.Collect()); // read anew on each collection
        var parsed = PromText.Parse(text.Collect());
        Assert.Equal(3000, parsed.Value("t_sent_bytes_total", "k=a\"b\\c\\nd"));
    }
}

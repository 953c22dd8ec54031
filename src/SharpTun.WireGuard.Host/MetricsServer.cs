using System.Net;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Serves <see cref="WireGuardMetrics"/> in Prometheus text format at <c>http://ADDR:PORT/metrics</c>
/// (<c>wg up --metrics ADDR:PORT</c>), through OpenTelemetry's Prometheus HttpListener exporter: the
/// OpenTelemetry SDK reads the observable instruments on each scrape (answers are cached for about a second).
/// </summary>
public sealed class MetricsServer : IDisposable
{
    private readonly MeterProvider _provider;

    private MetricsServer(MeterProvider provider, IPEndPoint endpoint)
    {
        _provider = provider;
        Endpoint = endpoint;
    }

    /// <summary>Where it listens.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The scrape URL.</summary>
    public Uri Url => new($"http://{Host(Endpoint)}:{Endpoint.Port}/metrics");

    /// <summary>Parses "ADDR:PORT" ("127.0.0.1:9586", "[::1]:9586"); the error names the option.</summary>
    public static IPEndPoint ParseEndpoint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IPEndPoint.TryParse(text, out var ep) || ep.Port == 0 || !text.Contains(':', StringComparison.Ordinal)
            || (ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !text.StartsWith('[')))
        {
            throw new FormatException($"invalid --metrics '{text}': expected ADDR:PORT, e.g. 127.0.0.1:9586 or [::1]:9586");
        }
        return ep;
    }

    /// <summary>Starts serving <paramref name="metrics"/> on <paramref name="endpoint"/>; a taken port is an error naming it.</summary>
    public static MetricsServer Start(WireGuardMetrics metrics, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(endpoint);
        try
        {
            var provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(metrics.MeterName)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = Host(endpoint);
                    o.Port = endpoint.Port;
                    o.ScopeInfoEnabled = false;
                    o.TargetInfoEnabled = false;
                })
                .Build();
            return new MetricsServer(provider, endpoint);
        }
        catch (Exception e) when (e is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new IOException($"cannot serve metrics on {endpoint}: {(e is HttpListenerException h && h.ErrorCode == 98 ? "address already in use" : e.Message)}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _provider.Dispose();

    private static string Host(IPEndPoint ep) => ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ep.Address}]" : ep.Address.ToString();
}

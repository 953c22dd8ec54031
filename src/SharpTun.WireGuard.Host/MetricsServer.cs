using System.Net;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Serves <see cref="WireGuardMetrics"/> in Prometheus text format at <c>http://ADDR:PORT/metrics</c>
/// (<c>wg up --metrics ADDR:PORT</c>) with an <see cref="HttpListener"/>: each scrape reads the observable
/// instruments once (<see cref="PrometheusText"/>). The page is written here rather than by OpenTelemetry's
/// Prometheus exporter: that exporter is a prerelease package, which a stable package cannot depend on, and all
/// it did for us was this text format over these instruments (names as it names them, so dashboards keep working).
/// </summary>
public sealed class MetricsServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly PrometheusText _text;
    private readonly Task _serving;

    private MetricsServer(HttpListener listener, PrometheusText text, IPEndPoint endpoint)
    {
        _listener = listener;
        _text = text;
        Endpoint = endpoint;
        _serving = Task.Run(ServeAsync);
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
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://{Host(endpoint)}:{endpoint.Port}/metrics/");
        try
        {
            listener.Start();
        }
        catch (Exception e) when (e is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            listener.Close();
            throw new IOException($"cannot serve metrics on {endpoint}: {(e is HttpListenerException h && h.ErrorCode == 98 ? "address already in use" : e.Message)}", e);
        }
        return new MetricsServer(listener, new PrometheusText(metrics.MeterName), endpoint);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
        _text.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // closed
            }
            try
            {
                var response = context.Response;
                if (context.Request.HttpMethod is "GET" or "HEAD")
                {
                    var body = Encoding.UTF8.GetBytes(_text.Collect());
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    response.ContentLength64 = body.Length;
                    if (context.Request.HttpMethod == "GET")
                    {
                        await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
                    }
                }
                else
                {
                    response.StatusCode = 405;
                }
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The scraper went away mid-answer: the next scrape is answered anew.
            }
        }
    }

    private static string Host(IPEndPoint ep) => ep.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ep.Address}]" : ep.Address.ToString();
}

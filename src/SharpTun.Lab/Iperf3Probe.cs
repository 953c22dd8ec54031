using System.Globalization;
using System.Net;
using System.Text.Json;

namespace SharpTun.Lab;

/// <summary>Throughput with iperf3 when it is installed: server in namespace A (one test, then exit), client in B, JSON result.</summary>
internal static class Iperf3Probe
{
    /// <summary>The iperf3 executable found on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "iperf3");
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    /// <summary>Runs one TCP test of <paramref name="seconds"/> from <paramref name="clientNamespace"/> to <paramref name="server"/> in <paramref name="serverNamespace"/>.</summary>
    public static ThroughputResult Run(string iperf3, string serverNamespace, IPAddress server, string clientNamespace, int seconds, CancellationToken cancellationToken)
    {
        using var iperfServer = LabProcess.Start(serverNamespace, iperf3, "-s", "-1", "--forceflush", "-B", server.ToString());
        if (!iperfServer.WaitForOutput("Server listening", TimeSpan.FromSeconds(10), cancellationToken))
        {
            return new ThroughputResult(ThroughputTool.None, null, 0, "iperf3 server did not start: " + iperfServer.Output.Trim());
        }
        using var iperfClient = LabProcess.Start(clientNamespace, iperf3, "-c", server.ToString(), "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J");
        var rc = iperfClient.Wait(TimeSpan.FromSeconds(seconds + 20), cancellationToken);
        var output = iperfClient.Output;
        var start = output.IndexOf('{', StringComparison.Ordinal);
        if (rc != 0 || start < 0)
        {
            return new ThroughputResult(ThroughputTool.None, null, 0, $"iperf3 failed (exit {rc})");
        }
        using var json = JsonDocument.Parse(output[start..]);
        var sum = json.RootElement.GetProperty("end").GetProperty("sum_received");
        return new ThroughputResult(ThroughputTool.Iperf3, sum.GetProperty("bits_per_second").GetDouble(), (long)sum.GetProperty("bytes").GetDouble());
    }
}

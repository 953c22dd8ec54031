using System.CommandLine;
using SharpTun.Lab;
using SharpTun.Tunnel;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun lab</c>: the self-contained two-namespace demo: tunnels, SharpTun's own ping and throughput probes, counters.</summary>
internal static class LabCommand
{
    internal static Command Create()
    {
        var mode = new Option<string>("--mode") { Description = $"what to run: {string.Join(", ", LabCatalog.Modes)} (default all)", DefaultValueFactory = _ => "all" };
        var transport = new Option<string>("--transport") { Description = "relay over tcp, udp or both (default)", DefaultValueFactory = _ => "both" };
        mode.CompletionSources.Add([.. LabCatalog.Modes]);
        transport.CompletionSources.Add("tcp", "udp", "both");
        var seconds = new Option<int>("--seconds") { Description = "throughput seconds per scenario (0 = skip throughput)", DefaultValueFactory = _ => 3 };
        var pings = new Option<int>("--pings") { Description = "echo requests per scenario", DefaultValueFactory = _ => 5 };
        var noIperf = new Option<bool>("--no-iperf3") { Description = "measure throughput with the built-in TCP transfer even when iperf3 is installed" };
        var cmd = new Command("lab",
            "Build two network namespaces joined by a veth wire, run SharpTun tunnels between them (tun devices 198.19.0.1/24 and .2/24), " +
            "ping across with SharpTun's own ICMP probe, measure throughput (iperf3 when installed, else a built-in TCP transfer), " +
            "print a summary, and remove everything. Needs root; needs nothing but SharpTun.")
        {
            mode, transport, seconds, pings, noIperf,
        };
        // The shared stop rule: SIGINT/SIGTERM remove everything built so far, then exit 130/143.
        cmd.SetAction((r, ct) => CliRunner.RunWithStopAsync(stop =>
        {
            var token = stop.Token;
            var kinds = r.GetValue(transport)?.ToLowerInvariant() switch
            {
                "tcp" => new[] { TransportKind.Tcp },
                "udp" => [TransportKind.Udp],
                "both" => [TransportKind.Tcp, TransportKind.Udp],
                var t => throw new ArgumentException($"invalid --transport '{t}': use tcp, udp or both"),
            };
            var n = r.GetValue(pings);
            if (n < 1)
            {
                throw new ArgumentException("--pings must be at least 1");
            }
            var scenarios = LabCatalog.Scenarios(r.GetValue(mode) ?? "all", kinds);
            var options = new LabOptions { Pings = n, Seconds = Math.Max(0, r.GetValue(seconds)), UseIperf3 = !r.GetValue(noIperf) };
            return Task.FromResult(Run(scenarios, options, token));
        }, ct));
        return cmd;
    }

    private static int Run(IReadOnlyList<ILabScenario> scenarios, LabOptions options, CancellationToken token)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("the lab needs root (it creates network namespaces and tun devices); run: sudo ./sharptun lab");
        }
        using var interrupted = token.Register(() => Console.Out.WriteLine("lab: interrupted; cleaning up"));
        LabReport report;
        try
        {
            report = LabRunner.Run(scenarios, options, e => Console.Out.WriteLine(e.Scenario is null ? $"lab: {e.Message}" : $"  [{e.Scenario}] {e.Message}"), token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // LabRunner removed the topology on its way out; the caller turns Ok into 130/143.
            Console.Out.WriteLine("lab: stopped before the end; everything it built is removed");
            return CliRunner.Ok;
        }
        Console.Out.WriteLine($"lab: removed namespaces {report.NamespaceA} and {report.NamespaceB}");
        Console.Out.WriteLine();
        Console.Out.WriteLine("summary (SharpTun tunnels between two namespaces; the relay rows are cleartext):");
        Console.Out.WriteLine("  ping: SharpTun's ICMP echo probe (raw socket); throughput: per row");
        Console.Out.WriteLine($"  {"scenario",-13} {"mtu",-5} {"ping",-8} {"rtt avg",-10} {"throughput",-14} {"tool",-10}");
        foreach (var r in report.Results)
        {
            var rtt = r.Ping.RttAverageMs is { } ms ? $"{ms:0.000} ms" : "-";
            var bps = r.Throughput.BitsPerSecond is { } b ? $"{b / 1e9:0.00} Gbit/s" : "-";
            var tool = r.Throughput.Tool switch
            {
                ThroughputTool.Iperf3 => "iperf3",
                ThroughputTool.BuiltIn => "built-in",
                _ => "none",
            };
            Console.Out.WriteLine($"  {r.Scenario,-13} {r.Mtu,-5} {$"{r.Ping.Received}/{r.Ping.Sent}",-8} {rtt,-10} {bps,-14} {tool,-10}");
            if (r.Throughput.Note is { } note)
            {
                Console.Out.WriteLine($"    throughput not measured: {note}");
            }
        }
        foreach (var r in report.Results)
        {
            foreach (var side in r.Sides)
            {
                Console.Out.WriteLine();
                Console.Out.WriteLine($"counters, {r.Scenario} {side.Role}:");
                foreach (var c in side.Counters)
                {
                    Console.Out.WriteLine($"  {c.Name}: {c.Value}");
                }
            }
        }
        if (token.IsCancellationRequested)
        {
            // Stopped by a signal: the caller turns Ok into 130/143.
            Console.Out.WriteLine("lab: stopped before the end; everything it built is removed");
            return CliRunner.Ok;
        }
        Console.Out.WriteLine(report.Passed ? "lab: OK — packets crossed the tunnel both ways" : "lab: FAILED — pings did not cross the tunnel");
        return report.Passed ? CliRunner.Ok : CliRunner.Failed;
    }
}

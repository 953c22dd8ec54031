using System.CommandLine;
using System.Runtime.InteropServices;
using SharpTun.Tunnel;
using SharpTun.Tunnel.Lab;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun lab</c>: the self-contained two-namespace tunnel demo with ping, iperf3 and counters.</summary>
internal static class LabCommand
{
    internal static Command Create()
    {
        var transport = new Option<string>("--transport") { Description = "tcp, udp or both (default)", DefaultValueFactory = _ => "both" };
        var seconds = new Option<int>("--seconds") { Description = "iperf3 duration per transport (0 = skip throughput)", DefaultValueFactory = _ => 3 };
        var pings = new Option<int>("--pings") { Description = "pings per transport", DefaultValueFactory = _ => 5 };
        var cmd = new Command("lab",
            "Build two network namespaces joined by a veth wire, run a SharpTun tunnel between them (tun devices " +
            "198.19.0.1/24 and .2/24), ping and measure throughput through it with iperf3, print a summary, and remove everything. Needs root.")
        {
            transport, seconds, pings,
        };
        cmd.SetAction((r, ct) => CliRunner.RunAsync(token =>
        {
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
            return Task.FromResult(Run(kinds, Math.Max(0, r.GetValue(seconds)), n, token));
        }, ct));
        return cmd;
    }

    private static int Run(TransportKind[] kinds, int seconds, int pings, CancellationToken token)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("the lab needs root (it creates network namespaces and tun devices); run: sudo ./sharptun lab");
        }
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        void Stop(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            Console.Out.WriteLine("lab: interrupted; cleaning up");
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var results = new List<LabResult>();
        using (var lab = new TunnelLab(Console.Out))
        {
            foreach (var kind in kinds)
            {
                stop.Token.ThrowIfCancellationRequested();
                results.Add(lab.Measure(kind, seconds, pings, stop.Token));
            }
        }
        Console.Out.WriteLine();
        Console.Out.WriteLine("summary (cleartext SharpTun tunnel between two namespaces; tun MTU 1500 over TCP, 1472 over UDP):");
        Console.Out.WriteLine($"  {"transport",-10} {"ping",-8} {"rtt avg",-10} {"iperf3",-12}");
        foreach (var r in results)
        {
            var rtt = r.RttAverageMs is { } ms ? $"{ms:0.000} ms" : "-";
            var bps = r.BitsPerSecond is { } b ? $"{b / 1e9:0.00} Gbit/s" : "-";
            Console.Out.WriteLine($"  {r.Transport.ToString().ToUpperInvariant(),-10} {r.PingsReceived}/{r.PingsSent,-6} {rtt,-10} {bps,-12}");
        }
        foreach (var r in results)
        {
            Console.Out.WriteLine();
            Console.Out.WriteLine($"counters, {r.Transport.ToString().ToUpperInvariant()} server (ns A):");
            Console.Out.WriteLine(Indent(r.ServerCounters));
            Console.Out.WriteLine($"counters, {r.Transport.ToString().ToUpperInvariant()} client (ns B):");
            Console.Out.WriteLine(Indent(r.ClientCounters));
        }
        var ok = results.All(r => r.PingsReceived > 0);
        Console.Out.WriteLine(ok ? "lab: OK — packets crossed the tunnel both ways" : "lab: FAILED — pings did not cross the tunnel");
        return ok ? CliRunner.Ok : CliRunner.Failed;
    }

    private static string Indent(string text) => "  " + text.Replace("\n", "\n  ", StringComparison.Ordinal);
}

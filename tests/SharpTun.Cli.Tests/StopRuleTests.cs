using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SharpTun.Cli.Tests;

/// <summary>
/// tunnel and lab on the shared stop rule: the first SIGINT/SIGTERM stops cleanly and prints the summary;
/// lab exits 130/143 as read and respond do, having removed what it built; tunnel, a service like wg up,
/// exits 130 on SIGINT and 0 on SIGTERM (systemd's stop), printing its counters either way.
/// </summary>
public sealed partial class StopRuleTests
{
    private static string WaitForLine(StreamReader reader, Process p, Func<string, bool> match, string what)
    {
        var seen = new System.Text.StringBuilder();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var next = Task.Run(reader.ReadLine);
            if (!next.Wait(TimeSpan.FromSeconds(90)) || next.Result is not { } line)
            {
                break;
            }
            seen.AppendLine(line);
            if (match(line))
            {
                return seen.ToString();
            }
        }
        Assert.Fail($"no {what} (exited: {p.HasExited}); output so far:\n{seen}");
        return "";
    }

    private static int Signal(Process p, string signal)
    {
        Run.Exec("kill", [$"-{signal}", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();
        Assert.True(p.WaitForExit(60_000), $"no exit within 60 s of SIG{signal}");
        return p.ExitCode;
    }

    [RootTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 0)]
    public void Tunnel_prints_its_counters_and_exits_130_on_SIGINT_and_0_on_SIGTERM(string signal, int expected)
    {
        using var ns = NetNs.Create("ststop");
        var dev = UniqueName.Next("sr");
        var p = ns.StartSt("tunnel", "-i", dev, "-s", "--create", "--address", "198.19.0.1/24", "-p", "55555");
        WaitForLine(p.StandardError, p, l => l.StartsWith("sharptun tunnel: " + dev, StringComparison.Ordinal), "tunnel start line");
        var code = Signal(p, signal);
        var output = p.StandardOutput.ReadToEnd();
        Assert.True(code == expected, $"exit {code}, expected {expected}\n{output}\n{p.StandardError.ReadToEnd()}");
        Assert.Contains($"{dev} -> peer: 0 packets, 0 bytes", output);
        Assert.Contains($"peer -> {dev}: 0 packets, 0 bytes", output);
    }

    [RootTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void Lab_removes_what_it_built_and_exits_128_plus_signal(string signal, int expected)
    {
        var p = Run.Start("dotnet", Repo.Cli("lab", "--mode", "relay", "--transport", "tcp", "--seconds", "0", "--pings", "200"));
        try
        {
            var before = WaitForLine(p.StandardOutput, p, l => l.StartsWith("  [relay-tcp]", StringComparison.Ordinal), "relay-tcp progress line");
            var code = Signal(p, signal);
            var output = before + p.StandardOutput.ReadToEnd();
            Assert.True(code == expected, $"exit {code}, expected {expected}\n{output}\n{p.StandardError.ReadToEnd()}");
            Assert.Contains("lab: interrupted; cleaning up", output);
            Assert.Contains("lab: stopped before the end; everything it built is removed", output);
            Assert.DoesNotContain("lab: FAILED", output);
            var removed = Removed().Match(output);
            Assert.True(removed.Success, output);
            var namespaces = Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut;
            Assert.DoesNotContain(removed.Groups[1].Value, namespaces);
            Assert.DoesNotContain(removed.Groups[2].Value, namespaces);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
            p.Dispose();
        }
    }

    [GeneratedRegex(@"lab: namespaces (\S+) and (\S+),")]
    private static partial Regex Removed();
}

using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SharpTun.Lab.Tests;

/// <summary><c>sharptun lab</c> end to end, as a user runs it.</summary>
public sealed class LabCommandTests
{
    [RootFact]
    public void Lab_runs_both_transports_and_leaves_nothing_behind()
    {
        var r = Run.Exec("dotnet", Repo.Cli("lab", "--seconds", "1", "--pings", "3"), TimeSpan.FromSeconds(120));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("lab: OK", r.StdOut);
        var tool = Iperf3Installed() ? "iperf3" : "built-in";
        Assert.Matches($@"relay-tcp\s+1500\s+3/3\s+[\d.]+ ms\s+[\d.]+ Gbit/s\s+{tool}", r.StdOut);
        Assert.Matches($@"relay-udp\s+1472\s+3/3\s+[\d.]+ ms\s+[\d.]+ Gbit/s\s+{tool}", r.StdOut);
        AssertNamespacesRemoved(r.StdOut);
    }

    [RootFact]
    public void Lab_needs_neither_ping_nor_iperf3_and_says_which_probes_it_used()
    {
        // A PATH holding nothing at all: no ping, no iperf3, no ip. The CLI is started by full path.
        var empty = Directory.CreateTempSubdirectory("sharptun-empty-path-");
        try
        {
            var dotnet = Environment.ProcessPath is { } p && Path.GetFileName(p) == "dotnet" ? p : FindOnPath("dotnet");
            var env = new Dictionary<string, string> { ["PATH"] = empty.FullName, ["DOTNET_ROOT"] = Path.GetDirectoryName(dotnet)! };
            var r = Run.Exec(dotnet, Repo.Cli("lab", "--seconds", "1", "--pings", "3"), TimeSpan.FromSeconds(120), env: env);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Contains("lab: OK", r.StdOut);
            Assert.Contains("ping: SharpTun's ICMP echo probe", r.StdOut);
            Assert.Matches(@"relay-tcp\s+1500\s+3/3\s+[\d.]+ ms\s+[\d.]+ Gbit/s\s+built-in", r.StdOut);
            Assert.Matches(@"relay-udp\s+1472\s+3/3\s+[\d.]+ ms\s+[\d.]+ Gbit/s\s+built-in", r.StdOut);
            AssertNamespacesRemoved(r.StdOut);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unknown_mode_is_a_usage_error()
    {
        var r = Run.Exec("dotnet", Repo.Cli("lab", "--mode", "nope"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown lab mode 'nope'", r.StdErr);
    }

    private static void AssertNamespacesRemoved(string stdout)
    {
        var ns = Regex.Match(stdout, @"lab: namespaces (\S+) and (\S+),");
        Assert.True(ns.Success, stdout);
        var after = Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut;
        Assert.DoesNotContain(ns.Groups[1].Value, after);
        Assert.DoesNotContain(ns.Groups[2].Value, after);
    }

    private static bool Iperf3Installed() => FindOnPathOrNull("iperf3") is not null;

    private static string FindOnPath(string file) => FindOnPathOrNull(file) ?? throw new FileNotFoundException($"{file} is not on PATH");

    private static string? FindOnPathOrNull(string file) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, file)).FirstOrDefault(File.Exists);
}

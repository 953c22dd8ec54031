namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// The native binary behaves as the JIT build: same output bytes, same exit codes, same error lines,
/// JSON (source-generated or hand-written, no reflection) intact, and it never re-executes itself
/// (it has no diagnostic server to turn off) nor leaves anything in /tmp.
/// </summary>
public sealed class NativeCliTests
{
    private static ProcessResult Native(params string[] args) => Run.Exec(NativeCli.Path, args, TimeSpan.FromSeconds(30));

    private static ProcessResult Jit(params string[] args) => Run.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    [NativeFact]
    public void Same_version_usage_errors_and_help_as_the_JIT_build()
    {
        foreach (var args in new[] { ["--version"], ["bogus"], ["link", "shwo"], ["read", "-i", "x", "-c", "abc"], ["route", "--help"], new[] { "tuntap", "add", "x", "--mode", "tup" } })
        {
            var n = Native(args);
            var j = Jit(args);
            Assert.True(n.ExitCode == j.ExitCode, $"{n}\n---\n{j}");
            Assert.Equal(j.StdOut, n.StdOut);
            Assert.Equal(j.StdErr, n.StdErr);
        }
    }

    [RootFact]
    public void Same_link_and_address_output_and_json_as_the_JIT_build_in_a_namespace()
    {
        if (NativeCli.Missing() is { } why)
        {
            Assert.Fail(why + " (root run: the native binary is part of the product)");
        }
        using var ns = NetNs.Create("stnat");
        ns.DisableIpv6();
        ns.Ip("link add sta type veth peer name stb");
        ns.Ip("addr add 198.18.0.1/24 dev sta");
        ns.Ip("link set sta up");
        foreach (var args in new[] { new[] { "link", "show" }, ["-j", "-d", "-s", "link", "show"], ["-j", "addr"], ["-br", "a"], ["-j", "route", "show", "table", "all"] })
        {
            // The kernel may still be changing the new links (operstate, counters): compare runs taken back to back until two agree.
            ProcessResult n = ns.Exec(NativeCli.Path, args), j = ns.St(args);
            for (var attempt = 0; attempt < 10 && n.StdOut != j.StdOut; attempt++)
            {
                Thread.Sleep(200);
                n = ns.Exec(NativeCli.Path, args);
                j = ns.St(args);
            }
            Assert.True(n.ExitCode == 0 && j.ExitCode == 0, $"{n}\n---\n{j}");
            Assert.Equal(j.StdOut, n.StdOut);
        }
        Assert.Equal(ns.Exec("ip", ["link", "show"]).StdOut, ns.Exec(NativeCli.Path, ["link", "show"]).StdOut);
        Assert.Equal(ns.Exec("ip", ["-br", "a"]).StdOut, ns.Exec(NativeCli.Path, ["-br", "a"]).StdOut);
    }

    [NativeFact]
    public void Wg_keys_round_trip_through_the_native_binary()
    {
        var key = Native("wg", "genkey").EnsureSuccess().StdOut;
        var n = Run.Exec(NativeCli.Path, ["wg", "pubkey"], stdin: key).EnsureSuccess();
        var j = Run.Exec("dotnet", Repo.Cli("wg", "pubkey"), stdin: key).EnsureSuccess();
        Assert.Equal(j.StdOut, n.StdOut);
        Assert.Matches("^[A-Za-z0-9+/]{43}=\n$", n.StdOut);
    }
}

namespace SharpTun.Cli.Tests;

/// <summary>Runs the built CLI (<c>dotnet sharptun.dll</c>) inside a test namespace.</summary>
internal static class Sharptun
{
    internal static ProcessResult St(this NetNs ns, params string[] args) =>
        ns.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    internal static System.Diagnostics.Process StartSt(this NetNs ns, params string[] args) =>
        ns.Start("dotnet", Repo.Cli(args));

    /// <summary>Turns IPv6 off in the namespace so devices carry only the test's own IPv4 packets (no RS/MLD).</summary>
    internal static void DisableIpv6(this NetNs ns) =>
        ns.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();

    internal static bool SysExists(this NetNs ns, string path) => ns.Exec("test", ["-e", path]).ExitCode == 0;

    internal static string Sys(this NetNs ns, string path) => ns.Exec("cat", [path]).EnsureSuccess().StdOut.Trim();

    /// <summary>The processes iproute2 reports attached to <paramref name="dev"/> (<c>ip -d tuntap show</c>; its JSON form is not valid JSON for processes).</summary>
    internal static IReadOnlyList<string> AttachedPer(this NetNs ns, string dev)
    {
        var text = Run.Exec("ip", ["-n", ns.Name, "-d", "tuntap", "show"]).StdOut.Split('\n');
        var result = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i].StartsWith(dev + ":", StringComparison.Ordinal) && i + 1 < text.Length &&
                text[i + 1].Trim().StartsWith("Attached to processes:", StringComparison.Ordinal))
            {
                // iproute2 prints "name(pid)" entries back to back, without a separator.
                result.AddRange(System.Text.RegularExpressions.Regex.Matches(text[i + 1], @"[^\s()]+\(\d+\)").Select(m => m.Value));
            }
        }
        return result;
    }

    /// <summary>Waits until iproute2 shows <paramref name="processes"/> processes attached to <paramref name="dev"/>.</summary>
    internal static void WaitAttached(this NetNs ns, string dev, int processes = 1) =>
        Poll.Until(() => ns.AttachedPer(dev).Count >= processes,
            $"{processes} process(es) attached to {dev}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
}

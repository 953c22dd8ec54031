namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// ip's global options on every command where they apply (<c>sharptun -n NS tuntap …</c>, <c>respond</c>, <c>ss</c>),
/// run from the host namespace and judged by iproute2 inside the namespace; <c>--help</c> lists them.
/// </summary>
public class GlobalOptionTests
{
    private static ProcessResult Host(params string[] args) => Run.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    [RootFact]
    public void Netns_option_creates_lists_and_deletes_tap_devices_inside_the_namespace_as_ip_shows_them()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("gt");
        var add = Host("-n", ns.Name, "tuntap", "add", "dev", dev, "mode", "tap").EnsureSuccess();
        Assert.Equal(dev + "\n", add.StdOut);
        Assert.Contains($"{dev}: <BROADCAST,MULTICAST>", ns.Ip($"link show {dev}"));
        Assert.False(Directory.Exists($"/sys/class/net/{dev}")); // not in the host namespace
        Assert.Equal(ns.Ip("tuntap show"), Host("-n", ns.Name, "tuntap", "list").EnsureSuccess().StdOut);
        Assert.Equal(ns.Ip("-j tuntap show"), Host("-n", ns.Name, "-j", "tuntap", "list").EnsureSuccess().StdOut);
        // The command's own spelling works too.
        Assert.Equal(ns.Ip("tuntap show"), Host("tuntap", "list", "--netns", ns.Name).EnsureSuccess().StdOut);
        Host("-n", ns.Name, "tuntap", "del", dev, "--mode", "tap").EnsureSuccess();
        Assert.Equal("", ns.Ip("tuntap show"));

        var missing = Host("-n", ns.Name + "x", "tuntap", "list");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"sharptun: cannot open namespace '{ns.Name}x': no such namespace (no /run/netns/{ns.Name}x)\n", missing.StdErr);
    }

    [RootFact]
    public void Netns_option_runs_the_responder_inside_the_namespace_and_ping_there_is_answered()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("gr");
        Host("-n", ns.Name, "tuntap", "add", dev).EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var responder = Run.Start("dotnet", Repo.Cli("-n", ns.Name, "respond", "-i", dev));
        try
        {
            ns.WaitCarrier(dev);
            var ping = ns.Exec("ping", ["-c", "3", "-i", "0.2", "-W", "2", "198.19.0.2"]);
            var (code, output) = PacketCli.Stop(responder);
            Assert.Contains("3 packets transmitted, 3 received, 0% packet loss", ping.StdOut);
            Assert.Equal(143, code);
            Assert.Contains("answered 3 echo (IPv4)", output);
        }
        finally
        {
            if (!responder.HasExited)
            {
                responder.Kill();
            }
        }
    }

    [RootFact]
    public void Netns_global_option_applies_to_ss_as_its_net_option()
    {
        using var ns = NetNs.Create();
        ns.Ip("link set lo up");
        ns.Start("socat", ["TCP-LISTEN:5100,bind=127.0.0.1", "-"]);
        Poll.Until(() => ns.Exec("ss", ["-tlnH"]).StdOut.Contains(":5100"), "the listener", TimeSpan.FromSeconds(20));
        var ours = Host("-n", ns.Name, "ss", "-tlnH").EnsureSuccess().StdOut;
        Assert.Equal(ns.Exec("ss", ["-tlnH"]).EnsureSuccess().StdOut, ours);
        Assert.Contains("127.0.0.1:5100", ours);
    }

    [Fact]
    public void Help_lists_the_global_options_and_generate()
    {
        var help = Host("--help").EnsureSuccess().StdOut;
        Assert.Contains("Global options (before the command, as ip's", help);
        Assert.Contains("  -n NS, -netns NS  ", help);
        Assert.Contains("  -j, -json  ", help);
        Assert.Matches(@"(?m)^  generate +Print generated documentation", help);
        var tuntap = Host("tuntap", "add", "--help").EnsureSuccess().StdOut;
        Assert.Contains("-n, --netns <NS>", tuntap);
        Assert.Contains("-n, --netns <NS>", Host("wg", "up", "--help").EnsureSuccess().StdOut);
        Assert.DoesNotContain("--netns", Host("wg", "genkey", "--help").EnsureSuccess().StdOut);
        // A sub-command's help does not repeat the global section.
        Assert.DoesNotContain("Global options", tuntap);
        var generate = Host("generate", "--help").EnsureSuccess().StdOut;
        Assert.Contains("Usage:\n  sharptun generate [command] [options]", generate);
        Assert.Matches(@"(?m)^  man +Print the sharptun\(8\) manual page", generate);
        Assert.Matches(@"(?m)^  bash-completion +Print the bash completion script", generate);
    }
}

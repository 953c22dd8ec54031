using System.Text.RegularExpressions;

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// samples/ built as a user builds them: copied beside the packed packages (their nuget.config names
/// <c>../artifacts/packages</c>), restored from those packages (never the projects), then run in network namespaces:
/// TunPing answers a real ping through a tun device; WgUp brings up a WireGuard interface from a wg-quick file and
/// handshakes with wireguard-go, judged by ping and by the stock <c>wg</c> tool over the sample's UAPI socket.
/// </summary>
[Collection(PackagesFixture.Collection)]
public sealed partial class SamplesTests(PackagesFixture packages)
{
    private static readonly TimeSpan s_build = TimeSpan.FromMinutes(5);

    /// <summary>Copies samples/ into the scratch root and builds <paramref name="sample"/> against the packages; returns its dll.</summary>
    private string Build(string sample)
    {
        Assert.True(packages.Pack.ExitCode == 0, $"dotnet pack failed:\n{packages.Pack}");
        var samples = Path.Combine(packages.Root, "samples");
        lock (packages)
        {
            if (!Directory.Exists(samples))
            {
                Run.Exec("cp", ["-r", Path.Combine(Repo.Root, "samples"), samples]).EnsureSuccess();
                foreach (var dir in Directory.GetDirectories(samples, "*", SearchOption.AllDirectories).Where(d => Path.GetFileName(d) is "bin" or "obj"))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
        var project = Path.Combine(samples, sample);
        var r = Run.Exec("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly", $"-p:SharpTunVersion={packages.Version}"], s_build);
        Assert.True(r.ExitCode == 0, $"building sample {sample} against the packages failed:\n{r}");
        var assets = File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains($"\"SharpTun.Packets/{packages.Version}\"", assets, StringComparison.Ordinal); // restored as a package
        Assert.DoesNotContain("\"type\": \"project\"", assets, StringComparison.Ordinal);
        return Path.Combine(project, "bin", "Release", "net10.0", sample + ".dll");
    }

    [RootFact]
    public void TunPing_FromThePackages_AnswersRealPings()
    {
        var dll = Build("TunPing");
        using var ns = NetNs.Create("stsp");
        var tun = UniqueName.Next("stsp");
        ns.Ip($"tuntap add name {tun} mode tun");
        ns.Ip($"addr add 198.18.77.1/24 dev {tun}");
        ns.Ip($"link set {tun} up");
        using var sample = Daemon.StartIn(ns.Name, "dotnet", [dll, tun, "3"]);
        sample.WaitForOutput($"listening on {tun}", TimeSpan.FromSeconds(60));
        var ping = ns.Exec("ping", ["-c", "3", "-i", "0.2", "-W", "5", "198.18.77.2"], TimeSpan.FromSeconds(60));
        Assert.True(ping.ExitCode == 0 && ping.StdOut.Contains("3 received", StringComparison.Ordinal), $"{ping}\nsample:\n{sample.Output}");
        Assert.True(sample.WaitForExit(TimeSpan.FromSeconds(30)), $"the sample did not stop after 3 replies:\n{sample.Output}");
        Assert.Equal(0, sample.ExitCode);
        Assert.Equal(3, Regex.Matches(sample.Output, "answered with EchoReplyV4 \\(84 bytes\\)").Count);
        Assert.Equal(3, Regex.Matches(sample.Output, "read 84 bytes: ").Count);
    }

    [RootFact]
    public void WgUp_FromThePackages_HandshakesWithWireGuardGo()
    {
        var dll = Build("WgUp");
        using var a = NetNs.Create("stsa");
        using var b = NetNs.Create("stsb");
        var (veth, wgA, wgB) = (UniqueName.Next("stsv"), UniqueName.Next("stsa"), UniqueName.Next("stsb"));
        a.Ip($"link add {veth} type veth peer name {veth}p netns {b.Name}");
        a.Ip($"addr add 198.18.78.1/24 dev {veth}");
        a.Ip($"link set {veth} up");
        b.Ip($"addr add 198.18.78.2/24 dev {veth}p");
        b.Ip($"link set {veth}p up");
        var (privA, pubA) = Keys();
        var (privB, pubB) = Keys();
        var conf = Path.Combine(packages.Root, wgA + ".conf");
        File.WriteAllText(conf, $"[Interface]\nPrivateKey = {privA}\nAddress = 198.19.78.1/24\nListenPort = 51820\n\n"
            + $"[Peer]\nPublicKey = {pubB}\nAllowedIPs = 198.19.78.2/32\nEndpoint = 198.18.78.2:51820\n");
        var keyB = Path.Combine(packages.Root, wgB + ".key");
        File.WriteAllText(keyB, privB + "\n");
        try
        {
            using var go = Daemon.StartIn(b.Name, "wireguard-go", ["-f", wgB]);
            go.WaitUntil(() => File.Exists($"/var/run/wireguard/{wgB}.sock"), "wireguard-go's UAPI socket", TimeSpan.FromSeconds(30));
            b.Exec("wg", ["set", wgB, "private-key", keyB, "listen-port", "51820", "peer", pubA, "allowed-ips", "198.19.78.1/32", "endpoint", "198.18.78.1:51820"]).EnsureSuccess();
            b.Ip($"addr add 198.19.78.2/24 dev {wgB}");
            b.Ip($"link set {wgB} up");

            using var sample = Daemon.StartIn(a.Name, "dotnet", [dll, conf]);
            sample.WaitForOutput($"interface {wgA} up", TimeSpan.FromSeconds(60));
            sample.WaitUntil(() => b.Exec("ping", ["-c", "1", "-W", "1", "198.19.78.1"]).ExitCode == 0, "a ping from wireguard-go's side through the sample's tunnel", TimeSpan.FromSeconds(60));
            sample.WaitForOutput($"peer {pubB} up handshake ", TimeSpan.FromSeconds(30));
            var handshakes = Run.Exec("wg", ["show", wgA, "latest-handshakes"]).EnsureSuccess().StdOut;
            Assert.Matches($"^{Regex.Escape(pubB)}\\t[1-9][0-9]+\\n$", handshakes);

            Assert.True(sample.Interrupt(TimeSpan.FromSeconds(30)), $"the sample did not stop on SIGINT:\n{sample.Output}");
            Assert.Equal(0, sample.ExitCode);
            Assert.Contains($"interface {wgA} down", sample.Output, StringComparison.Ordinal);
            Assert.NotEqual(0, a.Exec("ip", ["link", "show", wgA]).ExitCode);
            Assert.False(File.Exists($"/var/run/wireguard/{wgA}.sock"), "the sample left its UAPI socket behind");
        }
        finally
        {
            File.Delete($"/var/run/wireguard/{wgA}.sock");
            File.Delete($"/var/run/wireguard/{wgB}.sock");
        }
    }

    private static (string Private, string Public) Keys()
    {
        var priv = Run.Exec("wg", ["genkey"]).EnsureSuccess().StdOut.Trim();
        return (priv, Run.Exec("wg", ["pubkey"], stdin: priv + "\n").EnsureSuccess().StdOut.Trim());
    }
}

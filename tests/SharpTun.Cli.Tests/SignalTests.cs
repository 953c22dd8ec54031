using System.Diagnostics;

namespace SharpTun.Cli.Tests;

/// <summary>
/// The stop rule of long-running commands: SIGINT or SIGTERM stops cleanly, prints the summary and exits
/// 130 / 143 (128 + signal); a pcap written with -w is valid even when no packet arrived.
/// </summary>
public sealed class SignalTests
{
    private static (int Code, string Out, string Err) Signal(Process p, string signal)
    {
        Run.Exec("kill", [$"-{signal}", p.Id.ToString()]).EnsureSuccess();
        Assert.True(p.WaitForExit(20_000), $"process did not exit after SIG{signal}");
        return (p.ExitCode, p.StandardOutput.ReadToEnd(), p.StandardError.ReadToEnd());
    }

    [RootTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void Read_prints_the_capture_count_and_leaves_a_valid_empty_pcap(string signal, int expected)
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("sg");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        var pcap = PacketCli.TempPcap();
        try
        {
            var reader = ns.StartSt("read", "-i", dev, "-w", pcap);
            ns.WaitAttached(dev);
            Poll.Until(() => File.Exists(pcap) && new FileInfo(pcap).Length == 24, "pcap header on disk", TimeSpan.FromSeconds(30),
                TimeSpan.FromMilliseconds(50));
            var (code, _, err) = Signal(reader, signal);
            Assert.True(code == expected, $"exit {code}, expected {expected}\n{err}");
            Assert.Equal("0 packets captured", err.Trim());
            Assert.Equal(24, new FileInfo(pcap).Length);
            var tshark = Run.Exec("tshark", ["-n", "-r", pcap], TimeSpan.FromSeconds(60));
            Assert.True(tshark.ExitCode == 0, tshark.ToString());
            Assert.Equal("", tshark.StdOut.Trim());
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [RootFact]
    public void Read_counts_what_it_captured_before_the_signal()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("sg");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var reader = ns.StartSt("read", "-i", dev, "-f", "icmp");
        ns.WaitCarrier(dev);
        ns.Exec("ping", ["-c", "2", "-i", "0.2", "-W", "1", "198.19.0.2"]);
        var (code, output, err) = Signal(reader, "INT");
        Assert.True(code == 130, $"exit {code}\n{err}");
        Assert.Equal(2, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("2 packets captured", err.Trim());
    }

    [RootFact]
    public void Respond_prints_its_counts_on_SIGINT_and_exits_130()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("sg");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        var responder = ns.StartSt("respond", "-i", dev);
        ns.WaitAttached(dev);
        var (code, output, err) = Signal(responder, "INT");
        Assert.True(code == 130, $"exit {code}\n{err}");
        Assert.Contains($"{dev}: 0 packets read, answered 0 echo (IPv4)", output);
    }

    [RootFact]
    public void Read_ending_by_count_exits_0_with_the_summary()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("sg");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        var r = ns.St("read", "-i", dev, "-t", "0.3");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("0 packets captured", r.StdErr.Trim());
    }
}

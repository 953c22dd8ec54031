namespace SharpTun.Cli.Tests;

/// <summary>File errors read as Linux tools write them ("no such file or directory", "is a directory", "file name too long"), never in .NET's words.</summary>
public sealed class LinuxWordingTests
{
    [RootFact]
    public void Pcap_and_namespace_file_errors_use_linux_words()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("lw");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        var longName = new string('b', 300);
        (string[] Args, string Expected)[] cases =
        [
            (["read", "-i", dev, "-c", "1", "-w", "/nonexistent-st/dir/x.pcap"], "sharptun: cannot write pcap file '/nonexistent-st/dir/x.pcap': no such file or directory"),
            (["read", "-i", dev, "-c", "1", "-w", "/"], "sharptun: cannot write pcap file '/': is a directory"),
            (["read", "-i", dev, "-c", "1", "-w", "/tmp/" + longName], $"sharptun: cannot write pcap file '/tmp/{longName}': file name too long"),
        ];
        foreach (var (args, expected) in cases)
        {
            var r = ns.St(args);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Equal(expected, r.StdErr.Trim());
        }
        var tooLong = Run.Exec("dotnet", Repo.Cli("netns", "add", new string('a', 300)));
        Assert.Equal(1, tooLong.ExitCode);
        Assert.EndsWith("': file name too long", tooLong.StdErr.Trim());
        foreach (var dotnetWords in new[] { "Could not find", "Access to the path", "is too long, or a component", "System." })
        {
            Assert.DoesNotContain(dotnetWords, tooLong.StdErr);
        }
    }
}

using SharpTun.Cli.Docs;

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// The generated bash completion, sourced into bash and asked as bash asks (COMP_WORDS/COMP_CWORD, then
/// _sharptun): commands and aliases per command path, options, option values, ip keywords, and the live
/// device and namespace names of the namespace it runs in.
/// </summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string _script = Path.Combine(Path.GetTempPath(), UniqueName.Next("stcomp") + ".bash");

    public CompletionTests() => File.WriteAllText(_script, BashCompletion.Text(Program.CreateRoot()));

    private const string Ask = "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _sharptun; printf '%s\\n' \"${COMPREPLY[@]}\"";

    private string[] Complete(params string[] words)
    {
        var r = Run.Exec("bash", ["-c", Ask, "bash", _script, .. words]);
        Assert.True(r.ExitCode == 0 && r.StdErr.Length == 0, r.ToString());
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("li", "link")]
    [InlineData("tu", "tunnel tuntap")]
    [InlineData("ne", "neigh neighbor neighbour netns netstat")]
    public void Objects_complete_from_the_command_tree(string cur, string expected) =>
        Assert.Equal(expected.Split(' '), Complete("sharptun", cur));

    [Fact]
    public void Verbs_aliases_global_options_and_values_complete()
    {
        Assert.Equal(["set", "show"], Complete("sharptun", "link", "s"));
        Assert.Equal(["show"], Complete("sharptun", "-j", "-n", "nsx", "addr", "sh"));      // global options and -n's value skipped
        Assert.Equal(["flush", "list", "lst"], Complete("sharptun", "address", "l").Concat(Complete("sharptun", "address", "f")).Order(StringComparer.Ordinal));
        Assert.Equal(["--read-file", "--write"], Complete("sharptun", "read", "--").Where(o => o is "--read-file" or "--write"));
        Assert.Equal(["tap", "tun"], Complete("sharptun", "tuntap", "add", "--mode", ""));
        Assert.Equal(["all", "relay", "wg"], Complete("sharptun", "lab", "--mode", ""));
        Assert.Equal(["2.10"], Complete("sharptun", "ifconfig", "--layout", "2"));
        Assert.Contains("-json", Complete("sharptun", "-"));
        Assert.Empty(Complete("sharptun", "read", "-c", ""));                                 // a number: nothing to offer
    }

    [Fact]
    public void Ip_keywords_of_a_command_complete()
    {
        var words = Complete("sharptun", "link", "set", "m");
        Assert.Equal(["master", "mtu"], words.Where(w => w is "master" or "mtu"));
        Assert.Contains("via", Complete("sharptun", "route", "add", "v"));
        Assert.Contains("vnet_hdr", Complete("sharptun", "tuntap", "add", "v"));
    }

    [Fact]
    public void Files_complete_after_file_options()
    {
        var dir = Path.Combine(Path.GetTempPath(), UniqueName.Next("stcompf"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "capture.pcap"), "");
            Assert.Equal([Path.Combine(dir, "capture.pcap")], Complete("sharptun", "read", "-r", Path.Combine(dir, "cap")));
            Assert.Equal([Path.Combine(dir, "capture.pcap")], Complete("sharptun", "read", "-i", "tun0", "--write", Path.Combine(dir, "c")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public void Device_and_namespace_names_are_the_live_ones()
    {
        using var ns = NetNs.Create("stcmp");
        ns.Ip("link add stcmpa type veth peer name stcmpb");
        string[] InNs(params string[] words)
        {
            var r = ns.Exec("bash", ["-c", Ask, "bash", _script, .. words]);
            Assert.True(r.ExitCode == 0, r.ToString());
            return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
        }
        Assert.Equal(["stcmpa", "stcmpb"], InNs("sharptun", "read", "-i", "stc"));
        Assert.Equal(["stcmpa", "stcmpb"], InNs("sharptun", "link", "set", "dev", "s"));
        Assert.Equal(["stcmpa"], InNs("sharptun", "-j", "link", "show", "stcmpa"));
        Assert.Equal(["lo"], InNs("sharptun", "ifconfig", "l"));
        Assert.Contains(ns.Name, InNs("sharptun", "-n", ns.Name[..4]));
        Assert.Contains(ns.Name, InNs("sharptun", "netns", "exec", ns.Name[..4]));
    }

    public void Dispose() => File.Delete(_script);
}

namespace SharpTun.Cli.Tests;

/// <summary>
/// Exit codes and streams by class of error: bad usage exits 2 with one line on stderr and a hint to
/// --help (no help text, nothing on stdout); a failed operation exits 1 with its message on stderr;
/// help is printed only on request, to stdout, exit 0. No .NET type names reach the user.
/// </summary>
public sealed class ExitCodeTests
{
    private static ProcessResult St(params string[] args) => Run.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("sharptun: unknown command or argument 'bogus'; see 'sharptun --help'", "bogus")]
    [InlineData("sharptun: link: unknown command or argument 'shwo'; see 'sharptun link --help'", "link", "shwo")]
    [InlineData("sharptun: read: option --interface is required (or --read-file FILE); see 'sharptun read --help'", "read")]
    [InlineData("sharptun: read: invalid value 'abc' for --count: expected a whole number; see 'sharptun read --help'", "read", "-i", "x", "-c", "abc")]
    [InlineData("sharptun: read: invalid value 'soon' for --timeout: expected a number; see 'sharptun read --help'", "read", "-i", "x", "-t", "soon")]
    [InlineData("sharptun: tuntap add: invalid value 'tup': use tun or tap; see 'sharptun tuntap add --help'", "tuntap", "add", "x", "--mode", "tup")]
    [InlineData("sharptun: route: unknown command or argument 'frobnicate'; see 'sharptun route --help'", "route", "frobnicate")]
    public void Bad_usage_exits_2_with_one_line_on_stderr(string expected, params string[] args)
    {
        var r = St(args);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal("", r.StdOut);
        Assert.Equal(expected, r.StdErr.TrimEnd('\n'));
        Assert.DoesNotContain("System.", r.StdErr);
    }

    [Fact]
    public void Failed_operation_exits_1_with_the_cause_on_stderr()
    {
        var r = St("netns", "del", UniqueName.Next("nosuch"));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("", r.StdOut);
        Assert.Matches("^sharptun: cannot delete namespace '[^']+': no such namespace", r.StdErr);
        Assert.Single(r.StdErr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("link", "--help")]
    [InlineData("read", "-h")]
    public void Help_only_on_request_to_stdout(params string[] args)
    {
        var r = St(args);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Usage:", r.StdOut);
        Assert.Equal("", r.StdErr);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    public void Version_names_the_commit(string flag)
    {
        var r = St(flag).EnsureSuccess();
        Assert.Matches(@"^sharptun \d+\.\d+\.\d+ \(commit [0-9a-f]{7,12}\)\n$", r.StdOut);
        var commit = r.StdOut.Split("commit ")[1].TrimEnd(')', '\n');
        if (Run.Exec("git", ["-C", Repo.Root, "rev-parse", "--git-dir"]).ExitCode == 0)
        {
            // The build stamps the commit it was built from: one of this checkout's history.
            var known = Run.Exec("git", ["-C", Repo.Root, "cat-file", "-e", commit + "^{commit}"]);
            Assert.True(known.ExitCode == 0, $"commit {commit} is not in this repository: {known}");
        }
    }
}

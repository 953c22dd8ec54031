using SharpTun.Cli.Docs;

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// sharptun(8) is generated from the command tree --help prints: groff reads it with every warning on
/// (-ww) and says nothing, man renders it, and every command path, option and exit code is in it.
/// </summary>
public sealed class ManPageTests
{
    private static string Page()
    {
        using var w = new StringWriter();
        ManPage.Write(Program.CreateRoot(), w);
        return w.ToString();
    }

    private static string Temp(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), UniqueName.Next("stman") + ".8");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Groff_reads_it_with_all_warnings_on_and_reports_none()
    {
        var path = Temp(Page());
        try
        {
            var r = Run.Exec("groff", ["-man", "-Tutf8", "-ww", "-z", path]);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("", r.StdErr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Man_renders_every_command_option_and_exit_code()
    {
        var path = Temp(Page());
        try
        {
            var r = Run.Exec("man", ["-l", "-P", "cat", path], env: new Dictionary<string, string> { ["MANWIDTH"] = "200" });
            Assert.True(r.ExitCode == 0, r.ToString());
            var text = r.StdOut.Replace("\u2010", "-", StringComparison.Ordinal); // groff's hyphen in hyphenated words
            Assert.StartsWith("SHARPTUN(8)", text.TrimStart());
            var root = Program.CreateRoot();
            foreach (var (commandPath, command) in CommandTree.Walk(root))
            {
                Assert.Contains("sharptun " + commandPath, text);
                foreach (var o in CommandTree.Options(command))
                {
                    Assert.Contains(o.Name, text);
                }
            }
            foreach (var words in new[] { "-r, --read-file FILE", "net PREFIX", "-j, -json", "-n NS, -netns NS" })
            {
                Assert.Contains(words, text);
            }
            foreach (var code in new[] { "0", "1", "2", "126", "127", "130", "143" })
            {
                Assert.Matches($"(?m)^ +{code} ", text);
            }
            Assert.Contains("sharptun generate man", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_cli_prints_the_same_page_and_roff_special_characters_are_escaped()
    {
        var r = Run.Exec("dotnet", Repo.Cli("generate", "man"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(Page(), r.StdOut);
        Assert.Equal("\\&.hidden \\e \\- \\[u2192] \\(dq", ManPage.Escape(".hidden \\ - → \""));
        Assert.DoesNotContain(r.StdOut, c => c > '\x7e');
    }
}

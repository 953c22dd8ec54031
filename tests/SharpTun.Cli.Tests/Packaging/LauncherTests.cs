namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// The <c>./sharptun</c> launcher, run from a scratch copy of the repository layout with stand-ins for
/// build-native.sh, the native binary and <c>dotnet</c> (first on PATH): it runs the native binary when
/// that is newer than every source, rebuilds it when a source changed, and when the native build fails
/// says so once (with the build's error) and runs the JIT build instead; SHARPTUN_NATIVE=0 forces the JIT build.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), UniqueName.Next("stlaunch"));
    private readonly DateTime _old = DateTime.UtcNow.AddHours(-1);

    public LauncherTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src", "SharpTun.Cli", "bin", "Release", "native"));
        Directory.CreateDirectory(Path.Combine(_root, "src", "SharpTun.Cli", "bin", "Release", "net10.0"));
        Directory.CreateDirectory(Path.Combine(_root, "fakebin"));
        File.Copy(Path.Combine(Repo.Root, "sharptun"), Path.Combine(_root, "sharptun"));
        Script("fakebin/dotnet", "if [ \"$1\" = build ]; then echo built >\"$(dirname \"$2\")/bin/Release/net10.0/sharptun.dll\"; exit 0; fi\necho \"jit $*\"");
        foreach (var f in new[] { "src/SharpTun.Cli/Program.cs", "Directory.Build.props", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(_root, f), "");
        }
        File.WriteAllText(Path.Combine(_root, "src", "SharpTun.Cli", "SharpTun.Cli.csproj"), "");
        foreach (var f in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(f, _old);
        }
    }

    private string Native => Path.Combine(_root, "src/SharpTun.Cli/bin/Release/native/sharptun");

    private void Script(string relative, string body)
    {
        var path = Path.Combine(_root, relative);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        Run.Exec("chmod", ["0755", path]).EnsureSuccess();
    }

    private void FreshNative(string word)
    {
        Script("src/SharpTun.Cli/bin/Release/native/sharptun", $"echo \"{word} $*\"");
        File.WriteAllText(Native.Replace("/sharptun", "/.native-stamp", StringComparison.Ordinal), "");
    }

    private ProcessResult Launch(IDictionary<string, string>? env = null, params string[] args)
    {
        var all = new Dictionary<string, string> { ["PATH"] = Path.Combine(_root, "fakebin") + ":" + Environment.GetEnvironmentVariable("PATH") };
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            all[k] = v;
        }
        return Run.Exec(Path.Combine(_root, "sharptun"), args, TimeSpan.FromSeconds(60), env: all);
    }

    [Fact]
    public void Runs_the_native_binary_when_it_is_newer_than_the_sources()
    {
        FreshNative("native");
        var r = Launch(null, "link", "show", "dev", "x y");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("native link show dev x y\n", r.StdOut);
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public void Rebuilds_the_native_binary_when_a_source_changed()
    {
        FreshNative("stale");
        File.SetLastWriteTimeUtc(Native.Replace("/sharptun", "/.native-stamp", StringComparison.Ordinal), _old.AddMinutes(-5));
        Script("build-native.sh", "d=\"$(dirname \"$0\")/src/SharpTun.Cli/bin/Release/native\"\n" +
            "printf '#!/bin/sh\\necho \"rebuilt $*\"\\n' >\"$d/sharptun\"; touch \"$d/.native-stamp\"");
        var r = Launch(null, "--version");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rebuilt --version\n", r.StdOut);
        Assert.Contains("building the native CLI", r.StdErr);
    }

    [Fact]
    public void Falls_back_to_the_JIT_build_once_when_the_native_build_fails_and_says_why()
    {
        Script("build-native.sh", "echo 'error NETSDK1094: Unable to optimize assemblies for Native AOT' >&2; exit 1");
        var first = Launch(null, "link");
        Assert.True(first.ExitCode == 0, first.ToString());
        var dll = Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/sharptun.dll");
        Assert.Equal($"jit {dll} link\n", first.StdOut);
        Assert.Contains("sharptun: the native build is not available here (error NETSDK1094: Unable to optimize assemblies for Native AOT); using the JIT build (dotnet sharptun.dll)", first.StdErr);
        Assert.Contains("sharptun: building the CLI (Release)...", first.StdErr);

        // The failure is remembered until a source changes: no second attempt, no message.
        var second = Launch(null, "link");
        Assert.Equal($"jit {dll} link\n", second.StdOut);
        Assert.Equal("", second.StdErr);
    }

    [Fact]
    public void SHARPTUN_NATIVE_0_uses_the_JIT_build_even_with_a_fresh_native_binary()
    {
        FreshNative("native");
        File.WriteAllText(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/sharptun.dll"), "");
        File.WriteAllText(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/.launcher-stamp"), "");
        var r = Launch(new Dictionary<string, string> { ["SHARPTUN_NATIVE"] = "0" }, "ss");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("jit ", r.StdOut);
        Assert.EndsWith("sharptun.dll ss\n", r.StdOut);
        Assert.Equal("", r.StdErr);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// The <c>./sharptun</c> launcher, run from a scratch copy of the repository layout with stand-ins for
/// build-native.sh, the native binary and <c>dotnet</c> (first on PATH): it runs the native binary when
/// that is newer than its source manifest (passing the manifest for the CLI's own check), rebuilds it when
/// the CLI hands the line back with SHARPTUN_REBUILD=1 (a source changed), and when the native build fails
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

    private void FreshNative(string word, string? body = null)
    {
        Script("src/SharpTun.Cli/bin/Release/native/sharptun", body ?? $"echo \"{word} $*\"");
        var manifest = Native.Replace("/sharptun", "/.sources", StringComparison.Ordinal);
        File.WriteAllText(manifest, Path.Combine(_root, "src/SharpTun.Cli/Program.cs") + "\n");
        File.SetLastWriteTimeUtc(manifest, _old.AddMinutes(1));
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
    public void Passes_the_manifest_and_itself_to_the_native_binary_for_its_check()
    {
        FreshNative("native", "echo \"native $SHARPTUN_SOURCES $SHARPTUN_LAUNCHER $*\"");
        var r = Launch(null, "link");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"native {Native.Replace("/sharptun", "/.sources", StringComparison.Ordinal)} {Path.Combine(_root, "sharptun")} link\n", r.StdOut);
    }

    [Fact]
    public void Rebuilds_the_native_binary_when_the_CLI_reports_a_changed_source()
    {
        // The stand-in does what LauncherCheck does when a listed source is newer than the manifest.
        FreshNative("stale", "if [ -n \"$SHARPTUN_SOURCES\" ]; then SHARPTUN_REBUILD=1 exec \"$SHARPTUN_LAUNCHER\" \"$@\"; fi\necho \"stale $*\"");
        Script("build-native.sh", "d=\"$(dirname \"$0\")/src/SharpTun.Cli/bin/Release/native\"\n" +
            "printf '#!/bin/sh\\necho \"rebuilt $SHARPTUN_REBUILD $*\"\\n' >\"$d/sharptun\"; touch \"$d/.native-stamp\"");
        var r = Launch(null, "--version");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("rebuilt  --version\n", r.StdOut);
        Assert.Contains("building the native CLI", r.StdErr);
        // The build wrote a new manifest listing the sources (files and directories) before it started.
        var manifest = File.ReadAllLines(Native.Replace("/sharptun", "/.sources", StringComparison.Ordinal));
        Assert.Contains(Path.Combine(_root, "src/SharpTun.Cli/Program.cs"), manifest);
        Assert.Contains(Path.Combine(_root, "src/SharpTun.Cli"), manifest);
        Assert.Contains(Path.Combine(_root, "Directory.Build.props"), manifest);
        Assert.DoesNotContain(manifest, l => l.Contains("/bin", StringComparison.Ordinal) || l.Contains("/obj", StringComparison.Ordinal));
        // Next start: the new binary is current again.
        Assert.Equal("rebuilt  link\n", Launch(null, "link").StdOut);
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
        File.WriteAllText(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/.sources"), "");
        File.SetLastWriteTimeUtc(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/.sources"), _old);
        File.WriteAllText(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/net10.0/.launcher-stamp"), "");
        var r = Launch(new Dictionary<string, string> { ["SHARPTUN_NATIVE"] = "0" }, "ss");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("jit ", r.StdOut);
        Assert.EndsWith("sharptun.dll ss\n", r.StdOut);
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public void The_CLI_hands_the_line_back_to_the_launcher_only_when_a_listed_source_is_newer_than_the_manifest()
    {
        var source = Path.Combine(_root, "src/SharpTun.Cli/Program.cs");
        var manifest = Path.Combine(_root, "manifest");
        File.WriteAllText(manifest, $"{Path.Combine(_root, "src/SharpTun.Cli")}\n{source}\n");
        File.SetLastWriteTimeUtc(manifest, _old.AddMinutes(1));
        Directory.SetLastWriteTimeUtc(Path.Combine(_root, "src/SharpTun.Cli"), _old);
        Script("relaunch", "echo \"relaunched REBUILD=$SHARPTUN_REBUILD SOURCES=$SHARPTUN_SOURCES $*\"");
        var env = new Dictionary<string, string> { ["SHARPTUN_SOURCES"] = manifest, ["SHARPTUN_LAUNCHER"] = Path.Combine(_root, "relaunch") };

        var current = Run.Exec("dotnet", Repo.Cli("--version"), env: env).EnsureSuccess();
        Assert.StartsWith("sharptun ", current.StdOut);

        File.SetLastWriteTimeUtc(source, _old.AddMinutes(2)); // edited in place after the build
        var stale = Run.Exec("dotnet", Repo.Cli("--version", "a b"), env: env).EnsureSuccess();
        Assert.Equal("relaunched REBUILD=1 SOURCES= --version a b\n", stale.StdOut);

        File.SetLastWriteTimeUtc(source, _old);
        File.Delete(source); // a listed source that is gone counts as a change too
        Assert.StartsWith("relaunched REBUILD=1 ", Run.Exec("dotnet", Repo.Cli("--version"), env: env).EnsureSuccess().StdOut);
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

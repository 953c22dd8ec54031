namespace SharpTun.Cli.Tests.Packaging;

/// <summary>
/// The one executable wg-quick runs as $WG_QUICK_USERSPACE_IMPLEMENTATION: the clone's
/// <c>./sharptun-wg-userspace</c> (through the launcher, also when reached by a symlink) and the one
/// <c>install.sh</c> writes (with its systemd drop-in for wg-quick@.service), run from a scratch copy of the
/// repository layout with a stand-in native binary that prints its arguments.
/// </summary>
public sealed class UserspaceWrapperTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), UniqueName.Next("stwrap"));

    public UserspaceWrapperTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "src", "SharpTun.Cli", "bin", "Release", "native"));
        Directory.CreateDirectory(Path.Combine(_root, "contrib"));
        foreach (var f in new[] { "sharptun", "sharptun-wg-userspace", "install.sh", "contrib/wg-quick-sharptun.conf" })
        {
            File.Copy(Path.Combine(Repo.Root, f), Path.Combine(_root, f));
        }
        var native = Path.Combine(_root, "src/SharpTun.Cli/bin/Release/native/sharptun");
        File.WriteAllText(native, "#!/bin/sh\ncase \"$1\" in --version) echo 'sharptun 0.0-test';; generate) echo \"$2\";; *) echo \"native $*\";; esac\n");
        Run.Exec("chmod", ["0755", native]).EnsureSuccess();
        // Newer than every (absent) source: the launcher runs it as it is.
        File.WriteAllText(Path.Combine(_root, "src/SharpTun.Cli/bin/Release/native/.native-stamp"), "");
    }

    [Fact]
    public void CloneWrapper_RunsWgUserspaceWithItsArguments_AlsoThroughASymlink()
    {
        var r = Run.Exec(Path.Combine(_root, "sharptun-wg-userspace"), ["wg0"], TimeSpan.FromSeconds(60)).EnsureSuccess();
        Assert.Equal("native wg userspace wg0\n", r.StdOut);
        var link = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(link);
        File.CreateSymbolicLink(Path.Combine(link, "impl"), Path.Combine(_root, "sharptun-wg-userspace"));
        r = Run.Exec(Path.Combine(link, "impl"), ["-f", "wg1"], TimeSpan.FromSeconds(60)).EnsureSuccess();
        Assert.Equal("native wg userspace -f wg1\n", r.StdOut);
    }

    [Fact]
    public void InstallSh_WritesTheWrapperForItsPrefix_AndTheDropIn_UninstallRemovesThem()
    {
        var dest = Path.Combine(_root, "dest");
        var env = new Dictionary<string, string> { ["DESTDIR"] = dest };
        var r = Run.Exec(Path.Combine(_root, "install.sh"), ["/opt/st"], TimeSpan.FromSeconds(60), env: env);
        Assert.True(r.ExitCode == 0, r.ToString());
        var wrapper = Path.Combine(dest, "opt/st/bin/sharptun-wg-userspace");
        Assert.Equal("#!/bin/sh\n# wg-quick: WG_QUICK_USERSPACE_IMPLEMENTATION=/opt/st/bin/sharptun-wg-userspace\nexec /opt/st/bin/sharptun wg userspace \"$@\"\n",
            File.ReadAllText(wrapper));
        Assert.Equal("-rwxr-xr-x", Run.Exec("stat", ["-c", "%A", wrapper]).EnsureSuccess().StdOut.Trim());
        var dropIn = File.ReadAllText(Path.Combine(dest, "etc/systemd/system/wg-quick@.service.d/sharptun.conf"));
        Assert.Contains("[Service]\nEnvironment=WG_QUICK_USERSPACE_IMPLEMENTATION=/opt/st/bin/sharptun-wg-userspace\n", dropIn, StringComparison.Ordinal);
        // The installed wrapper runs the installed binary (here reached inside DESTDIR).
        var run = Run.Exec("/bin/sh", ["-c", File.ReadAllText(wrapper).Replace("/opt/st", Path.Combine(dest, "opt/st"), StringComparison.Ordinal), "sh", "wg0"], TimeSpan.FromSeconds(60));
        Assert.Equal("native wg userspace wg0\n", run.StdOut);

        r = Run.Exec(Path.Combine(_root, "install.sh"), ["--uninstall", "/opt/st"], TimeSpan.FromSeconds(60), env: env);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.False(File.Exists(wrapper));
        Assert.False(Directory.Exists(Path.Combine(dest, "etc/systemd/system/wg-quick@.service.d")));
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

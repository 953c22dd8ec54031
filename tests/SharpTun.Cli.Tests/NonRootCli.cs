namespace SharpTun.Cli.Tests;

/// <summary>
/// Runs the CLI as an unprivileged uid inside a test namespace. The build output is copied to a
/// world-readable temp directory (the checkout may sit under a private home), and a private
/// mount namespace bind-mounts a mode-0666 node of the tun clone device (10, 200) over
/// /dev/net/tun, so the host's node and its mode are never touched.
/// </summary>
internal sealed class NonRootCli : IDisposable
{
    private readonly string _dir;

    private NonRootCli(string dir) => _dir = dir;

    internal static NonRootCli Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), UniqueName.Next("stcli"));
        var cli = Path.Combine(dir, "cli");
        Directory.CreateDirectory(cli);
        foreach (var f in Directory.EnumerateFiles(Path.GetDirectoryName(Repo.CliDll)!))
        {
            File.Copy(f, Path.Combine(cli, Path.GetFileName(f)));
        }
        Run.Exec("mknod", ["-m", "0666", Path.Combine(dir, "tun"), "c", "10", "200"]).EnsureSuccess();
        Run.Exec("chmod", ["-R", "a+rX", dir]).EnsureSuccess();
        return new NonRootCli(dir);
    }

    internal ProcessResult RunAs(NetNs ns, int uid, params string[] args)
    {
        var dotnet = Run.Exec("sh", ["-c", "readlink -f \"$(command -v dotnet)\""]).EnsureSuccess().StdOut.Trim();
        var cmd = $"mount --bind {_dir}/tun /dev/net/tun && exec setpriv --reuid={uid} --regid={uid} --clear-groups " +
                  $"env HOME=/tmp DOTNET_CLI_HOME=/tmp {dotnet} {_dir}/cli/sharptun.dll {string.Join(' ', args)}";
        return ns.Exec("unshare", ["-m", "--propagation", "private", "sh", "-c", cmd], TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

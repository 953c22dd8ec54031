using System.Text.Json;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// <c>sharptun wg up FILE</c> running in the foreground in a lab host, as a systemd unit would run it.
/// The config file is NAME.conf in a private temporary directory (the interface is named after the
/// file, as wg-quick does). Ready when its UAPI socket answers and the config's addresses are on the link.
/// </summary>
internal sealed class SharpTunWg : WgNode
{
    private readonly string _dir;
    private Daemon _process;

    private SharpTunWg(LabHost host, string name, WgConfig config, string dir, Daemon process) : base(host, name, config)
    {
        _dir = dir;
        _process = process;
    }

    internal override Daemon Process => _process;

    internal string ConfPath => Path.Combine(_dir, Name + ".conf");

    internal static SharpTunWg Start(LabHost host, WgConfig config, string? name = null, IReadOnlyList<string>? extraArgs = null)
    {
        name ??= UniqueName.Next("wgs");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtest-").FullName;
        File.WriteAllText(Path.Combine(dir, name + ".conf"), config.WgQuick());
        Run.Exec("chmod", ["600", Path.Combine(dir, name + ".conf")]).EnsureSuccess();
        var node = new SharpTunWg(host, name, config, dir, Daemon.StartIn(host.Name, "dotnet", Repo.Cli(["wg", "up", Path.Combine(dir, name + ".conf"), .. extraArgs ?? []])));
        host.Own(node);
        node.WaitReady();
        return node;
    }

    /// <summary>Waits until the UAPI answers and every configured address is on the interface.</summary>
    internal void WaitReady(TimeSpan? timeout = null)
    {
        _process.WaitUntil(() => Uapi.Answers(Name), $"UAPI socket {SocketPath} to answer get=1", timeout ?? TimeSpan.FromSeconds(60));
        _process.WaitUntil(() =>
        {
            var have = LinkStats.Addresses(Host, Name);
            return Config.Addresses.All(a => have.Contains(a));
        }, $"addresses {string.Join(", ", Config.Addresses)} on {Name}", TimeSpan.FromSeconds(30));
    }

    /// <summary>kill -9 the daemon (its tun goes with its fd; the socket file stays) and start it again from the same file.</summary>
    internal TimeSpan KillAndRestart()
    {
        _process.Kill();
        _process.Dispose();
        var started = System.Diagnostics.Stopwatch.StartNew();
        _process = Daemon.StartIn(Host.Name, "dotnet", Repo.Cli("wg", "up", ConfPath));
        WaitReady();
        return started.Elapsed;
    }

    /// <summary>Kills the daemon with SIGKILL and leaves it dead.</summary>
    internal void Kill() => _process.Kill();

    /// <summary>Starts it again after <see cref="Kill"/>.</summary>
    internal void StartAgain()
    {
        _process.Dispose();
        _process = Daemon.StartIn(Host.Name, "dotnet", Repo.Cli("wg", "up", ConfPath));
        WaitReady();
    }

    /// <summary><c>sharptun wg show NAME --json</c>, parsed.</summary>
    internal ShowJson Show()
    {
        var r = Host.Sharptun("wg", "show", Name, "--json").EnsureSuccess();
        return new ShowJson(JsonDocument.Parse(r.StdOut).RootElement.Clone(), r.StdOut);
    }

    /// <summary>
    /// Until its UDP socket's receive queue is empty (<c>ss</c>) and two successive <c>wg show --json</c>
    /// report the same drop counters: everything that arrived has been judged.
    /// </summary>
    internal void WaitQuiet()
    {
        var previous = "";
        _process.WaitUntil(() =>
        {
            var q = Host.Must("ss", "-H", "-u", "-a", "-n", "sport", "=", $":{Config.ListenPort}").StdOut;
            var queued = q.Split('\n', StringSplitOptions.RemoveEmptyEntries).Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] != "0");
            var now = Show().DropsText();
            var quiet = !queued && now == previous;
            previous = now;
            return quiet;
        }, "the daemon to have judged everything it received", TimeSpan.FromSeconds(60));
    }

    /// <summary><c>sharptun wg down NAME</c>.</summary>
    internal ProcessResult Down() => Host.Sharptun("wg", "down", Name);

    public override void Dispose()
    {
        _process.Dispose();
        DeleteStaleSocket();
        Directory.Delete(_dir, recursive: true);
    }
}

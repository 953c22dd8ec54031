using System.CommandLine;
using System.Runtime.InteropServices;
using SharpTun.Linux;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg up FILE|NAME [--background] [--user U] [--log-level L] [--metrics ADDR:PORT]</c>: wg-quick up with the tunnel in this
/// process. Foreground (the default, what a systemd unit wants): logs to stdout, runs until SIGTERM
/// (<c>sharptun wg down</c>, systemd: a requested stop, exit 0) or SIGINT (Ctrl-C, exit 130), then
/// takes everything down again. Under systemd it reports readiness (sd_notify READY=1, for Type=notify) and writes
/// journal priority prefixes when stdout is the journal.
/// <c>--background</c>: starts itself detached (setsid), waits until the interface is up, prints the PID.
/// </summary>
internal static class WgUpCommand
{
    /// <summary>Set in the environment of the detached child that <c>--background</c> starts.</summary>
    internal const string DaemonMarker = "SHARPTUN_WG_DAEMON";

    internal static Command Create()
    {
        var target = new Argument<string>("FILE|NAME") { Description = "a wg-quick config NAME.conf (the interface is named NAME), or NAME alone for /etc/wireguard/NAME.conf" };
        var background = new Option<bool>("--background") { Description = "detach, print the PID once the interface is up; logs go to /run/sharptun/NAME.log" };
        var user = new Option<string?>("--user") { Description = "once the interface is up, run as this user (name or number, its primary group, no supplementary groups); the main thread keeps CAP_NET_ADMIN for the teardown", HelpName = "USER" };
        var level = new Option<string>("--log-level") { Description = "silent, error, warning, info (default) or debug", DefaultValueFactory = _ => "info", HelpName = "LEVEL" };
        var metrics = new Option<string?>("--metrics") { Description = "serve Prometheus metrics at http://ADDR:PORT/metrics (e.g. 127.0.0.1:9586)", HelpName = "ADDR:PORT" };
        var cmd = new Command("up", "Bring up a WireGuard interface from a wg-quick config: device, addresses, MTU, routes (a default route as wg-quick: fwmark table, rules, nftables), UAPI socket for 'wg', DNS, hooks; SaveConfig at down.")
        {
            target, background, user, level, metrics,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var logLevel = ParseLevel(r.GetValue(level)!);
            var metricsText = r.GetValue(metrics);
            var metricsAt = metricsText is null ? null : MetricsServer.ParseEndpoint(metricsText);
            var userName = r.GetValue(user);
            (int Uid, int Gid)? account = userName is null ? null : UserDatabase.ResolveAccount(userName);
            var (path, name) = WireGuardConfig.ResolvePath(r.GetValue(target)!);
            var config = Load(path, name);
            var isDaemon = Environment.GetEnvironmentVariable(DaemonMarker) == "1";
            if (!isDaemon && File.Exists(path) && ConfigFileAccess.Warning(path) is { } warning)
            {
                // As wg-quick: a warning, not a refusal (the background child does not repeat it into its log).
                Console.Error.WriteLine(warning);
            }
            if (r.GetValue(background))
            {
                return WgBackground.Start(path, name, r.GetValue(level)!, userName, metricsText);
            }
            var code = Run(config, logLevel, account, userName, metricsAt);
            if (isDaemon && code is CliRunner.Ok or CliRunner.Interrupted)
            {
                // A normal end of the --background daemon: its log goes with it (a failure keeps it, it explains why).
                WgBackground.RemoveLog(name);
            }
            return code;
        }));
        return cmd;
    }

    internal static HostConfig Load(string path, string name)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"cannot read config '{path}': no such file");
        }
        var parsed = WireGuardConfig.Load(path);
        // SaveConfig rewrites the file itself, not a symlink to it (wg-quick: readlink -f).
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return HostConfig.FromConfig(parsed, name, Path.GetFileName(path)) with { ConfigPath = target };
    }

    internal static HostLogLevel ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "silent" => HostLogLevel.Silent,
        "error" => HostLogLevel.Error,
        "warning" or "warn" => HostLogLevel.Warning,
        "info" or "verbose" => HostLogLevel.Info,
        "debug" => HostLogLevel.Debug,
        _ => throw new ArgumentException($"invalid --log-level '{text}': use silent, error, warning, info or debug"),
    };

    private static int Run(HostConfig config, HostLogLevel level, (int Uid, int Gid)? account, string? userName, System.Net.IPEndPoint? metrics)
    {
        // Under systemd stdout is the journal: lines carry its priority prefix instead of a timestamp.
        var log = new HostLog(Console.Out, level, journal: Journal.IsConnected(1));
        using var stop = new ManualResetEventSlim();
        var signal = 0;
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            // SIGTERM is the requested stop (wg down, systemd): a clean exit 0, as wireguard-go; Ctrl-C is an interruption.
            Interlocked.CompareExchange(ref signal, ctx.Signal == PosixSignal.SIGINT ? CliRunner.Interrupted : -1, 0);
            stop.Set();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var host = WireGuardHost.Up(config, log, metrics: metrics);
        foreach (var note in host.Notes)
        {
            Console.Error.WriteLine($"sharptun: note: {note}");
        }
        if (account is { } a)
        {
            // Every thread that already runs (pumps, UAPI) becomes the user with no capabilities; this
            // thread keeps CAP_NET_ADMIN (+ NET_BIND_SERVICE) so that the teardown still works.
            PrivilegeDrop.ToUser(a.Uid, a.Gid, keepNetAdmin: true);
            log.Info(config.Name, $"running as user '{userName}' (uid {a.Uid}, gid {a.Gid})");
        }
        host.Completion.ContinueWith(_ => stop.Set(), TaskScheduler.Default);
        // Type=notify: the interface is up (device, routes, UAPI, hooks, privileges dropped).
        if (!SystemdNotify.Send($"READY=1\nSTATUS=interface {config.Name} up, UDP port {host.Interface.ActualListenPort}", out var notifyError) && notifyError is not null)
        {
            log.Warning(config.Name, notifyError);
        }
        stop.Wait();
        SystemdNotify.Send($"STOPPING=1\nSTATUS=interface {config.Name} going down", out _);
        // The counters at the stop, as 'tunnel' prints its own (before the teardown removes the peers).
        Console.Out.Write(WgUpText.Counters(config.Name, host.Interface.GetPeers(), host.Interface.Drops));
        Console.Out.Flush();
        if (host.Completion.IsFaulted && signal == 0)
        {
            var cause = host.Completion.Exception!.InnerException!;
            Console.Error.WriteLine($"sharptun: interface '{config.Name}' stopped: {cause.Message}");
            return CliRunner.Failed;
        }
        return signal is 0 or -1 ? CliRunner.Ok : signal;
    }
}

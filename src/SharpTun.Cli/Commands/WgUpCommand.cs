using System.CommandLine;
using System.Runtime.CompilerServices;
using SharpTun.Linux;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg up FILE|NAME [--background] [--user U] [--log-level L] [--metrics ADDR:PORT] [--workers N]</c>: wg-quick up with the tunnel in this
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
        var workers = WorkersOption();
        var cmd = new Command("up", "Bring up a WireGuard interface from a wg-quick config: device, addresses, MTU, routes (a default route as wg-quick: fwmark table, rules, nftables), UAPI socket for 'wg', DNS, hooks; SaveConfig at down.")
        {
            target, background, user, level, metrics, workers,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var logLevel = ParseLevel(r.GetValue(level)!);
            var metricsText = r.GetValue(metrics);
            var metricsAt = metricsText is null ? null : MetricsServer.ParseEndpoint(metricsText);
            var userName = r.GetValue(user);
            var workerCount = CheckWorkers(r.GetValue(workers));
            if (userName is not null)
            {
                _ = UserDatabase.ResolveAccount(userName); // an unknown user is an error before anything starts
            }
            var (path, name) = WireGuardConfig.ResolvePath(r.GetValue(target)!);
            var foreground = r.GetValue(background) ? null : Options(name, new WireGuardServiceOptions { LogLevel = logLevel, User = userName, Metrics = metricsAt, Workers = workerCount });
            var service = Prepare(path, name, foreground);
            var isDaemon = Environment.GetEnvironmentVariable(DaemonMarker) == "1";
            if (!isDaemon && File.Exists(path) && ConfigFileAccess.Warning(path) is { } warning)
            {
                // As wg-quick: a warning, not a refusal (the background child does not repeat it into its log).
                Console.Error.WriteLine(warning);
            }
            if (r.GetValue(background))
            {
                return WgBackground.Start(path, name, r.GetValue(level)!, userName, metricsText, workerCount);
            }
            var code = Run(service!);
            if (isDaemon && code is CliRunner.Ok or CliRunner.Interrupted)
            {
                // A normal end of the --background daemon: its log goes with it (a failure keeps it, it explains why).
                WgBackground.RemoveLog(name);
            }
            return code;
        }));
        return cmd;
    }

    /// <summary>--workers N of <c>wg up</c> and <c>wg userspace</c>: the data-plane threads (<see cref="WireGuardInterface.Workers"/>).</summary>
    internal static Option<int?> WorkersOption() =>
        new("--workers") { Description = "data-plane threads per direction, 1 to 256, each reading, sealing or opening and sending whole batches (default: one per core, 1 on two cores or fewer, or $SHARPTUN_WORKERS)", HelpName = "N" };

    /// <summary>Refuses a --workers outside 1..256, naming the option and the value; null (not given) passes.</summary>
    internal static int? CheckWorkers(int? workers) =>
        workers is < 1 or > 256 ? throw new ArgumentException($"invalid --workers {workers}: use 1 to 256") : workers;

    internal static HostConfig Load(string path, string name) => WireGuardService.LoadConfig(path, name);

    internal static HostLogLevel ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "silent" => HostLogLevel.Silent,
        "error" => HostLogLevel.Error,
        "warning" or "warn" => HostLogLevel.Warning,
        "info" or "verbose" => HostLogLevel.Info,
        "debug" => HostLogLevel.Debug,
        _ => throw new ArgumentException($"invalid --log-level '{text}': use silent, error, warning, info or debug"),
    };

    /// <summary>
    /// Reads the file (a broken one fails here, before anything starts) and, for the foreground, makes the service.
    /// A method of its own so that no frame that lives as long as the interface holds the parsed file: the service
    /// drops its peers once they run (issue 20).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WireGuardService? Prepare(string path, string name, WireGuardServiceOptions? foreground)
    {
        var config = Load(path, name);
        return foreground is null ? null : new WireGuardService(config, foreground);
    }

    private static WireGuardServiceOptions Options(string name, WireGuardServiceOptions options)
    {
        // SIGTERM is the requested stop (wg down, systemd): a clean exit 0, as wireguard-go; Ctrl-C is an interruption.
        options.HandleSignals = true;
        options.Started = host =>
        {
            foreach (var note in host.Notes)
            {
                Console.Error.WriteLine($"sharptun: note: {note}");
            }
        };
        options.Stopping = (host, _) =>
        {
            // The counters at the stop, as 'tunnel' prints its own (before the teardown removes the peers).
            Console.Out.Write(WgUpText.Counters(name, host.Interface.PeerCount, host.Interface.GetActivePeers(), host.Interface.Drops));
            Console.Out.Flush();
        };
        return options;
    }

    private static int Run(WireGuardService service)
    {
        var why = service.Run();
        if (service.Failure is { } cause)
        {
            Console.Error.WriteLine($"sharptun: interface '{service.Config.Name}' stopped: {cause.Message}");
            return CliRunner.Failed;
        }
        return why == WireGuardServiceStop.Interrupted ? CliRunner.Interrupted : CliRunner.Ok;
    }
}

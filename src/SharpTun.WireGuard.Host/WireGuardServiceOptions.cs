using System.Net;
using Microsoft.Extensions.Logging;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// How a <see cref="WireGuardService"/> runs its interface: where it logs, which signals stop it, whom it
/// runs as after the setup, where its pid file and UAPI socket go, whom it tells about readiness.
/// The defaults are what <c>sharptun wg up</c> does in the foreground.
/// </summary>
public sealed class WireGuardServiceOptions
{
    /// <summary>
    /// Where the service and the interface log (category <see cref="HostLog.Category"/>). Null (the default):
    /// lines to standard output, with the journal's priority prefixes instead of timestamps when standard
    /// output is the systemd journal (<see cref="Journal.IsConnected"/>).
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>How much is logged (default <see cref="HostLogLevel.Info"/>); applies to <see cref="LoggerFactory"/> too.</summary>
    public HostLogLevel LogLevel { get; set; } = HostLogLevel.Info;

    /// <summary>
    /// When true, SIGINT and SIGTERM stop the service (and are not delivered to the rest of the process) while
    /// it runs: the reason is then <see cref="WireGuardServiceStop.Interrupted"/> or <see cref="WireGuardServiceStop.Terminated"/>.
    /// Default false: a program that embeds the service usually has its own shutdown (a host's lifetime, a token).
    /// </summary>
    public bool HandleSignals { get; set; }

    /// <summary>
    /// Once the interface is up, run as this user: a name from /etc/passwd or a number, with its primary group
    /// and no supplementary groups (<c>setgroups</c>, <c>setgid</c>, <c>setuid</c>). Every thread of the process
    /// becomes the user with no capabilities, except the service's own thread, which keeps CAP_NET_ADMIN
    /// (and CAP_NET_BIND_SERVICE) to take the interface down at the end. Null (the default): no change.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// The sd_notify socket told READY=1 (with a STATUS=) once the interface is up and STOPPING=1 when it goes down.
    /// Null (the default): $NOTIFY_SOCKET, i.e. only under a systemd Type=notify unit; empty: none. A path, or "@name" for an abstract socket.
    /// </summary>
    public string? NotifySocket { get; set; }

    /// <summary>The directory of the pid file NAME.pid, written once up and removed at the end (default /run/sharptun, what <c>sharptun wg down</c> reads).</summary>
    public string PidDirectory { get; set; } = PidFile.Directory;

    /// <summary>The directory of the UAPI socket NAME.sock for <c>wg</c> (default /var/run/wireguard).</summary>
    public string UapiDirectory { get; set; } = UapiServer.SocketDirectory;

    /// <summary>Serve Prometheus metrics at http://ADDRESS:PORT/metrics; null (the default): none.</summary>
    public IPEndPoint? Metrics { get; set; }

    /// <summary>Data-plane threads per direction (<see cref="WireGuardInterface.Workers"/>); null (the default): the config's <see cref="HostConfig.Workers"/>, else <see cref="WireGuardInterface.DefaultWorkers"/> (one per core; 1 on two cores or fewer; SHARPTUN_WORKERS).</summary>
    public int? Workers { get; set; }

    /// <summary>How the UDP socket is opened; null (the default): <see cref="WireGuardHost.DefaultBind"/>.</summary>
    public BindFactory? BindFactory { get; set; }

    /// <summary>
    /// Called on the service's thread once the interface is up and privileges are dropped, before READY=1 is sent
    /// (the <see cref="WireGuardHost"/> has its <see cref="WireGuardHost.Notes"/>, its port, its peers).
    /// </summary>
    public Action<WireGuardHost>? Started { get; set; }

    /// <summary>Called on the service's thread when the service stops, before the interface is taken down (its peers and counters are still there).</summary>
    public Action<WireGuardHost, WireGuardServiceStop>? Stopping { get; set; }
}

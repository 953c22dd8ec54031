using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpTun.Linux;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Runs a WireGuard interface as a service, as <c>sharptun wg up</c> does in the foreground: brings it up
/// (<see cref="WireGuardHost.Up"/>: device, addresses, routes, UAPI socket, DNS, hooks, pid file), drops
/// privileges to <see cref="WireGuardServiceOptions.User"/>, tells systemd READY=1, runs until the token is
/// cancelled, a handled signal arrives or the interface stops by itself, tells systemd STOPPING=1 and takes
/// everything down again. A service runs once.
/// <code>
///   Run(token), on the caller's thread           RunAsync(token): the same on a thread of its own
///   ── Up ── drop to User ── Started ── READY=1 ── wait ── STOPPING=1 ── Stopping ── Dispose (wg-quick down)
///            (this thread keeps CAP_NET_ADMIN: the teardown runs on it)
/// </code>
/// </summary>
public sealed partial class WireGuardService
{
    private readonly WireGuardServiceOptions _options;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _runs;
    private int _reason = -1;

    /// <summary>A service for the interface <paramref name="config"/> describes (<see cref="LoadConfig(string)"/> reads one from a wg-quick file).</summary>
    public WireGuardService(HostConfig config, WireGuardServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _options = options ?? new WireGuardServiceOptions();
        Log = _options.LoggerFactory is { } factory
            ? new HostLog(factory, _options.LogLevel)
            : new HostLog(Console.Out, _options.LogLevel, journal: Journal.IsConnected(1));
    }

    /// <summary>
    /// The interface's configuration. Once the interface is up, without its peers and parsed file
    /// (<see cref="HostConfig.Peers"/> empty, <see cref="HostConfig.Source"/> null): they run in the interface
    /// (<see cref="WireGuardInterface.Snapshot"/>, <c>wg showconf</c>), and a large file is not kept twice (issue 20).
    /// </summary>
    public HostConfig Config { get; private set; }

    /// <summary>The log the service and its interface write to.</summary>
    public HostLog Log { get; }

    /// <summary>Completes once the interface is up (after the privilege drop, when READY=1 is sent); faults with the error when the start failed.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Why the interface stopped by itself (<see cref="WireGuardServiceStop.InterfaceStopped"/>), when it was a failure; otherwise null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>
    /// Reads a wg-quick configuration: <paramref name="fileOrName"/> is a file NAME.conf (the interface is named NAME)
    /// or NAME alone for /etc/wireguard/NAME.conf. SaveConfig writes back to the file itself, not a symlink to it.
    /// </summary>
    public static HostConfig LoadConfig(string fileOrName)
    {
        var (path, name) = WireGuardConfig.ResolvePath(fileOrName);
        return LoadConfig(path, name);
    }

    /// <summary>Reads the wg-quick configuration <paramref name="path"/> for interface <paramref name="name"/>.</summary>
    public static HostConfig LoadConfig(string path, string name)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(name);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"cannot read config '{path}': no such file", path);
        }
        var parsed = WireGuardConfig.Load(path);
        // wg-quick: readlink -f.
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        return HostConfig.FromConfig(parsed, name, Path.GetFileName(path)) with { ConfigPath = target };
    }

    /// <summary>
    /// Runs the service on a thread of its own (which keeps CAP_NET_ADMIN after a privilege drop); the task
    /// completes after the teardown with the reason, or faults with the error when the start failed.
    /// </summary>
    public Task<WireGuardServiceStop> RunAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<WireGuardServiceStop>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Run(cancellationToken));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "sharptun-service-" + Config.Name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Runs the service on the calling thread until it stops, and returns why. Throws when the interface cannot
    /// come up or privileges cannot be dropped (everything made is removed again; the message names the cause).
    /// </summary>
    public WireGuardServiceStop Run(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _runs, 1) != 0)
        {
            throw new InvalidOperationException($"the service of interface '{Config.Name}' has run already: a WireGuardService runs once");
        }
        try
        {
            return RunOnce(cancellationToken);
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
        finally
        {
            _ready.TrySetCanceled(CancellationToken.None);
        }
    }

    private WireGuardServiceStop RunOnce(CancellationToken cancellationToken)
    {
        var name = Config.Name;
        // Before anything is made: an unknown user is a plain start error.
        (int Uid, int Gid)? account = _options.User is { } user ? UserDatabase.ResolveAccount(user) : null;
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(WireGuardServiceStop reason)
        {
            Interlocked.CompareExchange(ref _reason, (int)reason, -1);
            stop.TrySetResult();
        }
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Stop(context.Signal == PosixSignal.SIGINT ? WireGuardServiceStop.Interrupted : WireGuardServiceStop.Terminated);
        }
        using var sigint = _options.HandleSignals ? PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal) : null;
        using var sigterm = _options.HandleSignals ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal) : null;
        using var cancelled = cancellationToken.Register(() => Stop(WireGuardServiceStop.Cancelled));
        using var host = Up();
        if (account is { } a)
        {
            // Every thread that already runs (pumps, UAPI) becomes the user with no capabilities; this
            // thread keeps CAP_NET_ADMIN (+ NET_BIND_SERVICE) so that the teardown still works.
            PrivilegeDrop.ToUser(a.Uid, a.Gid, keepNetAdmin: true);
            Log.Info(name, string.Create(CultureInfo.InvariantCulture, $"running as user '{_options.User}' (uid {a.Uid}, gid {a.Gid})"));
        }
        host.Completion.ContinueWith(_ => Stop(WireGuardServiceStop.InterfaceStopped), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        _options.Started?.Invoke(host);
        // Type=notify: the interface is up (device, routes, UAPI, hooks, privileges dropped).
        Notify(string.Create(CultureInfo.InvariantCulture, $"READY=1\nSTATUS=interface {name} up, UDP port {host.Interface.ActualListenPort}"));
        _ready.TrySetResult();
        stop.Task.Wait(CancellationToken.None);
        var why = (WireGuardServiceStop)Volatile.Read(ref _reason);
        Notify($"STOPPING=1\nSTATUS=interface {name} going down");
        if (why == WireGuardServiceStop.InterfaceStopped && host.Completion.IsFaulted)
        {
            Failure = host.Completion.Exception!.InnerException;
        }
        _options.Stopping?.Invoke(host, why);
        return why;
    }

    /// <summary>
    /// Brings the interface up and drops the peers from <see cref="Config"/>. A method of its own: no local of the
    /// long-running <see cref="RunOnce"/> frame may hold the full configuration (unoptimized code reports every
    /// local live to the method's end).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WireGuardHost Up()
    {
        var host = WireGuardHost.Up(_options.Workers is { } workers ? Config with { Workers = workers } : Config, Log, _options.BindFactory, _options.UapiDirectory, _options.PidDirectory, _options.Metrics);
        var many = Config.Peers.Count >= WireGuardInterface.CompactAfterPeers;
        Config = Config.WithoutPeers();
        if (many)
        {
            host.Interface.CompactSoon(); // again, now that this reference is gone too
        }
        return host;
    }

    private void Notify(string state)
    {
        if (!SystemdNotify.Send(state, out var error, _options.NotifySocket) && error is not null)
        {
            Log.Warning(Config.Name, error);
        }
    }
}

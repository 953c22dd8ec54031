using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux;
using SharpTun.Linux.Tun;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg userspace [-f|--foreground] [--workers N] IFNAME</c>: wireguard-go's command line and environment, so that
/// the stock wg-quick can use SharpTun where there is no kernel module
/// (WG_QUICK_USERSPACE_IMPLEMENTATION=/usr/local/bin/sharptun-wg-userspace): an unconfigured interface served
/// on /var/run/wireguard/IFNAME.sock until the device is deleted. The words it reads, as wireguard-go:
/// <list type="bullet">
/// <item>WG_PROCESS_FOREGROUND=1 or -f: stay in the foreground; otherwise the device and the socket are made
/// here, handed to a detached copy (WG_TUN_FD, WG_UAPI_FD) and this process exits 0 once that copy answers
/// on the socket (1 with the reason if it does not).</item>
/// <item>LOG_LEVEL=verbose|debug, error (default), silent (also ours: info, warning). A detached copy keeps
/// stdout/stderr only when LOG_LEVEL is set and not silent; else they go to /dev/null.</item>
/// <item>WG_TUN_FD / WG_UAPI_FD: an open tun descriptor / listening UAPI socket to use instead of making them.</item>
/// </list>
/// </summary>
internal static class WgUserspaceCommand
{
    internal const string ForegroundVariable = "WG_PROCESS_FOREGROUND";
    internal const string TunFdVariable = "WG_TUN_FD";
    internal const string UapiFdVariable = "WG_UAPI_FD";
    internal const string LogLevelVariable = "LOG_LEVEL";

    internal static Command Create()
    {
        var name = new Argument<string>("IFNAME") { Description = "the interface to create (the UAPI socket is /var/run/wireguard/IFNAME.sock)" };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "stay in the foreground (also WG_PROCESS_FOREGROUND=1); otherwise detach once the interface is served" };
        var workers = WgUpCommand.WorkersOption();
        var cmd = new Command("userspace", "wireguard-go's contract, for wg-quick's WG_QUICK_USERSPACE_IMPLEMENTATION: create an unconfigured interface IFNAME (no key, no peers, link down), serve its UAPI socket for 'wg', exit when the device is deleted. LOG_LEVEL=verbose|error|silent.")
        {
            name, foreground, workers,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var ifname = r.GetValue(name)!;
            var level = ParseLevel(Environment.GetEnvironmentVariable(LogLevelVariable));
            var workerCount = WgUpCommand.CheckWorkers(r.GetValue(workers));
            if (r.GetValue(foreground) || Environment.GetEnvironmentVariable(ForegroundVariable) == "1")
            {
                return RunForeground(ifname, level, workerCount);
            }
            return WgUserspaceBackground.Start(ifname, level, workerCount);
        }));
        return cmd;
    }

    /// <summary>wireguard-go's LOG_LEVEL words (anything else, or unset, is error, as there); info and warning are ours.</summary>
    internal static HostLogLevel ParseLevel(string? text) => text?.ToLowerInvariant() switch
    {
        "verbose" or "debug" => HostLogLevel.Debug,
        "info" => HostLogLevel.Info,
        "warning" or "warn" => HostLogLevel.Warning,
        "silent" => HostLogLevel.Silent,
        _ => HostLogLevel.Error,
    };

    /// <summary>The tun device: WG_TUN_FD when given (it must be IFNAME), else a new one.</summary>
    internal static TunDevice OpenDevice(string name)
    {
        if (InheritedDescriptor.Parse(TunFdVariable) is not { } fd)
        {
            return UserspaceInterface.CreateDevice(name);
        }
        var tun = TunDevice.Adopt(fd, PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation);
        if (tun.Name != name)
        {
            tun.Dispose();
            throw new ArgumentException($"{TunFdVariable}={fd} is device '{tun.Name}', not '{name}'");
        }
        return tun;
    }

    /// <summary>The UAPI listener: WG_UAPI_FD when given, else a new socket file.</summary>
    internal static Socket OpenUapi(string name) =>
        InheritedDescriptor.Parse(UapiFdVariable) is { } fd
            ? new Socket(new SafeSocketHandle(fd, ownsHandle: true))
            : UapiServer.Listen(name);

    private static int RunForeground(string name, HostLogLevel level, int? workers)
    {
        var log = new HostLog(Console.Out, level, journal: Journal.IsConnected(1));
        using var stop = new ManualResetEventSlim();
        var signal = 0;
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            // SIGTERM: the requested stop, exit 0 as wireguard-go; Ctrl-C: 130, the house rule.
            Interlocked.CompareExchange(ref signal, ctx.Signal == PosixSignal.SIGINT ? CliRunner.Interrupted : -1, 0);
            stop.Set();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var tun = OpenDevice(name);
        Socket listener;
        try
        {
            listener = OpenUapi(name);
        }
        catch
        {
            tun.Dispose();
            throw;
        }
        using var wg = UserspaceInterface.Start(tun, listener, log, workers: workers);
        wg.Completion.ContinueWith(_ => stop.Set(), TaskScheduler.Default);
        stop.Wait();
        if (signal == 0 && wg.Completion.IsCompleted)
        {
            if (UserspaceInterface.IsDeviceDeleted(wg.Completion))
            {
                log.Info(name, "device deleted; shutting down");
                return CliRunner.Ok;
            }
            if (wg.Completion.IsFaulted)
            {
                Console.Error.WriteLine($"sharptun: interface '{name}' stopped: {wg.Completion.Exception!.InnerException!.Message}");
                return CliRunner.Failed;
            }
        }
        return signal is 0 or -1 ? CliRunner.Ok : signal;
    }
}

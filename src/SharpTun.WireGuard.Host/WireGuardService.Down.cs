using System.Diagnostics;
using System.Globalization;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;

namespace SharpTun.WireGuard.Host;

/// <summary><c>sharptun wg down</c>: stopping the service that runs an interface, from another process.</summary>
public sealed partial class WireGuardService
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Stops the process whose pid file (in <paramref name="pidDirectory"/>) names it as serving interface
    /// <paramref name="name"/>: SIGTERM, then waits for it to exit (it runs PreDown, removes its socket, device
    /// and routes, PostDown). When that process is already gone (killed), removes what it left: the device,
    /// the socket file, a full tunnel's rules and firewall, the pid file. True when a live process was stopped.
    /// Throws an <see cref="IOException"/> naming the interface when it is not up, or not served by a service.
    /// </summary>
    public static bool Down(string name, string pidDirectory = PidFile.Directory)
    {
        ArgumentNullException.ThrowIfNull(name);
        var socket = UapiServer.PathFor(name);
        var pidPath = PidFile.PathFor(name, pidDirectory);
        var pid = PidFile.Read(name, pidDirectory);
        if (pid is null)
        {
            if (File.Exists(socket) && UapiServer.IsLive(socket))
            {
                throw new IOException($"interface '{name}' is served by a process that 'sharptun wg up' did not start (no {pidPath}); stop it there");
            }
            using var nl = RtNetlink.Open();
            if (nl.FindLink(name) is not null)
            {
                throw new IOException($"interface '{name}' exists but was not brought up by 'sharptun wg up' (no {pidPath})");
            }
            throw new IOException($"interface '{name}' is not up (no {pidPath})");
        }
        var stopped = false;
        if (IsAlive(pid.Value) && PidFile.IsSharptun(pid.Value))
        {
            Signal(pid.Value);
            var deadline = DateTime.UtcNow + s_exitTimeout;
            while (IsAlive(pid.Value))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new IOException($"interface '{name}': process {pid} did not exit within {s_exitTimeout.TotalSeconds:0} s of SIGTERM");
                }
                Thread.Sleep(20);
            }
            stopped = true;
        }
        RemoveLeftovers(name, pid.Value, socket, pidDirectory);
        return stopped;
    }

    /// <summary>
    /// What a killed process leaves: a tun device only if persistent (ours are not), the socket file, a full
    /// tunnel's rules, nftables tables and sysctl (its record beside the pid file), the pid file.
    /// </summary>
    private static void RemoveLeftovers(string name, int pid, string socket, string pidDirectory)
    {
        using (var netlink = RtNetlink.Open())
        {
            FullTunnel.RemoveStale(netlink, name, pidDirectory);
        }
        if (TunDevices.Get(name) is { } tun && tun.Processes.Count == 0)
        {
            using var nl = RtNetlink.Open();
            nl.LinkDelete(name);
        }
        if (File.Exists(socket) && !UapiServer.IsLive(socket))
        {
            File.Delete(socket);
        }
        PidFile.Remove(name, pid, pidDirectory);
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Signal(int pid)
    {
        var psi = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        psi.ArgumentList.Add("-TERM");
        psi.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var p = Process.Start(psi) ?? throw new IOException("cannot run kill");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && Directory.Exists($"/proc/{pid}"))
        {
            throw new IOException($"cannot stop process {pid}: {err.Trim()}");
        }
    }
}

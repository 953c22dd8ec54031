using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg down NAME|FILE</c>: stops the process that <c>wg up</c> started for NAME (SIGTERM to the pid
/// in /run/sharptun/NAME.pid; it runs PreDown, removes its socket, device and routes, PostDown) and waits for
/// it. When that process is already gone (killed), removes what it left: the device, the socket file, the pid file.
/// </summary>
internal static class WgDownCommand
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(20);

    internal static Command Create()
    {
        var target = new Argument<string>("NAME|FILE") { Description = "the interface name (or its config file NAME.conf)" };
        var cmd = new Command("down", "Take down a WireGuard interface brought up by 'sharptun wg up': stops its process and removes what up made (also what a killed one left).") { target };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var (_, name) = WireGuardConfig.ResolvePath(r.GetValue(target)!);
            return Down(name);
        }));
        return cmd;
    }

    internal static int Down(string name)
    {
        var socket = UapiServer.PathFor(name);
        var pid = PidFile.Read(name);
        if (pid is null)
        {
            if (File.Exists(socket) && UapiServer.IsLive(socket))
            {
                throw new IOException($"interface '{name}' is served by a process that 'sharptun wg up' did not start (no {PidFile.PathFor(name)}); stop it there");
            }
            using var nl = RtNetlink.Open();
            if (nl.FindLink(name) is not null)
            {
                throw new IOException($"interface '{name}' exists but was not brought up by 'sharptun wg up' (no {PidFile.PathFor(name)})");
            }
            throw new IOException($"interface '{name}' is not up (no {PidFile.PathFor(name)})");
        }
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
            // It ended on our SIGTERM: a normal end, so its --background log goes (it removes it itself unless it ran as --user).
            WgBackground.RemoveLog(name);
        }
        RemoveLeftovers(name, pid.Value, socket);
        return CliRunner.Ok;
    }

    /// <summary>
    /// What a killed process leaves: a tun device only if persistent (ours are not), the socket file, a full
    /// tunnel's rules, nftables tables and sysctl (its record in /run/sharptun), the pid file.
    /// </summary>
    private static void RemoveLeftovers(string name, int pid, string socket)
    {
        using (var netlink = RtNetlink.Open())
        {
            FullTunnel.RemoveStale(netlink, name, PidFile.Directory);
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
        PidFile.Remove(name, pid);
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

using System.CommandLine;
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
        if (WireGuardService.Down(name))
        {
            // It ended on our SIGTERM: a normal end, so its --background log goes (it removes it itself unless it ran as --user).
            WgBackground.RemoveLog(name);
        }
        return CliRunner.Ok;
    }
}

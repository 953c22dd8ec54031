using System.Diagnostics;
using System.Globalization;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>wg up --background</c>: re-runs this program as <c>wg up FILE</c> in a new session (setsid, stdin
/// /dev/null, output to /run/sharptun/NAME.log, removed again at the daemon's normal end), waits until the child wrote the pid file (the
/// interface is up) or exited (then its log explains why), and prints the PID.
/// </summary>
internal static class WgBackground
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The log of interface <paramref name="name"/>'s background daemon.</summary>
    internal static string LogPath(string name) => Path.Combine(PidFile.Directory, name + ".log");

    /// <summary>Removes the daemon's log (at its normal end; 'wg down' too, for a daemon that dropped the right to).</summary>
    internal static void RemoveLog(string name)
    {
        try
        {
            File.Delete(LogPath(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // wg up --user: the directory is root's; 'sharptun wg down' removes it after the process ended.
        }
    }

    internal static int Start(string path, string name, string level, string? user = null, string? metrics = null, int? workers = null)
    {
        // Check first: a refused second 'up' must not truncate the log of the daemon that is running.
        try
        {
            WireGuardHost.EnsureNotUp(name);
        }
        catch (IOException) when (PidFile.Read(name) is { } running && PidFile.IsSharptun(running))
        {
            throw new IOException($"cannot bring up interface '{name}': it is up already (process {running}; log {LogPath(name)})");
        }
        Directory.CreateDirectory(PidFile.Directory);
        var logPath = LogPath(name);
        File.WriteAllText(logPath, "");
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start it in the background");
        List<string> command = [self];
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            command.Add(Path.Combine(AppContext.BaseDirectory, "sharptun.dll")); // under the dotnet host
        }
        command.AddRange(["wg", "up", Path.GetFullPath(path), "--log-level", level]);
        if (user is not null)
        {
            command.AddRange(["--user", user]);
        }
        if (metrics is not null)
        {
            command.AddRange(["--metrics", metrics]);
        }
        if (workers is { } n)
        {
            command.AddRange(["--workers", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec setsid \"$@\" </dev/null >>\"$LOG\" 2>&1");
        psi.ArgumentList.Add("sh");
        foreach (var c in command)
        {
            psi.ArgumentList.Add(c);
        }
        psi.Environment["LOG"] = logPath;
        psi.Environment[WgUpCommand.DaemonMarker] = "1";
        var stale = PidFile.Read(name);
        using var child = Process.Start(psi) ?? throw new IOException("cannot start the background process");
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            // setsid execs in place (the child is no process-group leader), so the pid is the child's;
            // accept a new live pid too, should a setsid ever fork.
            if (PidFile.Read(name) is { } pid && (pid == child.Id || (pid != stale && PidFile.IsSharptun(pid))))
            {
                Console.Out.WriteLine(pid.ToString(CultureInfo.InvariantCulture));
                return CliRunner.Ok;
            }
            if (child.WaitForExit(50))
            {
                var output = File.ReadAllText(logPath).TrimEnd();
                Console.Error.Write(output.Length > 0 ? output + "\n" : "");
                Console.Error.WriteLine($"sharptun: interface '{name}' did not come up (the background process exited with status {child.ExitCode}; log {logPath})");
                return child.ExitCode == CliRunner.Usage ? CliRunner.Usage : CliRunner.Failed;
            }
        }
        Console.Error.WriteLine($"sharptun: interface '{name}' was not up after {s_readyTimeout.TotalSeconds:0} s (background process {child.Id} still running; log {logPath})");
        return CliRunner.Failed;
    }
}

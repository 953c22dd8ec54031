namespace SharpTun.Cli.Tests;

/// <summary>
/// A networking tool leaves nothing behind: no dotnet-diagnostic-PID-…-socket or clr-debug-pipe files in
/// /tmp after runs ended by `timeout` (SIGTERM) or normally, and no diagnostic socket among the CLI's own
/// listening sockets (ss -xlp). /tmp is a private tmpfs (unshare -m) so other programs' files do not count.
/// </summary>
public sealed class NothingLeftBehindTests
{
    [RootFact]
    public void Twenty_runs_under_timeout_leave_an_empty_tmp()
    {
        var dll = Repo.CliDll;
        // Half block on stdin (a pipe that stays open 4 s) until `timeout` sends SIGTERM at 2 s, half end by themselves.
        var script = $"mount -t tmpfs stclitmp /tmp && for i in $(seq 10); do " +
                     $"sleep 4 | timeout -s TERM 2 dotnet {dll} wg pubkey >/dev/null 2>&1; " +
                     $"timeout -s TERM 30 dotnet {dll} link show >/dev/null 2>&1; done; ls -A /tmp";
        var r = Run.Exec("env", ["-u", "DOTNET_EnableDiagnostics", "unshare", "-m", "--propagation", "private", "sh", "-c", script],
            TimeSpan.FromSeconds(300)).EnsureSuccess();
        Assert.Equal("", r.StdOut.Trim());
    }

    [RootFact]
    public void A_running_command_listens_on_no_diagnostic_socket()
    {
        var p = Run.Start("env", ["-u", "DOTNET_EnableDiagnostics", "dotnet", .. Repo.Cli("wg", "pubkey")], redirectStdin: true);
        try
        {
            // Running (re-executed with diagnostics off) once its environment says so.
            Poll.Until(() => !p.HasExited ? File.Exists($"/proc/{p.Id}/environ") &&
                             File.ReadAllText($"/proc/{p.Id}/environ").Contains("DOTNET_EnableDiagnostics=0", StringComparison.Ordinal) &&
                             File.ReadAllText($"/proc/{p.Id}/cmdline").Contains("sharptun.dll", StringComparison.Ordinal)
                    : throw new InvalidOperationException($"the CLI exited early: {p.StandardError.ReadToEnd()}"),
                "the CLI running", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
            // Give the runtime the time it would take to open its IPC socket, then look.
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var ss = Run.Exec("ss", ["-xlp"]).EnsureSuccess().StdOut;
            Assert.DoesNotContain($"pid={p.Id},", ss);
            Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{p.Id}-*"));
            Assert.Empty(Directory.EnumerateFiles(Path.GetTempPath(), $"clr-debug-pipe-{p.Id}-*"));
        }
        finally
        {
            p.StandardInput.Close();
            p.WaitForExit(20_000);
            p.Dispose();
        }
    }
}

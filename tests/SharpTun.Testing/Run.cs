using System.Diagnostics;
using System.Text;

namespace SharpTun.Testing;

/// <summary>Runs child processes with a timeout; a child that outlives it is killed (by PID, with its tree).</summary>
public static class Run
{
    /// <summary>Runs <paramref name="file"/> with arguments and waits for it.</summary>
    public static ProcessResult Exec(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null,
        IDictionary<string, string>? env = null)
    {
        using var p = Start(file, args, env, redirectStdin: stdin is not null);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var limit = timeout ?? TimeSpan.FromSeconds(60);
        if (!p.WaitForExit(limit))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            throw new TimeoutException($"command timed out after {limit.TotalSeconds} s: {Describe(file, args)}\n{stdout}\n{stderr}");
        }
        p.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(Describe(file, args), p.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    /// <summary>Runs a shell command line with <c>sh -c</c>.</summary>
    public static ProcessResult Sh(string commandLine, TimeSpan? timeout = null) =>
        Exec("/bin/sh", ["-c", commandLine], timeout);

    /// <summary>Starts a child process with redirected output; the caller owns and must dispose it.</summary>
    public static Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null, bool redirectStdin = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        if (env is not null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }
        return Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
    }

    /// <summary>A printable command line.</summary>
    public static string Describe(string file, IEnumerable<string> args) =>
        string.Join(' ', new[] { file }.Concat(args.Select(a => a.Contains(' ') ? $"'{a}'" : a)));
}

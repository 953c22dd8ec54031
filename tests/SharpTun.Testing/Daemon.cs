using System.Diagnostics;
using System.Text;

namespace SharpTun.Testing;

/// <summary>
/// A long-running child process a test started (a tunnel daemon, wireguard-go, an iperf3 server,
/// tcpdump): its stdout and stderr are drained continuously (a full pipe would block the child) and
/// kept for failure messages; waits poll and fail fast, with the output, when the child died.
/// Dispose kills it by PID (only this PID and its own children) if it is still running.
/// </summary>
public sealed class Daemon : IDisposable
{
    private const int MaxKeptChars = 256 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    /// <summary>What was started, for messages.</summary>
    public string Command { get; }

    /// <summary>The child's PID (with <c>ip netns exec</c> this is the program itself: ip execs it).</summary>
    public int Pid { get; }

    private Daemon(Process process, string command)
    {
        _process = process;
        Command = command;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="file"/> in the current namespace.</summary>
    public static Daemon Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var list = args.ToList();
        return new Daemon(Run.Start(file, list, env), Run.Describe(file, list));
    }

    /// <summary>Starts <paramref name="file"/> inside network namespace <paramref name="ns"/> (<c>ip netns exec</c>).</summary>
    public static Daemon StartIn(string ns, string file, IEnumerable<string> args, IDictionary<string, string>? env = null) =>
        Start("ip", new[] { "netns", "exec", ns, file }.Concat(args), env);

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>The exit code (throws while it runs).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything it printed so far (stdout and stderr interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Throws with the exit code and output if the process is no longer running.</summary>
    public void EnsureRunning(string activity)
    {
        if (_process.HasExited)
        {
            _process.WaitForExit();
            throw new InvalidOperationException(
                $"{Command} exited with code {_process.ExitCode} while {activity}\n--- output\n{Output}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails fast if the process died, or after the timeout (with its output).</summary>
    public void WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        try
        {
            Poll.Until(() =>
            {
                EnsureRunning("waiting for " + what);
                return condition();
            }, what + " (" + Command + ")", timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n--- output\n" + Output, e);
        }
    }

    /// <summary>Waits for the output to contain <paramref name="text"/>.</summary>
    public void WaitForOutput(string text, TimeSpan? timeout = null) =>
        WaitUntil(() => Output.Contains(text, StringComparison.Ordinal), $"output '{text}'", timeout);

    /// <summary>Waits for the process to exit by itself; false on timeout.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        _process.WaitForExit();
        return true;
    }

    /// <summary>Sends SIGINT to this PID (a tool then writes its summary and exits) and waits up to <paramref name="timeout"/> for it to exit.</summary>
    public bool Interrupt(TimeSpan timeout)
    {
        if (_disposed || _process.HasExited)
        {
            return true;
        }
        Run.Exec("kill", ["-INT", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return WaitForExit(timeout);
    }

    /// <summary>Sends SIGKILL to this PID (kill -9) and waits for it to be reaped.</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.WaitForExit(10_000);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Kill();
        _disposed = true;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            if (_output.Length < MaxKeptChars)
            {
                _output.AppendLine(line);
            }
        }
    }
}

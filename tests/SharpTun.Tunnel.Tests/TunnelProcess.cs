using System.Diagnostics;
using System.Text;
using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

/// <summary>A <c>sharptun tunnel</c> child process in a namespace, with its output collected (the pipes are always drained).</summary>
internal sealed class TunnelProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public TunnelProcess(NetNs ns, IEnumerable<string> args)
    {
        _process = ns.Start("dotnet", Repo.Cli(["tunnel", .. args]));
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public int Count(string text)
    {
        var s = Output;
        var n = 0;
        for (var i = s.IndexOf(text, StringComparison.Ordinal); i >= 0; i = s.IndexOf(text, i + text.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    public void WaitFor(string text, int count = 1, double seconds = 20) =>
        Poll.Until(() => Count(text) >= count || _process.HasExited, $"'{text}' x{count} in tunnel output", TimeSpan.FromSeconds(seconds));

    public void WaitForStart()
    {
        WaitFor("sharptun tunnel:");
        Assert.False(_process.HasExited, "tunnel exited at start:\n" + Output);
    }

    /// <summary>Resident memory in KiB (VmRSS).</summary>
    public long RssKiB()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Signal(string signal) => Run.Exec("kill", [$"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill9()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>SIGTERM and wait for a clean exit; returns the exit code.</summary>
    public int Stop()
    {
        Signal("TERM");
        Assert.True(_process.WaitForExit(10_000), "tunnel did not exit on SIGTERM:\n" + Output);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

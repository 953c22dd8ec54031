using System.Diagnostics;
using System.Text;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Lab;

/// <summary>
/// A tool (ping, iperf3) started inside a lab namespace: the fork happens on a thread that has
/// entered the namespace, so the child lives there (namespaces are per task). Output is collected.
/// </summary>
internal sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LabProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    public int Pid => _process.Id;

    public static LabProcess Start(string nameSpace, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        try
        {
            return new LabProcess(NetNamespace.Run(nameSpace, () => Process.Start(psi)!));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"cannot run {file}: {e.Message}", e);
        }
    }

    /// <summary>Waits for exit (killing it at the deadline or on cancellation); returns the exit code.</summary>
    public int Wait(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            _process.WaitForExitAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            Kill();
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{_process.StartInfo.FileName} did not finish within {timeout.TotalSeconds:0} s");
        }
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public bool WaitForOutput(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }
            if (_process.HasExited || cancellationToken.WaitHandle.WaitOne(50))
            {
                break;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return Output.Contains(text, StringComparison.Ordinal);
    }

    public void Kill()
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

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}

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

    /// <summary>Waits for <paramref name="text"/> in the output; fails at once (with the output) when the process exits first.</summary>
    public void WaitFor(string text, int count = 1, double seconds = 20)
    {
        Poll.Until(() => Count(text) >= count || _process.HasExited, $"'{text}' x{count} in tunnel output", TimeSpan.FromSeconds(seconds));
        if (Count(text) < count)
        {
            Assert.Fail($"the tunnel exited (code {ExitCodeText()}) before printing '{text}' x{count}:\n{Output}");
        }
    }

    /// <summary>Waits for the documented start line ("sharptun tunnel: DEV (...) &lt;-&gt; TRANSPORT").</summary>
    public void WaitForStart() => WaitFor("sharptun tunnel:");

    /// <summary>
    /// The counters the tunnel prints on SIGUSR1 (the documented status block), as name → value:
    /// "DEV -> peer packets", "connections", "refused", "timed out", "protocol errors", "dropped runt", …
    /// </summary>
    public IReadOnlyDictionary<string, long> Counters()
    {
        var before = Count("keepalives: sent");
        Signal("USR1");
        WaitFor("keepalives: sent", before + 1, 10);
        var text = Output;
        return ParseCounters(text[text.LastIndexOf("-> peer: ", StringComparison.Ordinal)..]);
    }

    /// <summary>Polls <see cref="Counters"/> until <paramref name="condition"/> holds; fails fast when the process exits.</summary>
    public IReadOnlyDictionary<string, long> WaitForCounters(Func<IReadOnlyDictionary<string, long>, bool> condition, string what, double seconds = 20)
    {
        IReadOnlyDictionary<string, long> last = new Dictionary<string, long>();
        Poll.Until(() =>
        {
            Assert.False(_process.HasExited, $"the tunnel exited (code {ExitCodeText()}) while waiting for {what}:\n{Output}");
            last = Counters();
            return condition(last);
        }, what, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(200));
        return last;
    }

    /// <summary>Waits until the tunnel has had at least <paramref name="count"/> peers (TCP connections, UDP peers learned).</summary>
    public void WaitForPeer(int count = 1, double seconds = 20) => WaitForCounters(c => c["connections"] >= count, $"{count} peer(s)", seconds);

    internal static IReadOnlyDictionary<string, long> ParseCounters(string block)
    {
        var result = new Dictionary<string, long>();
        void Add(string pattern, params string[] names)
        {
            var m = System.Text.RegularExpressions.Regex.Match(block, pattern);
            for (var i = 0; i < names.Length && m.Success; i++)
            {
                result[names[i]] = long.Parse(m.Groups[i + 1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        Add(@"-> peer: (\d+) packets, (\d+) bytes", "to peer packets", "to peer bytes");
        Add(@"peer -> \S+: (\d+) packets, (\d+) bytes", "from peer packets", "from peer bytes");
        Add(@"offloads: super-packets split (\d+), written (\d+), refused (\d+)", "super-packets split", "super-packets written", "offload refused");
        foreach (var name in new[] { "connections", "refused", "timed out", "protocol errors" })
        {
            Add($@"{name}: (\d+)", name);
        }
        foreach (var name in new[] { "no peer", "send failed", "runt", "oversize", "foreign", "device write errors" })
        {
            Add($@"dropped:.*\b{name} (\d+)", "dropped " + name);
        }
        Add(@"keepalives: sent (\d+), received (\d+)", "keepalives sent", "keepalives received");
        return result;
    }

    private string ExitCodeText() => _process.HasExited ? _process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";

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

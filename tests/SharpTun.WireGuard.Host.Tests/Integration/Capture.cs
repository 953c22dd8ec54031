namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>tcpdump on a lab host's interface, read back with tshark: the UDP payloads of what matched a filter.</summary>
internal sealed class Capture : IDisposable
{
    private readonly LabHost _host;
    private readonly Daemon _tcpdump;

    internal string File { get; }

    /// <summary>Starts <c>tcpdump -U -c COUNT -w FILE FILTER</c> and waits until it listens.</summary>
    internal Capture(LabHost host, string dev, int count, string filter)
    {
        _host = host;
        File = Path.Combine(Path.GetTempPath(), UniqueName.Next("cap") + ".pcap");
        _tcpdump = Daemon.StartIn(host.Name, "tcpdump", ["-i", dev, "-n", "-U", "--immediate-mode", "-s", "2048", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", File, filter]);
        _tcpdump.WaitForOutput("listening on", TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for tcpdump to have captured its count and exit.</summary>
    internal void WaitComplete(TimeSpan timeout)
    {
        if (!_tcpdump.WaitForExit(timeout))
        {
            throw new TimeoutException($"tcpdump did not capture its packets within {timeout.TotalSeconds} s:\n{_tcpdump.Output}");
        }
    }

    /// <summary>
    /// Calls <paramref name="send"/> (one packet each, about one per 0.2 ms) until tcpdump has its count and
    /// exits: a loaded tunnel may drop some of them, so the count comes from what was seen on the wire.
    /// Bounded by <paramref name="maxSends"/> and <paramref name="timeout"/>.
    /// </summary>
    internal int SendUntilComplete(Action<int> send, int maxSends, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var i = 0;
        while (!_tcpdump.WaitForExit(TimeSpan.Zero))
        {
            if (i >= maxSends || sw.Elapsed > timeout)
            {
                throw new TimeoutException($"tcpdump did not capture its packets after {i} sends in {sw.Elapsed.TotalSeconds:0} s:\n{_tcpdump.Output}");
            }
            send(i++);
            if (i % 10 == 0)
            {
                Thread.Sleep(2);
            }
        }
        return i;
    }

    /// <summary>Stops tcpdump with SIGINT (it flushes and closes the file) before its count was reached.</summary>
    internal void Stop()
    {
        if (!_tcpdump.Interrupt(TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException($"tcpdump did not stop on SIGINT:\n{_tcpdump.Output}");
        }
    }

    /// <summary>The UDP payloads, in capture order (<c>tshark -r FILE -T fields -e udp.payload</c>).</summary>
    internal List<byte[]> UdpPayloads()
    {
        var r = _host.Must("tshark", "-r", File, "-T", "fields", "-e", "udp.payload");
        return r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => Convert.FromHexString(h.Replace(":", "", StringComparison.Ordinal))).ToList();
    }

    public void Dispose()
    {
        _tcpdump.Dispose();
        System.IO.File.Delete(File);
    }
}

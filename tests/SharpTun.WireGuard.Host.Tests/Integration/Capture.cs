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
        _tcpdump = Daemon.StartIn(host.Name, "tcpdump", ["-i", dev, "-n", "-U", "-s", "2048", "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-w", File, filter]);
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

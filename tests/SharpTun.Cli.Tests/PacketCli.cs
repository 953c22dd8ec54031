using System.Diagnostics;

namespace SharpTun.Cli.Tests;

/// <summary>Helpers for the packet commands' tests: readiness of a device, tshark, graceful stop.</summary>
internal static class PacketCli
{
    /// <summary>
    /// Waits until the kernel has activated the device's queueing after a reader attached: until
    /// then (linkwatch runs asynchronously after carrier-on) packets sent to it are dropped.
    /// </summary>
    internal static void WaitCarrier(this NetNs ns, string dev)
    {
        ns.WaitAttached(dev);
        Poll.Until(() => ns.Sys($"/sys/class/net/{dev}/operstate") != "down", $"{dev} operstate other than down",
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Sends SIGTERM (the command prints its summary and exits 143) and collects stdout.</summary>
    internal static (int ExitCode, string StdOut) Stop(Process p)
    {
        Run.Exec("kill", ["-TERM", p.Id.ToString()]).EnsureSuccess();
        Assert.True(p.WaitForExit(20_000), "process did not exit after SIGTERM");
        return (p.ExitCode, p.StandardOutput.ReadToEnd());
    }

    internal static List<string[]> Tshark(string pcap, params string[] fields)
    {
        var args = new List<string> { "-n", "-r", pcap, "-T", "fields", "-E", "separator=|" };
        foreach (var f in fields)
        {
            args.AddRange(["-e", f]);
        }
        var r = Run.Exec("tshark", args, TimeSpan.FromSeconds(60)).EnsureSuccess();
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))];
    }

    internal static string TsharkMalformed(string pcap) =>
        Run.Exec("tshark", ["-n", "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity == error"], TimeSpan.FromSeconds(60))
            .EnsureSuccess().StdOut.Trim();

    /// <summary>Counts records in a pcap file being written (header 24 bytes, each record 16 + caplen).</summary>
    internal static int PcapRecords(string path)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var b = new byte[f.Length];
            f.ReadExactly(b);
            var n = 0;
            for (var at = 24; at + 16 <= b.Length; n++)
            {
                at += 16 + BitConverter.ToInt32(b, at + 8);
            }
            return n;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    internal static string TempPcap() => Path.Combine(Path.GetTempPath(), $"sharptun-{Guid.NewGuid():N}.pcap");
}

using SharpTun.Testing;

namespace SharpTun.Packets.Tests;

/// <summary>Runs tshark on a pcap file: the judge of what our bytes mean.</summary>
internal static class Tshark
{
    /// <summary>One row per packet, one column per field (multiple occurrences joined with ',').</summary>
    public static List<string[]> Fields(string pcap, IEnumerable<string> options, params string[] fields)
    {
        var args = new List<string> { "-n", "-r", pcap };
        args.AddRange(options);
        args.AddRange(["-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]);
        foreach (var f in fields)
        {
            args.AddRange(["-e", f]);
        }
        var r = Run.Exec("tshark", args, TimeSpan.FromSeconds(60)).EnsureSuccess();
        return [.. r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|'))];
    }

    /// <summary>Packets tshark flags as malformed (expert info), as its summary lines; empty when none.</summary>
    public static string Malformed(string pcap) =>
        Run.Exec("tshark", ["-n", "-r", pcap, "-Y", "_ws.malformed || _ws.expert.severity == error"], TimeSpan.FromSeconds(60)).EnsureSuccess().StdOut.Trim();

    public static string WritePcap(LinkType link, IEnumerable<byte[]> packets)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharptun-test-{Guid.NewGuid():N}.pcap");
        using var w = new PcapWriter(File.Create(path), link);
        var t = 1_700_000_000_000_000L;
        foreach (var p in packets)
        {
            w.Write(p, t);
            t += 1000;
        }
        return path;
    }
}

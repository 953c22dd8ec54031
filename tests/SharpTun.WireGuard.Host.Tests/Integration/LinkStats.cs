using System.Text.Json;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>A device's kernel counters as <c>ip -j -s link show dev X</c> reports them.</summary>
internal sealed record LinkStats(long RxPackets, long RxBytes, long TxPackets, long TxBytes)
{
    internal static LinkStats Read(LabHost host, string dev)
    {
        var json = host.Must("ip", "-j", "-s", "link", "show", "dev", dev).StdOut;
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement[0].GetProperty("stats64");
        var rx = s.GetProperty("rx");
        var tx = s.GetProperty("tx");
        return new LinkStats(rx.GetProperty("packets").GetInt64(), rx.GetProperty("bytes").GetInt64(),
            tx.GetProperty("packets").GetInt64(), tx.GetProperty("bytes").GetInt64());
    }

    /// <summary>True if the namespace has a link named <paramref name="dev"/> (<c>ip -j link</c>).</summary>
    internal static bool Exists(LabHost host, string dev)
    {
        using var doc = JsonDocument.Parse(host.Must("ip", "-j", "link").StdOut);
        return doc.RootElement.EnumerateArray().Any(l => l.GetProperty("ifname").GetString() == dev);
    }

    /// <summary>Routes of both families (all tables) that name <paramref name="dev"/>, as text for messages.</summary>
    internal static List<string> RoutesVia(LabHost host, string dev)
    {
        List<string> found = [];
        foreach (var family in new[] { "-4", "-6" })
        {
            using var doc = JsonDocument.Parse(host.Must("ip", family, "-j", "route", "show", "table", "all").StdOut);
            foreach (var r in doc.RootElement.EnumerateArray())
            {
                if (r.TryGetProperty("dev", out var d) && d.GetString() == dev)
                {
                    found.Add(r.GetRawText());
                }
            }
        }
        return found;
    }

    /// <summary>Addresses on <paramref name="dev"/> as "addr/prefix" (<c>ip -j addr</c>).</summary>
    internal static List<string> Addresses(LabHost host, string dev)
    {
        var r = host.Exec("ip", "-j", "addr", "show", "dev", dev);
        if (r.ExitCode != 0)
        {
            return [];
        }
        using var doc = JsonDocument.Parse(r.StdOut);
        List<string> found = [];
        foreach (var l in doc.RootElement.EnumerateArray())
        {
            if (l.TryGetProperty("addr_info", out var infos))
            {
                foreach (var a in infos.EnumerateArray())
                {
                    found.Add($"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }
        return found;
    }
}

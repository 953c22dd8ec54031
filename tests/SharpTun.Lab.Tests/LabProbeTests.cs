using System.Net;
using System.Text.Json;
using SharpTun.Lab;

namespace SharpTun.Lab.Tests;

/// <summary>The lab's own building blocks against the kernel: the topology (judged by ip -j), the ICMP probe, the bulk transfer.</summary>
public sealed class LabProbeTests
{
    [RootFact]
    public void Topology_has_the_wire_addresses_and_leaves_nothing_behind()
    {
        string a, b;
        using (var t = LabTopology.Create("stlt"))
        {
            a = t.NamespaceA;
            b = t.NamespaceB;
            Assert.NotEqual(a, b);
            Assert.Equal(["198.18.0.1/24"], Addresses(a));
            Assert.Equal(["198.18.0.2/24"], Addresses(b));
        }
        var after = Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut;
        Assert.DoesNotContain(a, after);
        Assert.DoesNotContain(b, after);
    }

    [RootFact]
    public void Icmp_probe_counts_the_kernels_replies_and_the_missing_ones()
    {
        using var t = LabTopology.Create("stlt");
        var ok = IcmpProbe.Ping(t.NamespaceB, t.WireA.Address, 3, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));
        Assert.Equal(3, ok.Sent);
        Assert.Equal(3, ok.Received);
        Assert.InRange(ok.RttMinMs!.Value, 0.0001, 1000);
        Assert.True(ok.RttMinMs <= ok.RttAverageMs && ok.RttAverageMs <= ok.RttMaxMs);
        // Nobody has .77 on the wire: no replies, and the probe gives up after its timeout.
        var none = IcmpProbe.Ping(t.NamespaceB, IPAddress.Parse("198.18.0.77"), 2, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300));
        Assert.Equal(new PingResult(2, 0, null, null, null), none);
    }

    [RootFact]
    public void Bulk_transfer_measures_the_wire()
    {
        using var t = LabTopology.Create("stlt");
        var r = BulkTransfer.Run(t.NamespaceA, t.WireA.Address, t.NamespaceB, TimeSpan.FromSeconds(1));
        Assert.Equal(ThroughputTool.BuiltIn, r.Tool);
        Assert.Null(r.Note);
        Assert.True(r.Bytes > 1_000_000, $"only {r.Bytes} bytes");
        Assert.InRange(r.BitsPerSecond!.Value, 1e7, 1e12);
    }

    private static string[] Addresses(string ns)
    {
        using var json = JsonDocument.Parse(Run.Exec("ip", ["-n", ns, "-j", "addr", "show", "dev", LabTopology.WireDevice]).EnsureSuccess().StdOut);
        return [.. json.RootElement[0].GetProperty("addr_info").EnumerateArray().Where(a => a.GetProperty("family").GetString() == "inet")
            .Select(a => $"{a.GetProperty("local").GetString()}/{a.GetProperty("prefixlen").GetInt32()}")];
    }
}

using System.Net;
using System.Text.Json;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// <see cref="NetworkSetup.AddRoutes"/> with thousands of AllowedIPs, sent many per netlink datagram, judged by
/// <c>ip -j route</c>: every route present after, gone after <see cref="NetworkSetup.Undo"/>; one that already exists
/// fails alone, named, while the others are added and then undone.
/// </summary>
public sealed class RouteBatchLiveTests(ITestOutputHelper output)
{
    private const int V4 = 3000;
    private const int V6 = 1000;

    private static List<IPNetwork> Prefixes() =>
    [
        .. Enumerable.Range(0, V4).Select(i => IPNetwork.Parse($"198.18.{1 + (i >> 8)}.{i & 255}/32")),
        .. Enumerable.Range(0, V6).Select(i => IPNetwork.Parse($"2001:db8:1::{i + 1:x}/128")),
        IPNetwork.Parse("198.19.0.5/32"), // covered by the address's connected route: skipped, as wg-quick does
        IPNetwork.Parse("198.18.200.0/24"),
    ];

    /// <summary>The destinations of <c>ip -j [-6] route show dev DEV proto boot</c> (the routes NetworkSetup adds).</summary>
    private static HashSet<string> Routes(NetNs ns, string dev, bool v6)
    {
        var json = ns.Exec("ip", [.. v6 ? new[] { "-6" } : [], "-j", "route", "show", "dev", dev, "proto", "boot"]).EnsureSuccess().StdOut;
        using var doc = JsonDocument.Parse(json);
        return [.. doc.RootElement.EnumerateArray().Select(r => r.GetProperty("dst").GetString()!)];
    }

    private static HashSet<string> Expected(bool v6) =>
    [
        .. Prefixes().Where(p => (p.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) == v6 && !p.Contains(IPAddress.Parse("198.19.0.5")))
            .Select(p => p.PrefixLength is 32 or 128 ? p.BaseAddress.ToString() : p.ToString()),
    ];

    [RootFact]
    public void AddRoutes_ThousandsOfAllowedIps_AllPresent_ThenUndoRemovesAll()
    {
        using var ns = NetNs.Create("strb");
        var name = UniqueName.Next("wrb");
        using var tun = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, Exclusive = true }));
        using var nl = RtNetlink.OpenInNamespace(ns.Name);
        var setup = new NetworkSetup(nl, name);
        setup.ConfigureLink([IpPrefix.Parse("198.19.0.1/24"), IpPrefix.Parse("2001:db8:ffff::1/64")], NetworkSetup.DefaultMtu);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        setup.AddRoutes(Prefixes(), table: null);
        output.WriteLine($"{V4 + V6 + 1} routes added in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(V4 + V6 + 1, setup.AddedRoutes.Count);
        Assert.Equal(Expected(v6: false), Routes(ns, name, v6: false));
        Assert.Equal(Expected(v6: true), Routes(ns, name, v6: true));

        watch.Restart();
        setup.Undo();
        output.WriteLine($"undone in {watch.ElapsedMilliseconds} ms");
        Assert.Empty(setup.AddedRoutes);
        Assert.Empty(Routes(ns, name, v6: false));
        Assert.Empty(Routes(ns, name, v6: true));
        // The connected route of the address is the kernel's, not ours: it stays.
        Assert.Contains("198.19.0.0/24", ns.Exec("ip", ["-j", "route", "show", "dev", name]).EnsureSuccess().StdOut, StringComparison.Ordinal);
    }

    [RootFact]
    public void AddRoutes_OneAlreadyExists_FailsNamingIt_OthersAddedAndUndone()
    {
        using var ns = NetNs.Create("strb");
        var name = UniqueName.Next("wrb");
        using var tun = NetNamespace.Run(ns.Name, () => TunDevice.Open(new TunOptions { Name = name, Exclusive = true }));
        using var nl = RtNetlink.OpenInNamespace(ns.Name);
        var setup = new NetworkSetup(nl, name);
        setup.ConfigureLink([IpPrefix.Parse("198.19.0.1/24")], NetworkSetup.DefaultMtu);
        ns.Ip("route add 198.18.2.7/32 dev lo");

        var e = Assert.Throws<NetlinkException>(() => setup.AddRoutes(Prefixes(), table: null));
        Assert.Equal($"cannot add route 198.18.2.7/32 dev {name}: file exists", e.Message.Split(" (")[0]);
        Assert.Equal(V4 + V6, setup.AddedRoutes.Count);
        var expected = Expected(v6: false);
        expected.Remove("198.18.2.7");
        Assert.Equal(expected, Routes(ns, name, v6: false));

        setup.Undo();
        Assert.Empty(Routes(ns, name, v6: false));
        Assert.Empty(Routes(ns, name, v6: true));
        Assert.Contains("198.18.2.7", ns.Exec("ip", ["-j", "route", "show", "dev", "lo"]).EnsureSuccess().StdOut, StringComparison.Ordinal);
    }
}

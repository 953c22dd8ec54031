using System.Net;
using SharpTun.Netlink;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// What wg up keeps of its routes for the undo (<see cref="AddedRouteList"/>: 8 bytes an IPv4 route, 18 an IPv6 one)
/// and the order it adds them in (<see cref="NetworkSetup.LongestFirst"/>): round trips and a model check against
/// LINQ's Distinct().OrderByDescending on random prefixes.
/// </summary>
public sealed class AddedRouteListTests(ITestOutputHelper output)
{
    private static RouteSpec Route(string prefix, uint? table = null) => new()
    {
        Destination = IpPrefix.Parse(prefix),
        Device = "wg0",
        Table = table,
        IPv6 = prefix.Contains(':', StringComparison.Ordinal),
    };

    [Fact]
    public void Add_ThenRead_GivesTheSameRoutes_IPv4First_EachInTheOrderAdded()
    {
        var list = new AddedRouteList("wg0");
        RouteSpec[] added =
        [
            Route("198.18.0.1/32"), Route("2001:db8::1/128", 1234), Route("198.18.4.0/22", 300), Route("0.0.0.0/0"),
            Route("2001:db8:ff00::/40"), Route("255.255.255.255/32", 4_000_000_000),
        ];
        foreach (var r in added)
        {
            list.Add(r);
        }
        RouteSpec[] expected = [added[0], added[2], added[3], added[5], added[1], added[4]];
        Assert.Equal(expected, list.ToArray());
        Assert.Equal(expected.Length, list.Count);
        Assert.Equal(expected[4], list[4]);
        Assert.Equal("198.18.4.0/22 dev wg0 table 300", list[1].ToString());
        Assert.Equal(Enumerable.Reverse(expected), list.Reversed(4).SelectMany(c => c));
        Assert.Equal([4, 2], list.Reversed(4).Select(c => c.Count));
        list.Clear();
        Assert.Empty(list);
        Assert.Empty(list.Reversed(4));
    }

    [Fact]
    public void HundredThousandIPv4Routes_Take8BytesEach()
    {
        var list = new AddedRouteList("wg0");
        list.Reserve(100_000, 0);
        for (var i = 0; i < 100_000; i++)
        {
            list.Add(new RouteSpec { Destination = new IpPrefix(new IPAddress([198, 18, (byte)(i >> 8), (byte)i]), 32), Device = "wg0" });
        }
        Assert.Equal(800_000, list.RetainedBytes);
        Assert.Equal("198.18.134.159/32 dev wg0", list[99_999].ToString());
    }

    [Fact]
    public void Add_RefusesWhatItCannotRecordExactly()
    {
        var list = new AddedRouteList("wg0");
        var e = Assert.Throws<ArgumentException>(() => list.Add(Route("198.18.0.1/32") with { Gateway = IPAddress.Parse("198.18.0.2") }));
        Assert.StartsWith("route 198.18.0.1/32 via 198.18.0.2 dev wg0 is not a plain route on wg0: it cannot be recorded compactly", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => list.Add(Route("198.18.0.1/32") with { Device = "wg1" }));
        Assert.Throws<ArgumentException>(() => list.Add(Route("198.18.0.1/32") with { Destination = null }));
        Assert.Empty(list);
    }

    [Fact]
    public void LongestFirst_IsDistinctThenStableOrderByDescendingLength_OnRandomPrefixes()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        for (var round = 0; round < 50; round++)
        {
            var prefixes = new List<IPNetwork>();
            for (var i = rng.Next(0, 400); i > 0; i--)
            {
                var v6 = rng.Next(3) == 0;
                var bytes = new byte[v6 ? 16 : 4];
                rng.NextBytes(bytes);
                bytes[0] &= 3; // few distinct first bytes: duplicates happen
                var length = rng.Next(0, (v6 ? 128 : 32) + 1);
                prefixes.Add(new IPNetwork(NetworkSetup.Mask(new IPAddress(bytes), length), length));
            }
            // Duplicates on purpose, some later in the list.
            prefixes.AddRange(prefixes.Take(prefixes.Count / 4).ToList());
            IEnumerable<IPNetwork> lazy = prefixes.Where(_ => true);
            Assert.Equal(prefixes.Distinct().OrderByDescending(p => p.PrefixLength), NetworkSetup.LongestFirst(prefixes));
            Assert.Equal(prefixes.Distinct().OrderByDescending(p => p.PrefixLength), NetworkSetup.LongestFirst(lazy));
        }
    }
}

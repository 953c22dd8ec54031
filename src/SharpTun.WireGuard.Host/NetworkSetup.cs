using System.Net;
using System.Net.Sockets;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// What wg-quick does with ip(8), over rtnetlink: MTU, addresses, link up, and a route through the
/// interface for each allowed-IPs prefix that no existing route on the interface already covers
/// (<c>ip route show dev $IF match $PREFIX</c>), least specific last as wg-quick sorts them; a /0 with
/// Table = auto goes to the full-tunnel setup instead.
/// Records what it added so <see cref="Undo"/> removes exactly that.
/// </summary>
public sealed class NetworkSetup
{
    /// <summary>wg-quick's fallback MTU (no route to learn one from): a 1500-byte wire minus the largest WireGuard overhead (IPv6 40 + UDP 8 + 32 data header/tag).</summary>
    public const int DefaultMtu = 1420;

    private readonly RtNetlinkClient _netlink;
    private readonly string _device;
    private readonly AddedRouteList _routes;

    /// <summary>Routes per undo request list: bounds what an undo of 100,000 routes allocates at once.</summary>
    private const int UndoChunk = 8192;

    /// <summary>Configures <paramref name="device"/> through <paramref name="netlink"/>.</summary>
    public NetworkSetup(RtNetlinkClient netlink, string device)
    {
        _netlink = netlink;
        _device = device;
        _routes = new AddedRouteList(device);
    }

    /// <summary>Routes this setup added (what <see cref="Undo"/> deletes); kept compactly, each element made on reading.</summary>
    public IReadOnlyList<RouteSpec> AddedRoutes => _routes;

    /// <summary>
    /// wg-quick's MTU when the config sets none (set_mtu_up): the largest MTU of the routes to the peers'
    /// endpoints (<c>ip route get $ENDPOINT</c>: the route's own <c>mtu</c>, else its device's), else that of the
    /// main table's IPv4 default route (<c>ip route show default</c>), else 1500; minus 80, WireGuard's largest
    /// overhead (IPv6 40 + UDP 8 + 32 data header and tag). An endpoint with no route counts for nothing.
    /// </summary>
    public static int AutoMtu(RtNetlinkClient netlink, IEnumerable<IPAddress> endpoints)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(endpoints);
        var mtu = 0;
        foreach (var endpoint in endpoints)
        {
            RouteInfo route;
            try
            {
                route = netlink.RouteGet(endpoint);
            }
            catch (NetlinkException)
            {
                continue; // wg-quick: "ip route get … || true"
            }
            mtu = Math.Max(mtu, RouteMtu(netlink, route));
        }
        if (mtu == 0 && netlink.GetRoutes(AddressFamily.InterNetwork).FirstOrDefault(r => r.Table == 254 && r.DestinationLength == 0) is { } main)
        {
            mtu = RouteMtu(netlink, main);
        }
        return (mtu > 0 ? mtu : 1500) - 80;
    }

    private static int RouteMtu(RtNetlinkClient netlink, RouteInfo route)
    {
        if (route.Mtu is { } m and > 0)
        {
            return (int)m;
        }
        if (route.OutputIndex is not { } index)
        {
            return 0;
        }
        try
        {
            return netlink.GetLink(index).Mtu;
        }
        catch (NetlinkException)
        {
            return 0;
        }
    }

    /// <summary>Equivalent to: <c>ip link set $IF mtu $MTU; ip addr add $ADDR dev $IF; ip link set $IF up</c>.</summary>
    public void ConfigureLink(IEnumerable<IpPrefix> addresses, int mtu)
    {
        _netlink.LinkSetMtu(_device, mtu);
        foreach (var address in addresses)
        {
            _netlink.AddressAdd(_device, address, new AddressOptions
            {
                BroadcastFromPrefix = address.IsIPv4,
                NoDad = !address.IsIPv4,
            });
        }
        _netlink.LinkSetUp(_device);
    }

    /// <summary>
    /// Adds <c>ip route add $PREFIX dev $IF [table $T]</c> for each prefix (table: null/"auto" = main,
    /// "off" = none, else the id); in the main table a prefix already covered by a route on the
    /// interface (an address's connected route) is skipped, as wg-quick does, and a /0 is left to the
    /// full-tunnel setup (its own table and rules), as wg-quick's add_default.
    /// </summary>
    public void AddRoutes(IEnumerable<IPNetwork> allowedIps, string? table)
    {
        if (table == "off")
        {
            return;
        }
        uint? tableId = table is null or "auto" ? null : uint.Parse(table, System.Globalization.CultureInfo.InvariantCulture);
        var index = _netlink.GetLink(_device).Index;
        // The interface's main-table routes, listed once (not once per prefix: with 100,000 peers that was a
        // dump of every route per route). The routes added below never cover a later prefix: they come
        // longest first and are distinct.
        var onLink = tableId is null
            ? _netlink.GetRoutes().Where(r => r.OutputIndex == index && r.Table == 254 && r.Destination is not null).ToList()
            : [];
        var prefixes = LongestFirst(allowedIps);
        var routes = new List<RouteSpec>(prefixes.Length);
        foreach (var prefix in prefixes)
        {
            if (tableId is null && (prefix.PrefixLength == 0 || Covered(onLink, prefix)))
            {
                continue;
            }
            routes.Add(new RouteSpec
            {
                Destination = new IpPrefix(prefix.BaseAddress, prefix.PrefixLength),
                Device = _device,
                Table = tableId,
                IPv6 = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6,
            });
        }
        // Many requests per netlink datagram: 100,000 AllowedIPs are ~1,600 round trips, not 200,000.
        var results = _netlink.RouteAddMany(routes);
        var v6 = routes.Count(r => r.IPv6);
        _routes.Reserve(routes.Count - v6, v6);
        NetlinkException? first = null;
        for (var i = 0; i < routes.Count; i++)
        {
            if (results[i] is { } error)
            {
                first ??= error;
            }
            else
            {
                _routes.Add(routes[i]);
            }
        }
        if (first is not null)
        {
            throw first; // the routes that were added are recorded: Undo removes them
        }
    }

    /// <summary>Deletes the routes <see cref="AddRoutes"/> added (those already gone with the link are skipped), many per netlink datagram.</summary>
    public void Undo()
    {
        if (_routes.Count == 0)
        {
            return;
        }
        try
        {
            foreach (var routes in _routes.Reversed(UndoChunk))
            {
                // A failed delete (gone with the link, or removed by hand) does not stop the others.
                _netlink.RouteDeleteMany(routes);
            }
        }
        catch (NetlinkException)
        {
            // The link itself is gone: so are its routes.
        }
        _routes.Clear();
    }

    /// <summary>Bytes the record of added routes takes, for the memory tests.</summary>
    internal long RetainedBytes => _routes.RetainedBytes;

    /// <summary>
    /// The distinct prefixes, longest first, in their first order within a length (what Distinct().OrderByDescending
    /// gives), made into arrays of their exact size: LINQ's growing buffers come from the shared array pool, which
    /// keeps megabytes of them for the life of the process after 100,000 routes (issue 20).
    /// </summary>
    internal static IPNetwork[] LongestFirst(IEnumerable<IPNetwork> prefixes)
    {
        var seen = prefixes is ICollection<IPNetwork> c ? new HashSet<IPNetwork>(c.Count) : [];
        var unique = prefixes is ICollection<IPNetwork> d ? new List<IPNetwork>(d.Count) : [];
        Span<int> starts = stackalloc int[130];
        foreach (var p in prefixes)
        {
            if (seen.Add(p))
            {
                unique.Add(p);
                starts[128 - p.PrefixLength + 1]++;
            }
        }
        for (var i = 1; i < starts.Length; i++)
        {
            starts[i] += starts[i - 1];
        }
        var sorted = new IPNetwork[unique.Count];
        foreach (var p in unique)
        {
            sorted[starts[128 - p.PrefixLength]++] = p;
        }
        return sorted;
    }

    private static bool Covered(List<RouteInfo> onLink, IPNetwork prefix)
    {
        var family = prefix.BaseAddress.AddressFamily;
        foreach (var r in onLink)
        {
            if (r.Family != family || r.Destination is null)
            {
                continue;
            }
            if (r.DestinationLength <= prefix.PrefixLength && new IPNetwork(Mask(r.Destination, r.DestinationLength), r.DestinationLength).Contains(prefix.BaseAddress))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary><paramref name="address"/> with the bits beyond the first <paramref name="length"/> cleared.</summary>
    internal static IPAddress Mask(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - bits));
        }
        return new IPAddress(bytes);
    }
}

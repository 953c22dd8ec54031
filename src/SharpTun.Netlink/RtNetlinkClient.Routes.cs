using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    /// <summary>
    /// Lists routes of every table (cloned/cache entries excluded), of one family or both.
    /// Equivalent to: <c>ip route show table all</c> (<c>ip -6 route show table all</c>).
    /// </summary>
    public IReadOnlyList<RouteInfo> GetRoutes(AddressFamily family = AddressFamily.Unspecified)
    {
        var req = new NetlinkMessageBuilder(Nl.RTM_GETROUTE, Nl.F_DUMP);
        req.Reserve(Rt.RtMsgSize)[0] = FamilyByte(family);
        return [.. _connection.Query(req, "cannot list routes")
            .Where(m => m.Type == Nl.RTM_NEWROUTE)
            .Select(m => RouteInfo.Parse(m.Payload))
            .Where(r => (r.Flags & Rt.RTM_F_CLONED) == 0 && r.Family != AddressFamily.Unspecified)];
    }

    /// <summary>Adds a route; fails if it exists. Equivalent to: <c>ip route add $route</c>.</summary>
    public void RouteAdd(RouteSpec route) => ModifyRoute(route, Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_EXCL, "add");

    /// <summary>Adds a route or replaces the existing one. Equivalent to: <c>ip route replace $route</c>.</summary>
    public void RouteReplace(RouteSpec route) => ModifyRoute(route, Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_REPLACE, "replace");

    /// <summary>Changes an existing route; fails (no such file or directory) if there is none. Equivalent to: <c>ip route change $route</c>.</summary>
    public void RouteChange(RouteSpec route) => ModifyRoute(route, Nl.RTM_NEWROUTE, Nl.F_REPLACE, "change");

    /// <summary>Deletes a route (fields left unset match any). Equivalent to: <c>ip route del $route</c>.</summary>
    public void RouteDelete(RouteSpec route) => ModifyRoute(route, Nl.RTM_DELROUTE, 0, "delete");

    /// <summary>
    /// Asks the kernel which route it would use to reach <paramref name="destination"/>.
    /// Equivalent to: <c>ip route get $destination</c>.
    /// </summary>
    public RouteInfo RouteGet(IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var v4 = destination.AddressFamily == AddressFamily.InterNetwork;
        var req = new NetlinkMessageBuilder(Nl.RTM_GETROUTE, 0);
        var h = req.Reserve(Rt.RtMsgSize);
        h[0] = v4 ? Nl.AF_INET : Nl.AF_INET6;
        h[1] = (byte)(v4 ? 32 : 128);
        req.Add(Rt.RTA_DST, destination.GetAddressBytes());
        var replies = _connection.Query(req, $"cannot get a route to {destination}");
        var m = replies.FirstOrDefault(r => r.Type == Nl.RTM_NEWROUTE);
        return m.Payload is null
            ? throw new NetlinkFormatException($"no route message in the reply for {destination}")
            : RouteInfo.Parse(m.Payload);
    }

    /// <summary>
    /// Adds many routes, <see cref="NetlinkConnection.BatchSize"/> requests per netlink datagram (one round trip per
    /// batch, the device looked up once per name): what <c>ip -batch</c> of <c>route add</c> lines does, faster.
    /// Every route is tried; the result holds, per route in order, null when it was added or the error naming it
    /// (e.g. "cannot add route 198.19.0.0/24 dev wg0: file exists").
    /// </summary>
    public IReadOnlyList<NetlinkException?> RouteAddMany(IReadOnlyList<RouteSpec> routes) =>
        ModifyRoutes(routes, Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_EXCL, "add");

    /// <summary>Deletes many routes as <see cref="RouteAddMany"/> adds them; per route null when deleted, or the error naming it.</summary>
    public IReadOnlyList<NetlinkException?> RouteDeleteMany(IReadOnlyList<RouteSpec> routes) =>
        ModifyRoutes(routes, Nl.RTM_DELROUTE, 0, "delete");

    private NetlinkException?[] ModifyRoutes(IReadOnlyList<RouteSpec> routes, ushort type, ushort flags, string verb)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        var requests = new NetlinkMessageBuilder[routes.Count];
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i] ?? throw new ArgumentException($"route {i} is null", nameof(routes));
            var oif = 0;
            if (route.Device is { } device && !indexes.TryGetValue(device, out oif))
            {
                oif = IndexOf(device, $"cannot {verb} route {route}");
                indexes[device] = oif;
            }
            requests[i] = RouteRequest(route, type, flags, verb, oif);
        }
        return _connection.ExecuteMany(requests, i => $"cannot {verb} route {routes[i]}");
    }

    private void ModifyRoute(RouteSpec route, ushort type, ushort flags, string verb)
    {
        ArgumentNullException.ThrowIfNull(route);
        var oif = route.Device is null ? 0 : IndexOf(route.Device, $"cannot {verb} route {route}");
        _connection.Execute(RouteRequest(route, type, flags, verb, oif), $"cannot {verb} route {route}");
    }

    private static NetlinkMessageBuilder RouteRequest(RouteSpec route, ushort type, ushort flags, string verb, int oif)
    {
        var op = $"cannot {verb} route {route}";
        var family = route.Destination?.Address.AddressFamily ?? route.Gateway?.AddressFamily
            ?? (route.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        foreach (var a in new[] { route.Gateway, route.Source })
        {
            if (a is not null && a.AddressFamily != family)
            {
                throw new ArgumentException($"{op}: {a} is not of the destination's address family");
            }
        }
        var del = type == Nl.RTM_DELROUTE;
        var routeType = route.Type ?? (del ? (byte)0 : Rt.RTN_UNICAST);
        var table = route.Table ?? Rt.RT_TABLE_MAIN;
        var req = new NetlinkMessageBuilder(type, flags);
        var h = req.Reserve(Rt.RtMsgSize);
        h[0] = family == AddressFamily.InterNetwork ? Nl.AF_INET : Nl.AF_INET6;
        h[1] = (byte)(route.Destination?.Length ?? 0);
        h[4] = table < 256 ? (byte)table : Rt.RT_TABLE_UNSPEC;
        h[5] = route.Protocol ?? (del ? (byte)0 : Rt.RTPROT_BOOT);
        h[6] = route.Scope ?? DefaultRouteScope(family, routeType, del, route.Gateway is not null);
        h[7] = routeType;
        // Attribute order as iproute2 emits them for "DST via GW src SRC metric N table T dev D".
        if (route.Destination is { } dst)
        {
            req.Add(Rt.RTA_DST, dst.Address.GetAddressBytes());
        }
        if (route.Gateway is not null)
        {
            req.Add(Rt.RTA_GATEWAY, route.Gateway.GetAddressBytes());
        }
        if (route.Source is not null)
        {
            req.Add(Rt.RTA_PREFSRC, route.Source.GetAddressBytes());
        }
        if (route.Metric is { } metric)
        {
            req.AddU32(Rt.RTA_PRIORITY, metric);
        }
        if (table >= 256)
        {
            req.AddU32(Rt.RTA_TABLE, table);
        }
        if (oif != 0)
        {
            req.AddI32(Rt.RTA_OIF, oif);
        }
        return req;
    }

    /// <summary>iproute2's scope defaults (iproute_modify): IPv6 global; local/nat host; broadcast/multicast/anycast link;
    /// unicast without gateway link, with gateway global; delete matches any scope (nowhere).</summary>
    private static byte DefaultRouteScope(AddressFamily family, byte type, bool delete, bool hasGateway)
    {
        if (family == AddressFamily.InterNetworkV6)
        {
            return Rt.RT_SCOPE_UNIVERSE;
        }
        return type switch
        {
            2 or 10 => Rt.RT_SCOPE_HOST,
            3 or 4 or 5 => Rt.RT_SCOPE_LINK,
            0 or Rt.RTN_UNICAST when delete => Rt.RT_SCOPE_NOWHERE,
            0 or Rt.RTN_UNICAST when !hasGateway => Rt.RT_SCOPE_LINK,
            _ => Rt.RT_SCOPE_UNIVERSE,
        };
    }
}

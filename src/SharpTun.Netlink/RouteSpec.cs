using System.Net;

namespace SharpTun.Netlink;

/// <summary>
/// A route to add, replace or delete: <c>ip route add DST [via GW] [dev DEV] [src SRC] [metric N]
/// [table T] [scope S] [proto P] [type]</c>. Unset fields take iproute2's defaults.
/// </summary>
public sealed record RouteSpec
{
    /// <summary>Destination prefix; null means <c>default</c> (the family then comes from <see cref="Gateway"/> or <see cref="IPv6"/>).</summary>
    public IpPrefix? Destination { get; init; }
    /// <summary>Next-hop gateway (<c>via</c>).</summary>
    public IPAddress? Gateway { get; init; }
    /// <summary>Output device name (<c>dev</c>).</summary>
    public string? Device { get; init; }
    /// <summary>Preferred source address (<c>src</c>, RTA_PREFSRC).</summary>
    public IPAddress? Source { get; init; }
    /// <summary>Metric (<c>metric</c>, RTA_PRIORITY).</summary>
    public uint? Metric { get; init; }
    /// <summary>Table id (<c>table</c>); default main (254). Ids above 255 travel in RTA_TABLE.</summary>
    public uint? Table { get; init; }
    /// <summary>Scope (RT_SCOPE_*); default link for a gateway-less unicast route, global otherwise.</summary>
    public byte? Scope { get; init; }
    /// <summary>Protocol (RTPROT_*); default boot (3) like iproute2.</summary>
    public byte? Protocol { get; init; }
    /// <summary>Type (RTN_*); default unicast.</summary>
    public byte? Type { get; init; }
    /// <summary>For a default route without gateway: use IPv6.</summary>
    public bool IPv6 { get; init; }

    /// <summary>The route as a command line fragment, for messages.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Destination?.ToString() ?? "default" };
        if (Gateway is not null) { parts.Add($"via {Gateway}"); }
        if (Device is not null) { parts.Add($"dev {Device}"); }
        if (Source is not null) { parts.Add($"src {Source}"); }
        if (Metric is not null) { parts.Add($"metric {Metric}"); }
        if (Table is not null) { parts.Add($"table {Table}"); }
        return string.Join(' ', parts);
    }
}

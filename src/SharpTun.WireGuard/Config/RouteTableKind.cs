namespace SharpTun.WireGuard;

/// <summary>What wg-quick's <c>Table =</c> asks for.</summary>
public enum RouteTableKind
{
    /// <summary><c>auto</c> (the default): routes for AllowedIPs in the main table; a default route gets its own table and a fwmark rule.</summary>
    Auto,

    /// <summary><c>off</c>: no routes are added.</summary>
    Off,

    /// <summary>A numeric table id.</summary>
    Id,

    /// <summary>A table name from /etc/iproute2/rt_tables (kept unresolved).</summary>
    Name,
}

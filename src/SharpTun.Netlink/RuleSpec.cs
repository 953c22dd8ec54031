namespace SharpTun.Netlink;

/// <summary>
/// A rule to add or delete: <c>ip rule add [not] [from P] [to P] [fwmark M[/MASK]] [iif DEV] [oif DEV]
/// [priority N] [lookup T] [suppress_prefixlength N] [blackhole|unreachable|prohibit]</c>. Unset fields
/// take ip's defaults (add: lookup main; delete: match any).
/// </summary>
public sealed record RuleSpec
{
    /// <summary>IPv6 rule (when no prefix says the family).</summary>
    public bool IPv6 { get; init; }
    /// <summary><c>not</c>.</summary>
    public bool Invert { get; init; }
    /// <summary><c>from</c>.</summary>
    public IpPrefix? Source { get; init; }
    /// <summary><c>to</c>.</summary>
    public IpPrefix? Destination { get; init; }
    /// <summary><c>fwmark</c>.</summary>
    public uint? FwMark { get; init; }
    /// <summary><c>fwmark M/MASK</c>.</summary>
    public uint? FwMask { get; init; }
    /// <summary><c>iif</c>.</summary>
    public string? InputInterface { get; init; }
    /// <summary><c>oif</c>.</summary>
    public string? OutputInterface { get; init; }
    /// <summary><c>priority</c> (also <c>pref</c>, <c>order</c>).</summary>
    public uint? Priority { get; init; }
    /// <summary><c>lookup</c>/<c>table</c>.</summary>
    public uint? Table { get; init; }
    /// <summary><c>suppress_prefixlength</c>.</summary>
    public int? SuppressPrefixLength { get; init; }
    /// <summary>FR_ACT_* for blackhole (6), unreachable (7), prohibit (8); default lookup (1).</summary>
    public byte? Action { get; init; }

    /// <summary>The rule in ip's words, for messages.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Invert) { parts.Add("not"); }
        parts.Add($"from {Source?.ToString() ?? "all"}");
        if (Destination is { } d) { parts.Add($"to {d}"); }
        if (FwMark is { } m) { parts.Add(FwMask is { } k ? $"fwmark 0x{m:x}/0x{k:x}" : $"fwmark 0x{m:x}"); }
        if (InputInterface is { } i) { parts.Add($"iif {i}"); }
        if (OutputInterface is { } o) { parts.Add($"oif {o}"); }
        if (Table is { } t) { parts.Add($"lookup {RtNames.Table(t)}"); }
        if (Priority is { } p) { parts.Add($"priority {p}"); }
        return string.Join(' ', parts);
    }
}

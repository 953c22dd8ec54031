using System.Globalization;

namespace SharpTun.Netlink;

/// <summary>
/// The names iproute2 uses for rtnetlink numbers (its rt_scopes, rt_protos, rt_tables, route types,
/// ARPHRD link types, operstates, flag lists), both ways, so output and arguments read like <c>ip</c>.
/// </summary>
public static class RtNames
{
    private static readonly (byte Value, string Name)[] s_scopes = [(0, "global"), (200, "site"), (253, "link"), (254, "host"), (255, "nowhere")];

    private static readonly (byte Value, string Name)[] s_protocols =
    [
        (0, "unspec"), (1, "redirect"), (2, "kernel"), (3, "boot"), (4, "static"), (8, "gated"), (9, "ra"), (10, "mrt"),
        (11, "zebra"), (12, "bird"), (13, "dnrouted"), (14, "xorp"), (15, "ntk"), (16, "dhcp"), (17, "mrouted"),
        (18, "keepalived"), (42, "babel"), (99, "openr"), (186, "bgp"), (187, "isis"), (188, "ospf"), (189, "rip"), (192, "eigrp"),
    ];

    private static readonly string[] s_types =
        ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"];

    private static readonly (uint Value, string Name)[] s_tables = [(0, "unspec"), (253, "default"), (254, "main"), (255, "local")];

    /// <summary>RT_SCOPE_* → name: 0 global, 253 link, 254 host; others as a number.</summary>
    public static string Scope(byte scope) => Lookup(s_scopes, scope);

    /// <summary>RTPROT_* → name: kernel, boot, static, dhcp, …</summary>
    public static string Protocol(byte protocol) => Lookup(s_protocols, protocol);

    /// <summary>RTN_* → name: unicast, local, broadcast, blackhole, …</summary>
    public static string RouteType(byte type) => type < s_types.Length ? s_types[type] : type.ToString(CultureInfo.InvariantCulture);

    /// <summary>Table id → name: main, local, default; others as a number.</summary>
    public static string Table(uint table)
    {
        foreach (var (v, n) in s_tables)
        {
            if (v == table)
            {
                return n;
            }
        }
        return table.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a scope name or number.</summary>
    public static byte ParseScope(string text) => Parse(s_scopes, text, "scope");

    /// <summary>Parses a protocol name or number.</summary>
    public static byte ParseProtocol(string text) => Parse(s_protocols, text, "protocol");

    /// <summary>Parses a route type name.</summary>
    public static byte ParseRouteType(string text)
    {
        var i = Array.IndexOf(s_types, text);
        return i > 0 ? (byte)i : throw new ArgumentException($"invalid route type '{text}'");
    }

    /// <summary>Parses a table name (main, local, default) or number (1..2^32-1).</summary>
    public static uint ParseTable(string text)
    {
        foreach (var (v, n) in s_tables)
        {
            if (n == text)
            {
                return v;
            }
        }
        return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0
            ? t
            : throw new ArgumentException($"invalid table '{text}': use main, local, default or a number");
    }

    /// <summary>IF_OPER_* → UNKNOWN, DOWN, LOWERLAYERDOWN, UP, …</summary>
    public static string OperState(OperState state) => state switch
    {
        Netlink.OperState.Unknown => "UNKNOWN",
        Netlink.OperState.NotPresent => "NOTPRESENT",
        Netlink.OperState.Down => "DOWN",
        Netlink.OperState.LowerLayerDown => "LOWERLAYERDOWN",
        Netlink.OperState.Testing => "TESTING",
        Netlink.OperState.Dormant => "DORMANT",
        Netlink.OperState.Up => "UP",
        _ => ((byte)state).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>ARPHRD_* → ether, loopback, none (tun), ipip, sit, gre, …</summary>
    public static string LinkType(ushort type) => type switch
    {
        1 => "ether",
        24 => "ieee1394",
        32 => "infiniband",
        512 => "ppp",
        768 => "ipip",
        769 => "tunnel6",
        772 => "loopback",
        776 => "sit",
        778 => "gre",
        823 => "ip6gre",
        65534 => "none",
        65535 => "void",
        _ => $"[{type}]",
    };

    /// <summary>
    /// The flag list iproute2 prints between &lt;&gt;: NO-CARRIER when up without RUNNING, RUNNING itself
    /// hidden, then the IFF_* names in iproute2's order, unknown bits as hex, M-DOWN when <paramref name="peerDown"/>.
    /// </summary>
    public static IReadOnlyList<string> LinkFlagNames(LinkFlags flags, bool peerDown = false)
    {
        var names = new List<string>();
        if ((flags & LinkFlags.Up) != 0 && (flags & LinkFlags.Running) == 0)
        {
            names.Add("NO-CARRIER");
        }
        flags &= ~LinkFlags.Running;
        (LinkFlags Flag, string Name)[] order =
        [
            (LinkFlags.Loopback, "LOOPBACK"), (LinkFlags.Broadcast, "BROADCAST"), (LinkFlags.PointToPoint, "POINTOPOINT"),
            (LinkFlags.Multicast, "MULTICAST"), (LinkFlags.NoArp, "NOARP"), (LinkFlags.AllMulti, "ALLMULTI"),
            (LinkFlags.Promisc, "PROMISC"), (LinkFlags.NoTrailers, "NOTRAILERS"), (LinkFlags.Debug, "DEBUG"),
            (LinkFlags.Dynamic, "DYNAMIC"), (LinkFlags.AutoMedia, "AUTOMEDIA"), (LinkFlags.PortSel, "PORTSEL"),
            (LinkFlags.Master, "MASTER"), (LinkFlags.Slave, "SLAVE"), (LinkFlags.Up, "UP"), (LinkFlags.LowerUp, "LOWER_UP"),
            (LinkFlags.Dormant, "DORMANT"), (LinkFlags.Echo, "ECHO"),
        ];
        foreach (var (f, n) in order)
        {
            if ((flags & f) != 0)
            {
                names.Add(n);
                flags &= ~f;
            }
        }
        if (flags != 0)
        {
            names.Add(((uint)flags).ToString("x", CultureInfo.InvariantCulture));
        }
        if (peerDown)
        {
            names.Add("M-DOWN");
        }
        return names;
    }

    /// <summary>Route flags as iproute2 names them (dead, onlink, pervasive, offload, trap, notify, linkdown, unresolved).</summary>
    public static IReadOnlyList<string> RouteFlagNames(uint flags)
    {
        (uint Flag, string Name)[] order =
        [
            (0x1, "dead"), (0x4, "onlink"), (0x2, "pervasive"), (0x8, "offload"), (0x40, "trap"), (0x100, "notify"),
            (0x10, "linkdown"), (0x20, "unresolved"), (0x4000, "rt_offload"), (0x8000, "rt_trap"),
        ];
        return [.. order.Where(o => (flags & o.Flag) != 0).Select(o => o.Name)];
    }

    /// <summary>Address flags (IFA_F_*) as iproute2's JSON booleans/text words, in its order.</summary>
    public static IReadOnlyList<string> AddressFlagNames(uint flags, bool ipv6)
    {
        (uint Flag, string Name)[] order =
        [
            (0x01, ipv6 ? "temporary" : "secondary"), (0x10, "home"), (0x02, "nodad"), (0x04, "optimistic"),
            (0x08, "dadfailed"), (0x20, "deprecated"), (0x40, "tentative"), (0x100, "mngtmpaddr"),
            (0x200, "noprefixroute"), (0x400, "autojoin"), (0x800, "stable-privacy"),
        ];
        var names = order.Where(o => (flags & o.Flag) != 0).Select(o => o.Name).ToList();
        if ((flags & 0x80) == 0)
        {
            names.Insert(0, "dynamic");
        }
        return names;
    }

    private static string Lookup((byte Value, string Name)[] table, byte value)
    {
        foreach (var (v, n) in table)
        {
            if (v == value)
            {
                return n;
            }
        }
        return value.ToString(CultureInfo.InvariantCulture);
    }

    private static byte Parse((byte Value, string Name)[] table, string text, string what)
    {
        foreach (var (v, n) in table)
        {
            if (n == text)
            {
                return v;
            }
        }
        return byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var b)
            ? b
            : throw new ArgumentException($"invalid {what} '{text}'");
    }
}

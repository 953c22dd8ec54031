using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>Prints routes as <c>ip route show</c> / <c>ip -j route show</c> do: defaults (unicast, main, boot, global) are left out.</summary>
internal static class RouteFormat
{
    private const byte RtnUnicast = 1;
    private const uint TableMain = 254;
    private const byte ProtoBoot = 3;

    /// <summary>Fields a route filter fixed, which ip then leaves out of each line (e.g. <c>ip route show dev X</c> prints no "dev X").</summary>
    internal readonly record struct Omit(bool Type = false, bool Device = false, bool Table = false, bool Protocol = false, bool Scope = false);

    internal static JsonObject Json(RouteInfo r, IReadOnlyDictionary<int, LinkInfo> byIndex, Omit omit = default)
    {
        var o = new JsonObject();
        if (r.Type != RtnUnicast && !omit.Type)
        {
            o["type"] = RtNames.RouteType(r.Type);
        }
        o["dst"] = r.DestinationText;
        if (SourceText(r) is { } from)
        {
            o["from"] = from;
        }
        if (r.Gateway is not null)
        {
            o["gateway"] = r.Gateway.ToString();
        }
        if (r.OutputIndex is { } oif && !omit.Device)
        {
            o["dev"] = byIndex.TryGetValue(oif, out var l) ? l.Name : $"if{oif}";
        }
        if (r.Table != TableMain && !omit.Table)
        {
            o["table"] = RtNames.Table(r.Table);
        }
        if (r.Protocol is not (ProtoBoot or 0) && !omit.Protocol)
        {
            o["protocol"] = RtNames.Protocol(r.Protocol);
        }
        if (r.Scope != 0 && !omit.Scope)
        {
            o["scope"] = RtNames.Scope(r.Scope);
        }
        if (r.PreferredSource is not null)
        {
            o["prefsrc"] = r.PreferredSource.ToString();
        }
        if (r.Metric is { } metric)
        {
            o["metric"] = metric;
        }
        o["flags"] = new JsonArray([.. RtNames.RouteFlagNames(r.Flags).Select(f => (JsonNode)JsonValue.Create(f))]);
        if (r.Preference is { } pref)
        {
            o["pref"] = PreferenceName(pref);
        }
        if (r.Uid is { } uid)
        {
            o["uid"] = uid;
        }
        if (IsCached(r))
        {
            o["cache"] = new JsonArray([.. CacheFlags(r).Select(f => (JsonNode)JsonValue.Create(f))]);
        }
        return o;
    }

    internal static string Text(RouteInfo r, IReadOnlyDictionary<int, LinkInfo> byIndex, Omit omit = default)
    {
        var sb = new StringBuilder();
        if (r.Type != RtnUnicast && !omit.Type)
        {
            sb.Append(RtNames.RouteType(r.Type)).Append(' ');
        }
        sb.Append(r.DestinationText);
        if (SourceText(r) is { } from)
        {
            sb.Append(" from ").Append(from);
        }
        if (r.Gateway is not null)
        {
            sb.Append(" via ").Append(r.Gateway);
        }
        if (r.OutputIndex is { } oif && !omit.Device)
        {
            sb.Append(" dev ").Append(byIndex.TryGetValue(oif, out var l) ? l.Name : $"if{oif}");
        }
        if (r.Table != TableMain && !omit.Table)
        {
            sb.Append(" table ").Append(RtNames.Table(r.Table));
        }
        if (r.Protocol is not (ProtoBoot or 0) && !omit.Protocol)
        {
            sb.Append(" proto ").Append(RtNames.Protocol(r.Protocol));
        }
        if (r.Scope != 0 && !omit.Scope)
        {
            sb.Append(" scope ").Append(RtNames.Scope(r.Scope));
        }
        if (r.PreferredSource is not null)
        {
            sb.Append(" src ").Append(r.PreferredSource);
        }
        if (r.Metric is { } metric)
        {
            sb.Append(CultureInfo.InvariantCulture, $" metric {metric}");
        }
        foreach (var f in RtNames.RouteFlagNames(r.Flags))
        {
            sb.Append(' ').Append(f);
        }
        if (r.Preference is { } pref)
        {
            sb.Append(" pref ").Append(PreferenceName(pref));
        }
        else if (r.Uid is null && !IsCached(r))
        {
            // ip prints every field as "NAME VALUE " and only "pref X" without the space: an IPv4 route's line ends in one.
            sb.Append(' ');
        }
        if (r.Uid is { } uid)
        {
            sb.Append(CultureInfo.InvariantCulture, $" uid {uid}");
        }
        if (IsCached(r))
        {
            sb.Append("\n    cache");
            foreach (var f in CacheFlags(r))
            {
                sb.Append(" <").Append(f).Append('>');
            }
        }
        return sb.ToString();
    }

    /// <summary>RTA_SRC as iproute2 prints it: the address, with /LEN unless the length is 0 or a full host.</summary>
    private static string? SourceText(RouteInfo r)
    {
        if (r.Source is null)
        {
            return null;
        }
        var max = r.Family == AddressFamily.InterNetwork ? 32 : 128;
        return r.SourceLength == 0 || r.SourceLength == max ? r.Source.ToString() : $"{r.Source}/{r.SourceLength}";
    }

    /// <summary>An IPv4 <c>route get</c> answer is a cloned (RTM_F_CLONED) entry; iproute2 prints its cache flags.</summary>
    private static bool IsCached(RouteInfo r) => (r.Flags & 0x200) != 0 && r.Family == AddressFamily.InterNetwork;

    /// <summary>RTCF_* bits in the high half of rtm_flags of a cloned route.</summary>
    private static IEnumerable<string> CacheFlags(RouteInfo r)
    {
        (uint Flag, string Name)[] order = [(0x80000000, "local"), (0x40000000, "reject"), (0x20000000, "mc"), (0x10000000, "brd")];
        return order.Where(o => (r.Flags & o.Flag) != 0).Select(o => o.Name);
    }

    /// <summary>RFC 4191 router preference as RTA_PREF carries it: 0 medium, 1 high, 3 low.</summary>
    private static string PreferenceName(byte pref) => pref switch
    {
        0 => "medium",
        1 => "high",
        3 => "low",
        _ => pref.ToString(CultureInfo.InvariantCulture),
    };

    internal static bool IsIPv6(RouteInfo r) => r.Family == AddressFamily.InterNetworkV6;
}

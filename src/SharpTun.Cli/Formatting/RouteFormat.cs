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

    internal static JsonObject Json(RouteInfo r, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        var o = new JsonObject();
        if (r.Type != RtnUnicast)
        {
            o["type"] = RtNames.RouteType(r.Type);
        }
        o["dst"] = r.DestinationText;
        if (r.Gateway is not null)
        {
            o["gateway"] = r.Gateway.ToString();
        }
        if (r.OutputIndex is { } oif)
        {
            o["dev"] = byIndex.TryGetValue(oif, out var l) ? l.Name : $"if{oif}";
        }
        if (r.Table != TableMain)
        {
            o["table"] = RtNames.Table(r.Table);
        }
        if (r.Protocol != ProtoBoot)
        {
            o["protocol"] = RtNames.Protocol(r.Protocol);
        }
        if (r.Scope != 0)
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
        return o;
    }

    internal static string Text(RouteInfo r, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        var sb = new StringBuilder();
        if (r.Type != RtnUnicast)
        {
            sb.Append(RtNames.RouteType(r.Type)).Append(' ');
        }
        sb.Append(r.DestinationText);
        if (r.Gateway is not null)
        {
            sb.Append(" via ").Append(r.Gateway);
        }
        if (r.OutputIndex is { } oif)
        {
            sb.Append(" dev ").Append(byIndex.TryGetValue(oif, out var l) ? l.Name : $"if{oif}");
        }
        if (r.Table != TableMain)
        {
            sb.Append(" table ").Append(RtNames.Table(r.Table));
        }
        if (r.Protocol != ProtoBoot)
        {
            sb.Append(" proto ").Append(RtNames.Protocol(r.Protocol));
        }
        if (r.Scope != 0)
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
        return sb.ToString();
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

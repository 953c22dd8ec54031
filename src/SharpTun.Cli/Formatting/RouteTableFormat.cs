using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.NetTools;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// "Kernel IP routing table" as net-tools prints /proc/net/route (lib/inet_gr.c), built from an rtnetlink
/// dump: IPv4 routes of table main except broadcast and multicast ones, in the kernel's trie order (the dump's).
/// Flags: U always, G with a gateway, H for a /32, '!' for unreachable and prohibit routes (RTF_REJECT).
/// Layouts: 1 "Metric Ref Use Iface" (<c>route</c>, <c>netstat -re</c>), 2 "MSS Window irtt Iface"
/// (<c>netstat -r</c>, <c>route -e</c>), 3 both (<c>-ee</c>), 0 the header only (as net-tools does for -eee).
/// Ref and Use are always 0 on Linux ≥ 2.6; MSS, Window and irtt are 0 unless the route sets them (not shown).
/// </summary>
internal static class RouteTableFormat
{
    private const byte RtnUnicast = 1;
    private const byte RtnBroadcast = 3;
    private const byte RtnMulticast = 5;
    private const byte RtnUnreachable = 7;
    private const byte RtnProhibit = 8;

    internal static IEnumerable<string> Lines(IEnumerable<RouteInfo> routes, IReadOnlyDictionary<int, LinkInfo> links, int layout, bool numeric, NameDatabase names)
    {
        yield return "Kernel IP routing table";
        var header = layout switch
        {
            1 => "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface",
            2 => "Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface",
            3 => "Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt",
            _ => null,
        };
        if (header is null)
        {
            yield break;
        }
        yield return header;
        foreach (var r in routes.Where(Shown))
        {
            var reject = r.Type is RtnUnreachable or RtnProhibit;
            var host = r.DestinationLength == 32;
            var flags = (reject ? "!" : "U" + (r.Gateway is not null ? "G" : "")) + (host ? "H" : "");
            var mask = new IpPrefix(IPAddress.Broadcast, r.DestinationLength).Network;
            var destination = Cut(Destination(r.Destination ?? IPAddress.Any, mask, host, numeric, names));
            var gateway = Cut(Gateway(r.Gateway ?? IPAddress.Any, numeric, names));
            var maskText = mask.ToString();
            var metric = r.Metric ?? 0;
            var iface = r.OutputIndex is { } i && links.TryGetValue(i, out var l) ? l.Name : "*";
            yield return (layout, reject) switch
            {
                (1, true) => F("{0,-15} -               {1,-15} {2,-5} {3,-6} -  {4,7} -", destination, maskText, flags, metric, 0),
                (1, false) => F("{0,-15} {1,-15} {2,-15} {3,-5} {4,-6} {5,-2} {6,7} {7}", destination, gateway, maskText, flags, metric, 0, 0, iface),
                (2, true) => F("{0,-15} -               {1,-15} {2,-5}     - -          - -", destination, maskText, flags),
                (2, false) => F("{0,-15} {1,-15} {2,-15} {3,-5} {4,5} {5,-5} {6,6} {7}", destination, gateway, maskText, flags, 0, 0, 0, iface),
                (_, true) => F("{0,-15} -               {1,-15} {2,-5} {3,-6} -  {4,7} -        -     -      -", destination, maskText, flags, metric, 0),
                (_, false) => F("{0,-15} {1,-15} {2,-15} {3,-5} {4,-6} {5,-3} {6,6} {7,-6}   {8,-5} {9,-6} {10}",
                    destination, gateway, maskText, flags, metric, 0, 0, iface.Length > 6 ? iface[..6] : iface, 0, 0, 0),
            };
        }
    }

    /// <summary>The routes /proc/net/route lists: IPv4, table main, not broadcast or multicast.</summary>
    internal static bool Shown(RouteInfo r) =>
        r.Family == AddressFamily.InterNetwork && r.Table == 254 && r.Type is not (RtnBroadcast or RtnMulticast) && r.Type != 0;

    private static string F(string format, params object[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    private static string Cut(string s) => s.Length > 15 ? s[..15] : s;

    /// <summary>INET_rresolve with the route's mask: "default" for 0.0.0.0/0, a host name for a host route or host bits, else a network name.</summary>
    private static string Destination(IPAddress a, IPAddress mask, bool hostRoute, bool numeric, NameDatabase names)
    {
        if (numeric)
        {
            return a.ToString();
        }
        var ad = Value(a);
        var m = Value(mask);
        if (ad == 0)
        {
            return m == 0 ? "default" : "0.0.0.0";
        }
        var host = (ad & ~m) != 0 || hostRoute;
        return (host ? names.Host(a) : names.Network(a)) ?? a.ToString();
    }

    private static string Gateway(IPAddress a, bool numeric, NameDatabase names) =>
        numeric || Value(a) == 0 ? a.ToString() : names.Host(a) ?? a.ToString();

    private static uint Value(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }
}

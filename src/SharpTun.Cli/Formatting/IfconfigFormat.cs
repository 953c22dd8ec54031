using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// The net-tools 1.60 <c>ifconfig</c> block (<c>sharptun ifconfig --layout 1.60</c>; <see cref="Ifconfig210Format"/> is the default), from rtnetlink (link, addresses, stats64). The counters are
/// combined as the kernel combines them for /proc/net/dev, which is where ifconfig reads them.
/// </summary>
internal static class IfconfigFormat
{
    private const string Indent = "          ";

    internal static string Block(LinkInfo l, IEnumerable<AddressInfo> addresses)
    {
        var sb = new StringBuilder();
        sb.Append(l.Name.PadRight(10)).Append("Link encap:").Append(Encap(l.LinkType));
        if (l.Address is { Length: > 0 } mac && l.LinkType != 772 && l.LinkType != 65534)
        {
            sb.Append("  HWaddr ").Append(LinkInfo.FormatAddress(mac));
        }
        sb.Append("  \n");
        var list = addresses.ToList();
        var v4 = list.FirstOrDefault(a => a.Family == AddressFamily.InterNetwork && (a.Label is null || a.Label == l.Name));
        if (v4 is not null)
        {
            sb.Append(Indent).Append("inet addr:").Append(v4.Local);
            if (v4.Peer is not null)
            {
                sb.Append("  P-t-P:").Append(v4.Peer);
            }
            if (v4.Broadcast is not null)
            {
                sb.Append("  Bcast:").Append(v4.Broadcast);
            }
            sb.Append("  Mask:").Append(new IpPrefix(IPAddress.Broadcast, v4.PrefixLength).Network).Append('\n');
        }
        foreach (var a in list.Where(a => a.Family == AddressFamily.InterNetworkV6))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Indent}inet6 addr: {a.Local}/{a.PrefixLength} Scope:{Scope6(a.Scope)}\n");
        }
        sb.Append(Indent).Append(string.Join(' ', FlagWords(l.Flags)));
        sb.Append(CultureInfo.InvariantCulture, $"  MTU:{l.Mtu}  Metric:1\n");
        var s = l.Statistics ?? new LinkStatistics();
        sb.Append(CultureInfo.InvariantCulture,
            $"{Indent}RX packets:{s.RxPackets} errors:{s.RxErrors} dropped:{s.RxDropped + s.RxMissedErrors} overruns:{s.RxFifoErrors} frame:{s.RxLengthErrors + s.RxOverErrors + s.RxCrcErrors + s.RxFrameErrors}\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"{Indent}TX packets:{s.TxPackets} errors:{s.TxErrors} dropped:{s.TxDropped} overruns:{s.TxFifoErrors} carrier:{s.TxCarrierErrors + s.TxAbortedErrors + s.TxWindowErrors + s.TxHeartbeatErrors}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{Indent}collisions:{s.Collisions} txqueuelen:{l.TxQueueLength} \n");
        sb.Append(CultureInfo.InvariantCulture, $"{Indent}RX bytes:{s.RxBytes} ({HumanSize(s.RxBytes)})  TX bytes:{s.TxBytes} ({HumanSize(s.TxBytes)})\n");
        return sb.ToString();
    }

    /// <summary>net-tools' size: divide by 1024 while above 1024, one decimal truncated: "0.0 B", "1.2 KB", "3.4 MB".</summary>
    internal static string HumanSize(ulong bytes, bool iec = false)
    {
        string[] units = iec ? ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] : ["B", "KB", "MB", "GB", "TB", "PB"];
        var tenths = (decimal)bytes * 10;
        var unit = 0;
        var value = (decimal)bytes;
        while (value > 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            tenths /= 1024;
            unit++;
        }
        var t = (ulong)decimal.Truncate(tenths);
        return $"{t / 10}.{t % 10} {units[unit]}";
    }

    internal static string Encap(ushort type) => type switch
    {
        1 => "Ethernet",
        772 => "Local Loopback",
        65534 => "UNSPEC",
        512 => "Point-to-Point Protocol",
        768 => "IPIP Tunnel",
        776 => "IPv6-in-IPv4",
        778 => "Generic GRE",
        _ => RtNames.LinkType(type),
    };

    private static string Scope6(byte scope) => scope switch
    {
        0 => "Global",
        200 => "Site",
        253 => "Link",
        254 => "Host",
        _ => "Unknown",
    };

    /// <summary>net-tools' flag order.</summary>
    internal static IEnumerable<string> FlagWords(LinkFlags f)
    {
        (LinkFlags Flag, string Name)[] order =
        [
            (LinkFlags.Up, "UP"), (LinkFlags.Broadcast, "BROADCAST"), (LinkFlags.Debug, "DEBUG"), (LinkFlags.Loopback, "LOOPBACK"),
            (LinkFlags.PointToPoint, "POINTOPOINT"), (LinkFlags.NoTrailers, "NOTRAILERS"), (LinkFlags.Running, "RUNNING"),
            (LinkFlags.NoArp, "NOARP"), (LinkFlags.Promisc, "PROMISC"), (LinkFlags.AllMulti, "ALLMULTI"), (LinkFlags.Slave, "SLAVE"),
            (LinkFlags.Master, "MASTER"), (LinkFlags.Multicast, "MULTICAST"), (LinkFlags.Dynamic, "DYNAMIC"),
        ];
        return order.Where(o => (f & o.Flag) != 0).Select(o => o.Name);
    }
}

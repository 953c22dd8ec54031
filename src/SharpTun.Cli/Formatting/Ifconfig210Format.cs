using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// The <c>ifconfig</c> block of net-tools 2.10, what Debian 12 ships: "NAME: flags=N&lt;…&gt;  mtu M", then
/// inet/inet6/hardware lines and the counters in KiB. Labelled IPv4 addresses (v0:1) get a short block of
/// their own, as ifconfig shows aliases. Counters as in /proc/net/dev (see <see cref="IfconfigFormat"/>).
/// </summary>
internal static class Ifconfig210Format
{
    private const string Indent = "        ";

    /// <summary>The blocks for one link: its own, then one per alias label; each ends with an empty line.</summary>
    internal static IEnumerable<string> Blocks(LinkInfo l, IEnumerable<AddressInfo> addresses)
    {
        var list = addresses.ToList();
        var v4 = list.Where(a => a.Family == AddressFamily.InterNetwork).ToList();
        yield return Block(l, l.Name, v4.FirstOrDefault(a => a.Label is null || a.Label == l.Name),
            list.Where(a => a.Family == AddressFamily.InterNetworkV6), counters: true);
        foreach (var alias in v4.Where(a => a.Label is { } label && label != l.Name).GroupBy(a => a.Label!))
        {
            yield return Block(l, alias.Key, alias.First(), [], counters: false);
        }
    }

    private static string Block(LinkInfo l, string name, AddressInfo? v4, IEnumerable<AddressInfo> v6, bool counters)
    {
        var sb = new StringBuilder();
        // SIOCGIFFLAGS is a short: the flags above bit 15 (LOWER_UP, DORMANT, ECHO) are not in ifconfig's number.
        var flags = (uint)l.Flags & 0xFFFF;
        sb.Append(CultureInfo.InvariantCulture, $"{name}: flags={flags}<{string.Join(',', IfconfigFormat.FlagWords(l.Flags))}>  mtu {l.Mtu}\n");
        if (v4 is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Indent}inet {v4.Local}  netmask {new IpPrefix(IPAddress.Broadcast, v4.PrefixLength).Network}");
            if ((l.Flags & LinkFlags.PointToPoint) != 0)
            {
                sb.Append("  destination ").Append(v4.Peer ?? v4.Local);
            }
            if ((l.Flags & LinkFlags.Broadcast) != 0)
            {
                // SIOCGIFBRDADDR gives 0.0.0.0 for an address added without brd.
                sb.Append("  broadcast ").Append(v4.Broadcast ?? IPAddress.Any);
            }
            sb.Append('\n');
        }
        foreach (var a in v6)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Indent}inet6 {a.Local}  prefixlen {a.PrefixLength}  scopeid 0x{ScopeId(a.Scope):x}<{ScopeName(a.Scope)}>\n");
        }
        sb.Append(Indent).Append(Hardware(l)).Append(CultureInfo.InvariantCulture, $"  txqueuelen {l.TxQueueLength}  ({IfconfigFormat.Encap(l.LinkType)})\n");
        if (counters)
        {
            var s = l.Statistics ?? new LinkStatistics();
            sb.Append(CultureInfo.InvariantCulture, $"{Indent}RX packets {s.RxPackets}  bytes {s.RxBytes} ({IfconfigFormat.HumanSize(s.RxBytes, iec: true)})\n");
            sb.Append(CultureInfo.InvariantCulture,
                $"{Indent}RX errors {s.RxErrors}  dropped {s.RxDropped + s.RxMissedErrors}  overruns {s.RxFifoErrors}  frame {s.RxLengthErrors + s.RxOverErrors + s.RxCrcErrors + s.RxFrameErrors}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{Indent}TX packets {s.TxPackets}  bytes {s.TxBytes} ({IfconfigFormat.HumanSize(s.TxBytes, iec: true)})\n");
            sb.Append(CultureInfo.InvariantCulture,
                $"{Indent}TX errors {s.TxErrors}  dropped {s.TxDropped} overruns {s.TxFifoErrors}  carrier {s.TxCarrierErrors + s.TxAbortedErrors + s.TxWindowErrors + s.TxHeartbeatErrors}  collisions {s.Collisions}\n");
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>"ether MAC", "loop" for loopback, "unspec 00-00-…" (16 bytes) for links without a hardware address (tun, WireGuard).</summary>
    private static string Hardware(LinkInfo l) => l.LinkType switch
    {
        772 => "loop",
        1 when l.Address is { Length: > 0 } mac => "ether " + LinkInfo.FormatAddress(mac),
        65534 => "unspec " + string.Join('-', Enumerable.Repeat("00", 16)),
        _ => RtNames.LinkType(l.LinkType) + (l.Address is { Length: > 0 } a ? " " + LinkInfo.FormatAddress(a) : " "),
    };

    /// <summary>net-tools' IPv6 scope ids (the IPV6_ADDR_* classes of /proc/net/if_inet6).</summary>
    private static int ScopeId(byte scope) => scope switch
    {
        254 => 0x10,
        253 => 0x20,
        200 => 0x40,
        _ => 0x0,
    };

    private static string ScopeName(byte scope) => scope switch
    {
        254 => "host",
        253 => "link",
        200 => "site",
        _ => "global",
    };
}

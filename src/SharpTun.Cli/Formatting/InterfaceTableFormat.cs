using System.Globalization;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// net-tools' short interface table (<c>netstat -i</c>, <c>ifconfig -s</c>; ife_print_short in lib/interface.c):
/// the counters of /proc/net/dev as rtnetlink gives them: RX-ERR = errors + frame (length, over, CRC and frame
/// errors), RX-DRP = dropped + missed, RX-OVR and TX-OVR = FIFO errors.
/// </summary>
internal static class InterfaceTableFormat
{
    internal const string Header = "Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg";

    internal static string Line(LinkInfo l)
    {
        var name = l.Name.Length > 15 ? l.Name[..15] : l.Name;
        var s = l.Statistics;
        var counters = s is null
            ? "     - no statistics available -".PadRight(56)
            : string.Format(CultureInfo.InvariantCulture, "{0,8} {1,6} {2,6} {3,-6} {4,8} {5,6} {6,6} {7,6} ",
                s.RxPackets, s.RxErrors + s.RxLengthErrors + s.RxOverErrors + s.RxCrcErrors + s.RxFrameErrors,
                s.RxDropped + s.RxMissedErrors, s.RxFifoErrors, s.TxPackets, s.TxErrors, s.TxDropped, s.TxFifoErrors);
        return string.Format(CultureInfo.InvariantCulture, "{0,-15} {1,5} ", name, l.Mtu) + counters + Flags(l.Flags);
    }

    /// <summary>The Flg letters in net-tools' order: A B D L M P N O p s m R U.</summary>
    private static string Flags(LinkFlags f)
    {
        var bits = (uint)f & 0xFFFF;
        if (bits == 0)
        {
            return "[NO FLAGS]";
        }
        (uint Bit, char Letter)[] table =
        [
            (0x200, 'A'), (0x2, 'B'), (0x4, 'D'), (0x8, 'L'), (0x1000, 'M'), (0x100, 'P'), (0x20, 'N'), (0x80, 'O'),
            (0x10, 'p'), (0x800, 's'), (0x400, 'm'), (0x40, 'R'), (0x1, 'U'),
        ];
        return new string([.. table.Where(t => (bits & t.Bit) != 0).Select(t => t.Letter)]);
    }
}

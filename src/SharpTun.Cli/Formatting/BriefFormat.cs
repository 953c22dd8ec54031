using System.Globalization;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary><c>ip -br</c> (name, state, addresses in columns) and <c>ip -o</c> (a record's lines joined by '\') views.</summary>
internal static class BriefFormat
{
    /// <summary><c>ip -br link</c>: "NAME@LINK        STATE          MAC &lt;FLAGS&gt; ".</summary>
    internal static string Link(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        var (name, peerDown) = LinkFormat.NameWithLink(l, byIndex);
        var line = Columns(name, l);
        if (l.Address is not null)
        {
            line += LinkInfo.FormatAddress(l.Address) + " ";
        }
        return line + $"<{string.Join(',', RtNames.LinkFlagNames(l.Flags, peerDown))}> ";
    }

    /// <summary><c>ip -br addr</c>: "NAME@LINK        STATE          ADDR/LEN ADDR/LEN ".</summary>
    internal static string Address(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex, IEnumerable<AddressInfo> addresses)
    {
        var line = Columns(LinkFormat.NameWithLink(l, byIndex).Name, l);
        foreach (var a in addresses)
        {
            line += string.Create(CultureInfo.InvariantCulture, $"{a.Local}/{a.PrefixLength} ");
        }
        return line;
    }

    /// <summary><c>ip -o</c>: the record's line breaks become a backslash.</summary>
    internal static string OneLine(string text) => text.Replace("\n", "\\", StringComparison.Ordinal);

    /// <summary><c>ip -o addr</c>: "INDEX: NAME" then the address text on the same line.</summary>
    internal static string AddressLine(LinkInfo l, AddressInfo a)
    {
        var text = AddressFormat.Text(a);
        if (a.Label is null)
        {
            // ip ends the first line with the space after the last flag when no label follows.
            text = text.Replace("\n", " \n", StringComparison.Ordinal);
        }
        return string.Create(CultureInfo.InvariantCulture, $"{l.Index}: {l.Name}") + OneLine(text);
    }

    /// <summary>
    /// The link line of <c>ip -6 addr</c>: ip then dumps links with family AF_INET6, and the kernel's
    /// inet6 link message carries no qdisc or group, so ip prints "N: NAME: &lt;FLAGS&gt; mtu M state S qlen Q".
    /// </summary>
    internal static string Inet6Header(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        var (name, peerDown) = LinkFormat.NameWithLink(l, byIndex);
        return string.Create(CultureInfo.InvariantCulture,
            $"{l.Index}: {name}: <{string.Join(',', RtNames.LinkFlagNames(l.Flags, peerDown))}> mtu {l.Mtu} state {RtNames.OperState(l.OperState)} qlen {l.TxQueueLength}");
    }

    private static string Columns(string name, LinkInfo l) => $"{name,-16} {RtNames.OperState(l.OperState),-14} ";
}

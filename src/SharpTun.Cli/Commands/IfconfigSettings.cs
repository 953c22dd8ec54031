using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>
/// The configuring forms of net-tools <c>ifconfig DEV SETTING…</c>, applied left to right as ifconfig issues its
/// ioctls, each over rtnetlink with the result the kernel's ioctl gives: <c>ADDR[/PLEN]</c> (SIOCSIFADDR: replaces
/// the IPv4 address labelled DEV, classful prefix, broadcast derived on a broadcast link, then brings DEV up),
/// <c>netmask M</c> (SIOCSIFNETMASK: a broadcast that matched the old mask follows the new one),
/// <c>broadcast B</c>, <c>up</c>, <c>down</c>, <c>[-]promisc</c>, <c>[-]allmulti</c>, <c>[-]arp</c>, <c>[-]multicast</c>, <c>mtu N</c>, <c>txqueuelen N</c>, <c>hw ether MAC</c>,
/// <c>add ADDR[/PLEN]</c> and <c>del ADDR[/PLEN]</c> (IPv6, prefix 128 by default).
/// DEV may be an alias label (v0:1): its address is set as its own, <c>down</c> removes it, and the device's state is left alone.
/// </summary>
internal static class IfconfigSettings
{
    internal static int Apply(string? netns, string dev, IReadOnlyList<string> words)
    {
        var colon = dev.IndexOf(':', StringComparison.Ordinal);
        var link = colon < 0 ? dev : dev[..colon];
        using var c = NetlinkCli.Open(netns);
        if (c.FindLink(link) is null)
        {
            // net-tools' wording: the ioctl that failed, then the flags read that follows it.
            if (words[0] is not ("up" or "down" or "mtu" or "txqueuelen" or "hw" or "netmask" or "broadcast" or "add" or "del"))
            {
                Console.Error.WriteLine("SIOCSIFADDR: No such device");
            }
            Console.Error.WriteLine($"{dev}: ERROR while getting interface flags: No such device");
            return CliRunner.Failed;
        }
        int? pendingPrefix = null;
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            string Value() => i + 1 < words.Count ? words[++i] : throw new ArgumentException($"ifconfig: '{word}' needs a value");
            switch (word)
            {
                case "up" or "down" when colon >= 0:
                    // SIOCSIFFLAGS on an alias label acts on its address: down removes it, up leaves it.
                    var alias = Labelled(c, link, dev)
                        ?? throw new InvalidOperationException($"SIOCSIFFLAGS: Cannot assign requested address ({dev} has no address)");
                    if (word == "down")
                    {
                        c.AddressDelete(link, alias.Prefix);
                    }
                    break;
                case "up":
                    c.LinkSet(link, new LinkChange { Up = true });
                    break;
                case "down":
                    c.LinkSet(link, new LinkChange { Up = false });
                    break;
                case "promisc" or "-promisc":
                    c.LinkSet(link, new LinkChange { Promiscuous = word[0] != '-' });
                    break;
                case "allmulti" or "-allmulti":
                    c.LinkSet(link, new LinkChange { AllMulticast = word[0] != '-' });
                    break;
                case "arp" or "-arp":
                    c.LinkSet(link, new LinkChange { Arp = word[0] != '-' });
                    break;
                case "multicast" or "-multicast":
                    c.LinkSet(link, new LinkChange { Multicast = word[0] != '-' });
                    break;
                case "mtu":
                    c.LinkSet(link, new LinkChange { Mtu = Number(Value(), "mtu") });
                    break;
                case "txqueuelen":
                    c.LinkSet(link, new LinkChange { TxQueueLength = Number(Value(), "txqueuelen") });
                    break;
                case "hw":
                    var type = Value();
                    if (type != "ether")
                    {
                        throw new ArgumentException($"ifconfig: hardware type '{type}' is not supported (use 'hw ether MAC')");
                    }
                    c.LinkSet(link, new LinkChange { Address = Words.ParseMac(Value()) });
                    break;
                case "netmask":
                    SetNetmask(c, link, dev, V4(Value(), "netmask"));
                    break;
                case "broadcast":
                    SetBroadcast(c, link, dev, V4(Value(), "broadcast"));
                    break;
                case "add" or "del":
                    var (a6, plen) = V6(Value(), word);
                    if (word == "add")
                    {
                        c.AddressAdd(link, new IpPrefix(a6, plen));
                    }
                    else
                    {
                        c.AddressDelete(link, new IpPrefix(a6, plen));
                    }
                    break;
                default:
                    var slash = word.IndexOf('/', StringComparison.Ordinal);
                    if (slash >= 0)
                    {
                        // "ADDR/PLEN": the netmask is set after the other settings (neednetmask in ifconfig.c).
                        pendingPrefix = int.TryParse(word.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 32
                            ? p : throw new ArgumentException($"ifconfig: invalid prefix length in '{word}'");
                    }
                    var address = IPAddress.TryParse(slash < 0 ? word : word[..slash], out var a) && a.AddressFamily == AddressFamily.InterNetwork
                        && (slash < 0 ? word : word[..slash]).Count(ch => ch == '.') == 3
                        ? a
                        : throw new ArgumentException($"ifconfig: unknown setting or invalid address '{word}' (see 'sharptun ifconfig --help')");
                    SetAddress(c, link, dev, address);
                    // ifconfig then sets IFF_UP|IFF_RUNNING on the name it was given; on an alias label that changes nothing.
                    if (colon < 0)
                    {
                        c.LinkSet(link, new LinkChange { Up = true });
                    }
                    break;
            }
        }
        if (pendingPrefix is { } prefix)
        {
            SetNetmask(c, link, dev, new IpPrefix(IPAddress.Broadcast, prefix).Network);
        }
        return CliRunner.Ok;
    }

    private static AddressInfo? Labelled(RtNetlinkClient c, string link, string label) =>
        c.GetAddresses(link, AddressFamily.InterNetwork).FirstOrDefault(a => (a.Label ?? link) == label);

    /// <summary>SIOCSIFADDR: the labelled address is replaced (0.0.0.0 removes it); prefix by address class, /32 on point-to-point.</summary>
    private static void SetAddress(RtNetlinkClient c, string link, string label, IPAddress address)
    {
        var old = Labelled(c, link, label);
        if (old is not null && old.Local.Equals(address))
        {
            return;
        }
        if (old is not null)
        {
            c.AddressDelete(link, old.Prefix);
        }
        if (address.Equals(IPAddress.Any))
        {
            return;
        }
        var flags = c.GetLink(link).Flags;
        var length = (flags & LinkFlags.PointToPoint) != 0 ? 32 : ClassfulLength(address);
        Add(c, link, label, address, length, (flags & LinkFlags.Broadcast) != 0 && length < 31 ? Broadcast(address, length) : null);
    }

    private static void SetNetmask(RtNetlinkClient c, string link, string label, IPAddress mask)
    {
        var old = Labelled(c, link, label) ?? throw new InvalidOperationException($"SIOCSIFNETMASK: Cannot assign requested address ({label} has no IPv4 address)");
        var length = MaskLength(mask);
        if (length == old.PrefixLength)
        {
            return;
        }
        var broadcast = old.Broadcast;
        var flags = c.GetLink(link).Flags;
        if ((flags & LinkFlags.Broadcast) != 0 && length < 31 && broadcast is not null && broadcast.Equals(Broadcast(old.Local, old.PrefixLength)))
        {
            broadcast = Broadcast(old.Local, length);
        }
        c.AddressDelete(link, old.Prefix);
        Add(c, link, label, old.Local, length, broadcast);
    }

    private static void SetBroadcast(RtNetlinkClient c, string link, string label, IPAddress broadcast)
    {
        var old = Labelled(c, link, label) ?? throw new InvalidOperationException($"SIOCSIFBRDADDR: Cannot assign requested address ({label} has no IPv4 address)");
        if (broadcast.Equals(old.Broadcast))
        {
            return;
        }
        c.AddressDelete(link, old.Prefix);
        Add(c, link, label, old.Local, old.PrefixLength, broadcast);
    }

    private static void Add(RtNetlinkClient c, string link, string label, IPAddress address, int length, IPAddress? broadcast) =>
        c.AddressAdd(link, new IpPrefix(address, length), new AddressOptions { Broadcast = broadcast, Label = label == link ? null : label });

    private static IPAddress Broadcast(IPAddress a, int length)
    {
        var v = Value(a) | (length == 0 ? uint.MaxValue : uint.MaxValue >> length);
        return new IPAddress([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
    }

    /// <summary>inet_abc_len: class A /8, B /16, C /24, E /32; a class D (multicast) address is refused.</summary>
    private static int ClassfulLength(IPAddress a)
    {
        var v = Value(a);
        if ((v >> 24) == 0 || v == uint.MaxValue)
        {
            return 0;
        }
        return (v >> 24) switch
        {
            < 128 => 8,
            < 192 => 16,
            < 224 => 24,
            < 240 => throw new InvalidOperationException($"SIOCSIFADDR: Invalid argument ({a} is a multicast address)"),
            _ => 32,
        };
    }

    private static int MaskLength(IPAddress mask)
    {
        var v = Value(mask);
        var inverted = ~v;
        return (inverted & (inverted + 1)) != 0
            ? throw new InvalidOperationException($"SIOCSIFNETMASK: Invalid argument ({mask} is not a contiguous netmask)")
            : System.Numerics.BitOperations.PopCount(v);
    }

    private static uint Value(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static int Number(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"ifconfig: invalid {what} '{text}'");

    private static IPAddress V4(string text, string what) =>
        IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(ch => ch == '.') == 3
            ? a : throw new ArgumentException($"ifconfig: invalid {what} '{text}': use an IPv4 address");

    private static (IPAddress Address, int Length) V6(string text, string what)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var length = 128;
        if (slash >= 0 && !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length))
        {
            length = -1;
        }
        return IPAddress.TryParse(slash < 0 ? text : text[..slash], out var a) && a.AddressFamily == AddressFamily.InterNetworkV6 && length is >= 0 and <= 128
            ? (a, length)
            : throw new ArgumentException($"ifconfig: '{what}' needs an IPv6 ADDR[/PLEN], not '{text}'");
    }
}

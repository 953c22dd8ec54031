using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>Prints links as <c>ip link show</c> / <c>ip -j link show</c> do (field names and order of iproute2).</summary>
internal static class LinkFormat
{
    internal static JsonObject Json(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex, bool linkMode, bool details, bool stats)
    {
        var o = new JsonObject { ["ifindex"] = l.Index };
        var peerDown = false;
        if (l.LinkIndex is { } li and not 0)
        {
            if (l.LinkNetNsId is not null)
            {
                o["link_index"] = li;
            }
            else if (byIndex.TryGetValue(li, out var peer))
            {
                o["link"] = peer.Name;
                peerDown = !peer.IsUp;
            }
        }
        o["ifname"] = l.Name;
        o["flags"] = new JsonArray([.. RtNames.LinkFlagNames(l.Flags, peerDown).Select(f => (JsonNode)JsonValue.Create(f))]);
        o["mtu"] = l.Mtu;
        if (l.Qdisc is not null)
        {
            o["qdisc"] = l.Qdisc;
        }
        if (l.MasterIndex is { } m && byIndex.TryGetValue(m, out var master))
        {
            o["master"] = master.Name;
        }
        o["operstate"] = RtNames.OperState(l.OperState);
        if (linkMode)
        {
            o["linkmode"] = l.LinkMode == 1 ? "DORMANT" : "DEFAULT";
        }
        o["group"] = l.Group == 0 ? "default" : l.Group.ToString(CultureInfo.InvariantCulture);
        o["txqlen"] = l.TxQueueLength;
        o["link_type"] = RtNames.LinkType(l.LinkType);
        if (l.Address is not null)
        {
            o["address"] = LinkInfo.FormatAddress(l.Address);
        }
        if (l.Broadcast is not null)
        {
            if ((l.Flags & LinkFlags.PointToPoint) != 0)
            {
                o["link_pointtopoint"] = true;
            }
            o["broadcast"] = LinkInfo.FormatAddress(l.Broadcast);
        }
        if (l.LinkNetNsId is { } nsid)
        {
            o["link_netnsid"] = nsid;
        }
        if (details)
        {
            o["promiscuity"] = l.Promiscuity;
            if (l.AllMulti is { } allMulti)
            {
                o["allmulti"] = allMulti;
            }
            if (l.MinMtu is { } min)
            {
                o["min_mtu"] = min;
            }
            if (l.MaxMtu is { } max)
            {
                o["max_mtu"] = max;
            }
            if (l.Kind is not null || l.SlaveKind is not null)
            {
                var info = new JsonObject();
                if (l.Kind is not null)
                {
                    info["info_kind"] = l.Kind;
                }
                if (l.Tun is { } tun)
                {
                    info["info_data"] = TunJson(tun);
                }
                if (l.Bridge is { } bridge)
                {
                    info["info_data"] = BridgeFormat.Json(bridge);
                }
                if (l.SlaveKind is not null)
                {
                    info["info_slave_kind"] = l.SlaveKind;
                }
                if (l.BridgePort is { } port)
                {
                    info["info_slave_data"] = BridgeFormat.PortJson(port, byIndex);
                }
                o["linkinfo"] = info;
            }
            if (linkMode && l.Inet6AddrGenMode is { } mode)
            {
                o["inet6_addr_gen_mode"] = AddrGenMode(mode);
            }
            foreach (var (name, value) in Sizes(l))
            {
                o[JsonName(name)] = value;
            }
        }
        if (l.Alias is not null)
        {
            o["ifalias"] = l.Alias;
        }
        if (stats && l.Statistics is { } s)
        {
            o["stats64"] = new JsonObject
            {
                ["rx"] = new JsonObject
                {
                    ["bytes"] = s.RxBytes, ["packets"] = s.RxPackets, ["errors"] = s.RxErrors,
                    ["dropped"] = s.RxDropped, ["over_errors"] = s.RxOverErrors, ["multicast"] = s.Multicast,
                },
                ["tx"] = new JsonObject
                {
                    ["bytes"] = s.TxBytes, ["packets"] = s.TxPackets, ["errors"] = s.TxErrors,
                    ["dropped"] = s.TxDropped, ["carrier_errors"] = s.TxCarrierErrors, ["collisions"] = s.Collisions,
                },
            };
        }
        return o;
    }

    /// <summary>"NAME@PEER" as ip prints it (<c>@ifN</c> for a peer in another namespace), and whether that peer is down.</summary>
    internal static (string Name, bool PeerDown) NameWithLink(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        if (l.LinkIndex is { } li and not 0)
        {
            if (l.LinkNetNsId is not null)
            {
                return ($"{l.Name}@if{li}", false);
            }
            if (byIndex.TryGetValue(li, out var peer))
            {
                return ($"{l.Name}@{peer.Name}", !peer.IsUp);
            }
        }
        return (l.Name, false);
    }

    /// <summary>The two (or more) text lines <c>ip link show</c> prints for a link.</summary>
    internal static string Text(LinkInfo l, IReadOnlyDictionary<int, LinkInfo> byIndex, bool linkMode, bool details, bool stats,
        IReadOnlyDictionary<int, string>? namespaceNames = null)
    {
        var sb = new StringBuilder();
        var peerDown = false;
        var name = l.Name;
        if (l.LinkIndex is { } li and not 0)
        {
            if (l.LinkNetNsId is not null)
            {
                name += $"@if{li}";
            }
            else if (byIndex.TryGetValue(li, out var peer))
            {
                name += "@" + peer.Name;
                peerDown = !peer.IsUp;
            }
        }
        sb.Append(CultureInfo.InvariantCulture, $"{l.Index}: {name}: <{string.Join(',', RtNames.LinkFlagNames(l.Flags, peerDown))}> mtu {l.Mtu}");
        if (l.Qdisc is not null)
        {
            sb.Append(" qdisc ").Append(l.Qdisc);
        }
        if (l.MasterIndex is { } m && byIndex.TryGetValue(m, out var master))
        {
            sb.Append(" master ").Append(master.Name);
        }
        sb.Append(" state ").Append(RtNames.OperState(l.OperState));
        if (linkMode)
        {
            sb.Append(" mode ").Append(l.LinkMode == 1 ? "DORMANT" : "DEFAULT");
        }
        sb.Append(" group ").Append(l.Group == 0 ? "default" : l.Group.ToString(CultureInfo.InvariantCulture));
        sb.Append(CultureInfo.InvariantCulture, $" qlen {l.TxQueueLength}\n");
        sb.Append("    link/").Append(RtNames.LinkType(l.LinkType)).Append(' ');
        if (l.Address is not null)
        {
            sb.Append(LinkInfo.FormatAddress(l.Address));
        }
        if (l.Broadcast is not null)
        {
            sb.Append((l.Flags & LinkFlags.PointToPoint) != 0 ? " peer " : " brd ").Append(LinkInfo.FormatAddress(l.Broadcast));
        }
        if (l.LinkNetNsId is { } nsid)
        {
            sb.Append(namespaceNames is not null && namespaceNames.TryGetValue(nsid, out var nsName)
                ? $" link-netns {nsName}"
                : string.Create(CultureInfo.InvariantCulture, $" link-netnsid {nsid}"));
        }
        if (details)
        {
            // ip -d's fields, each printed as "NAME VALUE " (promiscuity and allmulti with a space before too).
            sb.Append(CultureInfo.InvariantCulture, $" promiscuity {l.Promiscuity} ");
            if (l.AllMulti is { } allMulti)
            {
                sb.Append(CultureInfo.InvariantCulture, $" allmulti {allMulti} ");
            }
            if (l.MinMtu is { } min)
            {
                sb.Append(CultureInfo.InvariantCulture, $"minmtu {min} ");
            }
            if (l.MaxMtu is { } max)
            {
                sb.Append(CultureInfo.InvariantCulture, $"maxmtu {max} ");
            }
            if (l.Kind is not null)
            {
                sb.Append("\n    ").Append(l.Kind).Append(' ');
                if (l.Tun is { } tun)
                {
                    TunText(sb, tun);
                }
                if (l.Bridge is { } bridge)
                {
                    BridgeFormat.Text(sb, bridge);
                }
            }
            if (l.SlaveKind is not null)
            {
                sb.Append("\n    ").Append(l.SlaveKind).Append("_slave ");
                if (l.BridgePort is { } port)
                {
                    BridgeFormat.PortText(sb, port, byIndex);
                }
            }
            if (linkMode && l.Inet6AddrGenMode is { } mode)
            {
                sb.Append("addrgenmode ").Append(AddrGenMode(mode)).Append(' ');
            }
            foreach (var (field, value) in Sizes(l))
            {
                sb.Append(CultureInfo.InvariantCulture, $"{field} {value} ");
            }
        }
        if (stats && l.Statistics is { } s)
        {
            sb.Append('\n');
            sb.Append(StatsText(s));
        }
        return sb.ToString();
    }

    private static string StatsText(LinkStatistics s)
    {
        static string Row(params ulong[] v) => "    " + string.Join(' ', v.Select((x, i) => x.ToString(CultureInfo.InvariantCulture).PadLeft(i == 0 ? 10 : 7)));
        return "    RX:  bytes packets errors dropped  missed   mcast\n" +
            Row(s.RxBytes, s.RxPackets, s.RxErrors, s.RxDropped, s.RxMissedErrors, s.Multicast) + "\n" +
            "    TX:  bytes packets errors dropped carrier collsns\n" +
            Row(s.TxBytes, s.TxPackets, s.TxErrors, s.TxDropped, s.TxCarrierErrors, s.Collisions);
    }

    /// <summary>The queue and offload sizes ip -d prints after the link kind, in its order, with its text names.</summary>
    private static IEnumerable<(string Name, long Value)> Sizes(LinkInfo l)
    {
        (string Name, long? Value)[] all =
        [
            ("numtxqueues", l.TxQueues), ("numrxqueues", l.RxQueues), ("gso_max_size", l.GsoMaxSize), ("gso_max_segs", l.GsoMaxSegments),
            ("tso_max_size", l.TsoMaxSize), ("tso_max_segs", l.TsoMaxSegments), ("gro_max_size", l.GroMaxSize),
        ];
        return all.Where(a => a.Value is not null).Select(a => (a.Name, a.Value!.Value));
    }

    private static string JsonName(string textName) => textName switch
    {
        "numtxqueues" => "num_tx_queues",
        "numrxqueues" => "num_rx_queues",
        _ => textName,
    };

    /// <summary>ip's names for IN6_ADDR_GEN_MODE_*; an unknown mode as "0x%02x".</summary>
    private static string AddrGenMode(byte mode) => mode switch
    {
        0 => "eui64",
        1 => "none",
        2 => "stable_secret",
        3 => "random",
        _ => "0x" + mode.ToString("x2", CultureInfo.InvariantCulture),
    };

    /// <summary>ip's tun_print_opt: "type tap pi off vnet_hdr off [multi_queue numqueues N numdisabled M] persist on [user U] [group G] ".</summary>
    private static void TunText(StringBuilder sb, TunLinkData t)
    {
        sb.Append("type ").Append(TunType(t.Type)).Append(' ');
        sb.Append("pi ").Append(t.PacketInfo ? "on " : "off ");
        sb.Append("vnet_hdr ").Append(t.VnetHdr ? "on " : "off ");
        if (t.MultiQueue)
        {
            sb.Append(CultureInfo.InvariantCulture, $"multi_queue numqueues {t.Queues} numdisabled {t.DisabledQueues} ");
        }
        sb.Append("persist ").Append(t.Persist ? "on " : "off ");
        if (t.Owner is { } uid)
        {
            sb.Append("user ").Append(SharpTun.Linux.UserDatabase.UserName(uid) ?? uid.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
        if (t.Group is { } gid)
        {
            sb.Append("group ").Append(SharpTun.Linux.UserDatabase.GroupName(gid) ?? gid.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
    }

    private static JsonObject TunJson(TunLinkData t)
    {
        var o = new JsonObject
        {
            ["type"] = TunType(t.Type),
            ["pi"] = t.PacketInfo,
            ["vnet_hdr"] = t.VnetHdr,
            ["multi_queue"] = t.MultiQueue,
        };
        if (t.MultiQueue)
        {
            o["numqueues"] = t.Queues;
            o["numdisabled"] = t.DisabledQueues;
        }
        o["persist"] = t.Persist;
        if (t.Owner is { } uid)
        {
            o["user"] = SharpTun.Linux.UserDatabase.UserName(uid) is { } name ? JsonValue.Create(name) : JsonValue.Create(uid);
        }
        if (t.Group is { } gid)
        {
            o["group"] = SharpTun.Linux.UserDatabase.GroupName(gid) is { } name ? JsonValue.Create(name) : JsonValue.Create(gid);
        }
        return o;
    }

    /// <summary>IFF_TUN = 1, IFF_TAP = 2 (IFLA_TUN_TYPE).</summary>
    private static string TunType(byte type) => type switch
    {
        1 => "tun",
        2 => "tap",
        _ => string.Create(CultureInfo.InvariantCulture, $"UNKNOWN:{type}"),
    };
}

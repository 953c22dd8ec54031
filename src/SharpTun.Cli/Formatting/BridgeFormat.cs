using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// The "bridge …" and "bridge_slave …" detail lists of <c>ip -d link show</c> (iproute2 6.1's
/// iplink_bridge.c / iplink_bridge_slave.c): the same fields in the same order, text names, JSON keys and
/// formats — "NAME VALUE " in text, timers as seconds with two decimals ("%4i.%.2i" in text, a bare number
/// in JSON), masks and port ids as "%#llx" (strings in JSON), flags as on/off (booleans in JSON).
/// </summary>
internal static class BridgeFormat
{
    private enum Style { Number, Hex, Timer, OnOff }

    /// <summary>Bridge attributes in ip's print order: (attribute, JSON key, text name, style); null attribute = special field.</summary>
    private static readonly (BridgeAttribute Attr, string Json, string Text, Style Style)[] s_bridge =
    [
        (BridgeAttribute.ForwardDelay, "forward_delay", "forward_delay", Style.Number),
        (BridgeAttribute.HelloTime, "hello_time", "hello_time", Style.Number),
        (BridgeAttribute.MaxAge, "max_age", "max_age", Style.Number),
        (BridgeAttribute.AgeingTime, "ageing_time", "ageing_time", Style.Number),
        (BridgeAttribute.StpState, "stp_state", "stp_state", Style.Number),
        (BridgeAttribute.Priority, "priority", "priority", Style.Number),
        (BridgeAttribute.VlanFiltering, "vlan_filtering", "vlan_filtering", Style.Number),
        (BridgeAttribute.VlanProtocol, "", "", Style.Number),
        (BridgeAttribute.BridgeId, "", "", Style.Number),
        (BridgeAttribute.RootId, "", "", Style.Number),
        (BridgeAttribute.RootPort, "root_port", "root_port", Style.Number),
        (BridgeAttribute.RootPathCost, "root_path_cost", "root_path_cost", Style.Number),
        (BridgeAttribute.TopologyChange, "topology_change", "topology_change", Style.Number),
        (BridgeAttribute.TopologyChangeDetected, "topology_change_detected", "topology_change_detected", Style.Number),
        (BridgeAttribute.HelloTimer, "hello_timer", "hello_timer", Style.Timer),
        (BridgeAttribute.TcnTimer, "tcn_timer", "tcn_timer", Style.Timer),
        (BridgeAttribute.TopologyChangeTimer, "topology_change_timer", "topology_change_timer", Style.Timer),
        (BridgeAttribute.GcTimer, "gc_timer", "gc_timer", Style.Timer),
        (BridgeAttribute.VlanDefaultPvid, "vlan_default_pvid", "vlan_default_pvid", Style.Number),
        (BridgeAttribute.VlanStatsEnabled, "vlan_stats_enabled", "vlan_stats_enabled", Style.Number),
        (BridgeAttribute.VlanStatsPerPort, "vlan_stats_per_port", "vlan_stats_per_port", Style.Number),
        (BridgeAttribute.GroupFwdMask, "group_fwd_mask", "group_fwd_mask", Style.Hex),
        (BridgeAttribute.GroupAddr, "", "", Style.Number),
        (BridgeAttribute.McastSnooping, "mcast_snooping", "mcast_snooping", Style.Number),
        (BridgeAttribute.MultiBoolopt, "", "", Style.Number),
        (BridgeAttribute.McastRouter, "mcast_router", "mcast_router", Style.Number),
        (BridgeAttribute.McastQueryUseIfaddr, "mcast_query_use_ifaddr", "mcast_query_use_ifaddr", Style.Number),
        (BridgeAttribute.McastQuerier, "mcast_querier", "mcast_querier", Style.Number),
        (BridgeAttribute.McastHashElasticity, "mcast_hash_elasticity", "mcast_hash_elasticity", Style.Number),
        (BridgeAttribute.McastHashMax, "mcast_hash_max", "mcast_hash_max", Style.Number),
        (BridgeAttribute.McastLastMemberCnt, "mcast_last_member_cnt", "mcast_last_member_count", Style.Number),
        (BridgeAttribute.McastStartupQueryCnt, "mcast_startup_query_cnt", "mcast_startup_query_count", Style.Number),
        (BridgeAttribute.McastLastMemberIntvl, "mcast_last_member_intvl", "mcast_last_member_interval", Style.Number),
        (BridgeAttribute.McastMembershipIntvl, "mcast_membership_intvl", "mcast_membership_interval", Style.Number),
        (BridgeAttribute.McastQuerierIntvl, "mcast_querier_intvl", "mcast_querier_interval", Style.Number),
        (BridgeAttribute.McastQueryIntvl, "mcast_query_intvl", "mcast_query_interval", Style.Number),
        (BridgeAttribute.McastQueryResponseIntvl, "mcast_query_response_intvl", "mcast_query_response_interval", Style.Number),
        (BridgeAttribute.McastStartupQueryIntvl, "mcast_startup_query_intvl", "mcast_startup_query_interval", Style.Number),
        (BridgeAttribute.McastStatsEnabled, "mcast_stats_enabled", "mcast_stats_enabled", Style.Number),
        (BridgeAttribute.McastIgmpVersion, "mcast_igmp_version", "mcast_igmp_version", Style.Number),
        (BridgeAttribute.McastMldVersion, "mcast_mld_version", "mcast_mld_version", Style.Number),
        (BridgeAttribute.NfCallIptables, "nf_call_iptables", "nf_call_iptables", Style.Number),
        (BridgeAttribute.NfCallIp6tables, "nf_call_ip6tables", "nf_call_ip6tables", Style.Number),
        (BridgeAttribute.NfCallArptables, "nf_call_arptables", "nf_call_arptables", Style.Number),
    ];

    /// <summary>Port attributes in ip's print order; STATE, the two ids, GROUP_FWD_MASK and BACKUP_PORT are special.</summary>
    private static readonly (BridgePortAttribute Attr, string Json, string Text, Style Style)[] s_port =
    [
        (BridgePortAttribute.State, "", "", Style.Number),
        (BridgePortAttribute.Priority, "priority", "priority", Style.Number),
        (BridgePortAttribute.Cost, "cost", "cost", Style.Number),
        (BridgePortAttribute.Mode, "hairpin", "hairpin", Style.OnOff),
        (BridgePortAttribute.Guard, "guard", "guard", Style.OnOff),
        (BridgePortAttribute.Protect, "root_block", "root_block", Style.OnOff),
        (BridgePortAttribute.FastLeave, "fastleave", "fastleave", Style.OnOff),
        (BridgePortAttribute.Learning, "learning", "learning", Style.OnOff),
        (BridgePortAttribute.UnicastFlood, "flood", "flood", Style.OnOff),
        (BridgePortAttribute.Id, "id", "port_id", Style.Hex),
        (BridgePortAttribute.No, "no", "port_no", Style.Hex),
        (BridgePortAttribute.DesignatedPort, "designated_port", "designated_port", Style.Number),
        (BridgePortAttribute.DesignatedCost, "designated_cost", "designated_cost", Style.Number),
        (BridgePortAttribute.BridgeId, "", "", Style.Number),
        (BridgePortAttribute.RootId, "", "", Style.Number),
        (BridgePortAttribute.HoldTimer, "hold_timer", "hold_timer", Style.Timer),
        (BridgePortAttribute.MessageAgeTimer, "message_age_timer", "message_age_timer", Style.Timer),
        (BridgePortAttribute.ForwardDelayTimer, "forward_delay_timer", "forward_delay_timer", Style.Timer),
        (BridgePortAttribute.TopologyChangeAck, "topology_change_ack", "topology_change_ack", Style.Number),
        (BridgePortAttribute.ConfigPending, "config_pending", "config_pending", Style.Number),
        (BridgePortAttribute.Proxyarp, "proxy_arp", "proxy_arp", Style.OnOff),
        (BridgePortAttribute.ProxyarpWifi, "proxy_arp_wifi", "proxy_arp_wifi", Style.OnOff),
        (BridgePortAttribute.MulticastRouter, "multicast_router", "mcast_router", Style.Number),
        (BridgePortAttribute.Flush, "", "", Style.Number), // placeholder for ip's text-only "mcast_fast_leave"
        (BridgePortAttribute.McastFlood, "mcast_flood", "mcast_flood", Style.OnOff),
        (BridgePortAttribute.BcastFlood, "bcast_flood", "bcast_flood", Style.OnOff),
        (BridgePortAttribute.McastToUcast, "mcast_to_unicast", "mcast_to_unicast", Style.OnOff),
        (BridgePortAttribute.NeighSuppress, "neigh_suppress", "neigh_suppress", Style.OnOff),
        (BridgePortAttribute.GroupFwdMask, "", "", Style.Number),
        (BridgePortAttribute.VlanTunnel, "vlan_tunnel", "vlan_tunnel", Style.OnOff),
        (BridgePortAttribute.Isolated, "isolated", "isolated", Style.OnOff),
        (BridgePortAttribute.Locked, "locked", "locked", Style.OnOff),
        (BridgePortAttribute.BackupPort, "", "", Style.Number),
    ];

    private static readonly string[] s_portStates = ["disabled", "listening", "learning", "forwarding", "blocking"];

    /// <summary>Appends the fields after "bridge " (each "NAME VALUE ").</summary>
    internal static void Text(StringBuilder sb, BridgeLinkData d)
    {
        foreach (var (name, value) in Bridge(d, json: false))
        {
            sb.Append(name).Append(' ').Append(value.Text).Append(' ');
        }
    }

    internal static JsonObject Json(BridgeLinkData d)
    {
        var o = new JsonObject();
        foreach (var (name, value) in Bridge(d, json: true))
        {
            o[name] = value.Json;
        }
        return o;
    }

    /// <summary>Appends the fields after "bridge_slave " (each "NAME VALUE ").</summary>
    internal static void PortText(StringBuilder sb, BridgePortData d, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        foreach (var (name, value) in Port(d, byIndex, json: false))
        {
            sb.Append(name).Append(' ').Append(value.Text).Append(' ');
        }
    }

    internal static JsonObject PortJson(BridgePortData d, IReadOnlyDictionary<int, LinkInfo> byIndex)
    {
        var o = new JsonObject();
        foreach (var (name, value) in Port(d, byIndex, json: true))
        {
            if (value.Json is not null)
            {
                o[name] = value.Json;
            }
        }
        return o;
    }

    private readonly record struct Field(string Text, JsonNode? Json);

    private static IEnumerable<(string Name, Field Value)> Bridge(BridgeLinkData d, bool json)
    {
        foreach (var (attr, jsonName, textName, style) in s_bridge)
        {
            switch (attr)
            {
                case BridgeAttribute.VlanProtocol when d.VlanProtocol is { } proto:
                    var protoName = VlanProtocolName(proto);
                    yield return ("vlan_protocol", new Field(protoName, protoName));
                    break;
                case BridgeAttribute.BridgeId when d.BridgeId is { } id:
                    yield return ("bridge_id", new Field(id.ToString(), id.ToString()));
                    break;
                case BridgeAttribute.RootId when d.RootId is not null:
                    // iproute2 (through 6.x) prints IFLA_BR_BRIDGE_ID here, not IFLA_BR_ROOT_ID; we print what it prints.
                    var root = (d.BridgeId ?? d.RootId).ToString();
                    yield return (json ? "root_id" : "designated_root", new Field(root, root));
                    break;
                case BridgeAttribute.GroupAddr when d.GroupAddress is { } mac:
                    var text = LinkInfo.FormatAddress(mac.Span);
                    yield return (json ? "group_addr" : "group_address", new Field(text, text));
                    break;
                case BridgeAttribute.MultiBoolopt when d.BoolOptMask is { } mask:
                    // BR_BOOLOPT_NO_LL_LEARN = 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1.
                    var value = d.BoolOptValue ?? 0;
                    if ((mask & 1) != 0)
                    {
                        yield return ("no_linklocal_learn", Number(value & 1));
                    }
                    if ((mask & 2) != 0)
                    {
                        yield return ("mcast_vlan_snooping", Number((value >> 1) & 1));
                    }
                    break;
                case BridgeAttribute.VlanProtocol or BridgeAttribute.BridgeId or BridgeAttribute.RootId
                    or BridgeAttribute.GroupAddr or BridgeAttribute.MultiBoolopt:
                    break;
                default:
                    if (d.Values.TryGetValue(attr, out var v))
                    {
                        yield return (json ? jsonName : textName, Format(v, style));
                    }
                    break;
            }
        }
    }

    private static IEnumerable<(string Name, Field Value)> Port(BridgePortData d, IReadOnlyDictionary<int, LinkInfo> byIndex, bool json)
    {
        foreach (var (attr, jsonName, textName, style) in s_port)
        {
            switch (attr)
            {
                case BridgePortAttribute.State:
                    if (d.Values.TryGetValue(attr, out var state))
                    {
                        yield return state < (ulong)s_portStates.Length
                            ? ("state", new Field(s_portStates[state], s_portStates[state]))
                            : (json ? "state_index" : "state", new Field($"({state})", JsonValue.Create((int)(byte)state)));
                    }
                    break;
                case BridgePortAttribute.BridgeId when d.DesignatedBridge is { } id:
                    yield return (json ? "bridge_id" : "designated_bridge", new Field(id.ToString(), id.ToString()));
                    break;
                case BridgePortAttribute.RootId when d.DesignatedRoot is { } root:
                    yield return (json ? "root_id" : "designated_root", new Field(root.ToString(), root.ToString()));
                    break;
                case BridgePortAttribute.Flush:
                    // ip prints "mcast_fast_leave" (FAST_LEAVE again) in text only: JSON already has "fastleave".
                    if (!json && d.Values.TryGetValue(BridgePortAttribute.FastLeave, out var fastLeave))
                    {
                        yield return ("mcast_fast_leave", Format(fastLeave, Style.OnOff));
                    }
                    break;
                case BridgePortAttribute.GroupFwdMask:
                    if (d.Values.TryGetValue(attr, out var mask))
                    {
                        yield return ("group_fwd_mask", Format(mask, Style.Hex));
                        var names = FwdMaskNames((ushort)mask);
                        yield return ("group_fwd_mask_str", new Field(names, names));
                    }
                    break;
                case BridgePortAttribute.BackupPort:
                    if (d.Values.TryGetValue(attr, out var backup))
                    {
                        var name = byIndex.TryGetValue((int)backup, out var l) ? l.Name : $"if{backup}";
                        yield return ("backup_port", new Field(name, name));
                    }
                    break;
                case BridgePortAttribute.BridgeId or BridgePortAttribute.RootId:
                    break;
                default:
                    if (d.Values.TryGetValue(attr, out var v))
                    {
                        yield return (json ? jsonName : textName, Format(v, style));
                    }
                    break;
            }
        }
    }

    private static Field Number(ulong v) => new(v.ToString(CultureInfo.InvariantCulture), JsonValue.Create(v));

    private static Field Format(ulong v, Style style)
    {
        switch (style)
        {
            case Style.Hex:
                // printf "%#llx": no 0x prefix for zero.
                var hex = v == 0 ? "0" : "0x" + v.ToString("x", CultureInfo.InvariantCulture);
                return new Field(hex, hex);
            case Style.OnOff:
                return new Field(v != 0 ? "on" : "off", JsonValue.Create(v != 0));
            case Style.Timer:
                // USER_HZ (100) ticks: seconds "%4i" (text) / "%i" (JSON), then ".%.2i" centiseconds.
                var seconds = v / 100;
                var centis = v % 100;
                var text = string.Create(CultureInfo.InvariantCulture, $"{seconds,4}.{centis:D2}");
                return new Field(text, JsonValue.Create(new decimal((int)(v & 0x7fffffff), 0, 0, false, 2)));
            default:
                return Number(v);
        }
    }

    /// <summary>iproute2's _bitmask2str with fwd_mask_tbl: bit 0 stp, 2 lacp, 14 lldp, others "0x…", joined by ','; "0x0" when empty.</summary>
    private static string FwdMaskNames(ushort mask)
    {
        var parts = new List<string>();
        for (var i = 0; i < 16; i++)
        {
            if ((mask & (1 << i)) != 0)
            {
                parts.Add(i switch
                {
                    0 => "stp",
                    2 => "lacp",
                    14 => "lldp",
                    _ => "0x" + (1 << i).ToString("x", CultureInfo.InvariantCulture),
                });
            }
        }
        return parts.Count == 0 ? "0x0" : string.Join(',', parts);
    }

    /// <summary>ll_proto_n2a for the two VLAN EtherTypes a bridge takes.</summary>
    private static string VlanProtocolName(ushort proto) => proto switch
    {
        0x8100 => "802.1Q",
        0x88a8 => "802.1ad",
        _ => "0x" + proto.ToString("x", CultureInfo.InvariantCulture),
    };
}

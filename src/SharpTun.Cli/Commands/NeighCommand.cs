using System.CommandLine;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun neigh show|add|del|replace</c>: the ARP/NDP table, the counterpart of <c>ip neigh</c>.</summary>
internal static class NeighCommand
{
    internal static Command Create()
    {
        var cmd = new Command("neigh", "Show and change the neighbour (ARP/NDP) table (like 'ip neigh').");
        cmd.Aliases.Add("neighbour");
        cmd.Aliases.Add("neighbor");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Change("add", "Add a neighbour entry (like 'ip neigh add 198.18.0.2 lladdr 02:00:00:00:00:02 dev veth0'; nud permanent by default)."));
        cmd.Subcommands.Add(Change("replace", "Add or replace a neighbour entry (like 'ip neigh replace …')."));
        cmd.Subcommands.Add(Change("del", "Delete a neighbour entry (like 'ip neigh del 198.18.0.2 dev veth0')."));
        return cmd;
    }

    private static Command Show()
    {
        var words = NetlinkCli.Words("FILTER", "[to] PREFIX | dev DEV | nud STATE|all");
        var v4 = new Option<bool>("-4") { Description = "IPv4 (ARP) only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 (NDP) only" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List neighbour entries, NOARP ones left out unless 'nud all' (like 'ip neigh show').") { words, v4, v6, json, netns };
        cmd.Aliases.Add("list");
        cmd.Aliases.Add("lst");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "neigh show");
            string? dev = null;
            IpPrefix? to = null;
            // ip's default: every state but NOARP (and not NONE).
            var states = 0xFF & ~NeighborInfo.NoArp;
            var all = false;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev": dev = w.Value("dev"); break;
                    case "nud":
                        var s = w.Value("nud");
                        all = s == "all";
                        states = all ? 0xFF : (states == (0xFF & ~NeighborInfo.NoArp) ? 0 : states) | NeighborInfo.ParseState(s);
                        break;
                    case "to": to = IpPrefix.ParseIproute2(w.Value("to")); break;
                    default: to = to is null ? IpPrefix.ParseIproute2(word) : throw w.Unknown(word); break;
                }
            }
            var family = r.GetValue(v4) ? AddressFamily.InterNetwork : r.GetValue(v6) ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var byIndex = NetlinkCli.ByIndex(c.GetLinks());
            var index = dev is null ? (int?)null : c.GetLink(dev).Index;
            var shown = c.GetNeighbors(family)
                .Where(n => index is null || n.Index == index)
                .Where(n => all || (n.State & states) != 0)
                .Where(n => to is not { } p || (n.Family == p.Address.AddressFamily && new IpPrefix(n.Address, p.Length).Network.Equals(p.Network)))
                .ToList();
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(shown.Select(n => (JsonNode)Json(n, byIndex, showDev: dev is null)));
                return CliRunner.Ok;
            }
            foreach (var n in shown)
            {
                Console.WriteLine(Text(n, byIndex, showDev: dev is null));
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static string DevName(NeighborInfo n, IReadOnlyDictionary<int, LinkInfo> byIndex) =>
        byIndex.TryGetValue(n.Index, out var l) ? l.Name : $"if{n.Index}";

    /// <summary>ip's line: "ADDR dev DEV lladdr MAC [router] STATE " (dev left out when the filter names it).</summary>
    internal static string Text(NeighborInfo n, IReadOnlyDictionary<int, LinkInfo> byIndex, bool showDev)
    {
        var sb = new StringBuilder().Append(n.Address);
        if (showDev)
        {
            sb.Append(" dev ").Append(DevName(n, byIndex));
        }
        if (n.LinkAddress is { Length: > 0 } mac)
        {
            sb.Append(" lladdr ").Append(LinkInfo.FormatAddress(mac));
        }
        if (n.IsRouter)
        {
            sb.Append(" router");
        }
        foreach (var s in n.StateNames)
        {
            sb.Append(' ').Append(s);
        }
        return sb.Append(' ').ToString();
    }

    internal static JsonObject Json(NeighborInfo n, IReadOnlyDictionary<int, LinkInfo> byIndex, bool showDev)
    {
        var o = new JsonObject { ["dst"] = n.Address.ToString() };
        if (showDev)
        {
            o["dev"] = DevName(n, byIndex);
        }
        if (n.LinkAddress is { Length: > 0 } mac)
        {
            o["lladdr"] = LinkInfo.FormatAddress(mac);
        }
        if (n.IsRouter)
        {
            o["router"] = null;
        }
        o["state"] = new JsonArray([.. n.StateNames.Select(s => (JsonNode)JsonValue.Create(s))]);
        return o;
    }

    private static Command Change(string verb, string description)
    {
        var words = NetlinkCli.Words("ENTRY", "ADDR [lladdr MAC] dev DEV [nud permanent|noarp|reachable|stale|none]");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command(verb, description) { words, netns };
        if (verb == "del")
        {
            cmd.Aliases.Add("delete");
        }
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], $"neigh {verb}");
            string? dev = null;
            System.Net.IPAddress? address = null;
            byte[] mac = [];
            var state = NeighborInfo.Permanent;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev": dev = w.Value("dev"); break;
                    case "lladdr": mac = Words.ParseMac(w.Value("lladdr")); break;
                    case "nud": state = NeighborInfo.ParseState(w.Value("nud")); break;
                    case "to": address = Address(w.Value("to")); break;
                    default: address = address is null ? Address(word) : throw w.Unknown(word); break;
                }
            }
            if (address is null || dev is null)
            {
                throw new ArgumentException($"neigh {verb}: an address and 'dev DEV' are required");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            if (verb == "del")
            {
                c.NeighborDelete(dev, address);
            }
            else
            {
                c.NeighborAdd(dev, address, mac, state, replace: verb == "replace");
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static System.Net.IPAddress Address(string text) =>
        IpPrefix.TryParseIproute2Address(text) ?? throw new ArgumentException($"invalid neighbour address '{text}'");
}

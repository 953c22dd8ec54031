using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using SharpTun.Cli.Formatting;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun addr show|add|del|flush</c>: the counterpart of <c>ip addr</c>, over rtnetlink.</summary>
internal static class AddrCommand
{
    internal static Command Create()
    {
        var cmd = new Command("addr", "Show and change interface addresses (like 'ip addr').");
        cmd.Aliases.Add("address");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Change("add", "Add an address (like 'ip addr add 10.1.1.1/24 brd + dev tap0')."));
        cmd.Subcommands.Add(Change("del", "Remove an address (like 'ip addr del 10.1.1.1/24 dev tap0')."));
        cmd.Subcommands.Add(Flush());
        return cmd;
    }

    private static Command Show()
    {
        var words = NetlinkCli.Words("FILTER", "[dev] DEV | up | to PREFIX | scope S | label PATTERN (as 'ip addr show')");
        var v4 = new Option<bool>("-4") { Description = "IPv4 only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 only" };
        var json = NetlinkCli.JsonOption();
        var brief = NetlinkCli.BriefOption();
        var oneline = NetlinkCli.OnelineOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List links with their addresses (like 'ip addr show [dev DEV] [up] [to PREFIX] [scope S] [label L]').")
        {
            words, v4, v6, json, brief, oneline, netns,
        };
        cmd.Aliases.Add("list");
        cmd.Aliases.Add("lst");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var family = r.GetValue(v4) ? AddressFamily.InterNetwork : r.GetValue(v6) ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;
            var filter = AddressFilter.Parse(new Words(r.GetValue(words) ?? [], "addr show"), family);
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var links = c.GetLinks();
            var byIndex = NetlinkCli.ByIndex(links);
            var candidates = filter.Device is null ? links : [c.GetLink(filter.Device)];
            var all = c.GetAddresses().ToLookup(a => a.Index);
            var shown = candidates.Where(l => filter.Keeps(l, all[l.Index])).ToList();
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(shown.Select(l =>
                {
                    var o = LinkFormat.Json(l, byIndex, linkMode: false, details: false, stats: false);
                    // As in text: with a family chosen, no link-layer fields (and for IPv6, the inet6 link message's fields only).
                    string[] dropped = filter.Family switch
                    {
                        AddressFamily.Unspecified => [],
                        AddressFamily.InterNetworkV6 => ["link_type", "address", "broadcast", "qdisc", "group"],
                        _ => ["link_type", "address", "broadcast"],
                    };
                    foreach (var key in dropped)
                    {
                        o.Remove(key);
                    }
                    o["addr_info"] = new JsonArray([.. all[l.Index].Where(filter.Matches).Select(a => (JsonNode)AddressFormat.Json(a))]);
                    return (JsonNode)o;
                }));
                return CliRunner.Ok;
            }
            var nsNames = shown.Any(l => l.LinkNetNsId is not null) ? c.GetNamespaceNames() : null;
            foreach (var l in shown)
            {
                var matching = all[l.Index].Where(filter.Matches).ToList();
                if (r.GetValue(brief))
                {
                    Console.WriteLine(BriefFormat.Address(l, byIndex, matching));
                    continue;
                }
                if (r.GetValue(oneline))
                {
                    foreach (var a in matching)
                    {
                        Console.WriteLine(BriefFormat.AddressLine(l, a));
                    }
                    continue;
                }
                if (filter.ShowsHeader)
                {
                    var header = LinkFormat.Text(l, byIndex, linkMode: false, details: false, stats: false, nsNames);
                    // With a family chosen (-4, -6, 'to PREFIX') ip leaves out the link-layer line.
                    Console.WriteLine(filter.Family switch
                    {
                        AddressFamily.Unspecified => header,
                        AddressFamily.InterNetworkV6 => BriefFormat.Inet6Header(l, byIndex),
                        _ => FirstLine(header),
                    });
                }
                foreach (var a in matching)
                {
                    Console.WriteLine(AddressFormat.Text(a));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    /// <summary>The header's first line; ip moves the link/ line's "link-netns NAME" (a veth peer elsewhere) to its end.</summary>
    private static string FirstLine(string header)
    {
        var lines = header.Split('\n');
        var at = lines.Length > 1 ? lines[1].IndexOf(" link-netns", StringComparison.Ordinal) : -1;
        return at < 0 ? lines[0] : lines[0] + lines[1][at..];
    }

    private static Command Change(string verb, string description)
    {
        var words = NetlinkCli.Words("ADDRESS",
            "[local] ADDR/LEN dev DEV [brd +|broadcast ADDR] [peer ADDR] [scope global|link|host] [label LABEL] [nodad] [noprefixroute], in any order");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command(verb, description) { words, netns };
        if (verb == "del")
        {
            cmd.Aliases.Add("delete");
        }
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], $"addr {verb}");
            string? dev = null;
            IpPrefix? prefix = null;
            string? peerText = null;
            var options = new AddressOptions();
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev": dev = w.Value("dev"); break;
                    case "brd" or "broadcast":
                        var b = w.Value(word);
                        options = b == "+" ? options with { BroadcastFromPrefix = true } : options with { Broadcast = ParseAddress(b, word) };
                        break;
                    case "peer": peerText = w.Value("peer"); options = options with { Peer = IpPrefix.ParseIproute2(peerText).Address }; break;
                    case "scope": options = options with { Scope = RtNames.ParseScope(w.Value("scope")) }; break;
                    case "label": options = options with { Label = w.Value("label") }; break;
                    case "nodad": options = options with { NoDad = true }; break;
                    case "noprefixroute": options = options with { NoPrefixRoute = true }; break;
                    case "local": prefix = Local(w.Value("local"), prefix, verb); break;
                    default: prefix = Local(word, prefix, verb); break;
                }
            }
            if (prefix is not { } local)
            {
                throw new ArgumentException($"addr {verb}: an address (ADDR/LEN) is required");
            }
            if (dev is null)
            {
                throw new ArgumentException($"addr {verb}: 'dev DEV' is required");
            }
            if (peerText is not null)
            {
                // ip addr add 10.0.0.1 peer 10.0.0.2/32: the prefix length is written on the peer.
                local = new IpPrefix(local.Address, IpPrefix.ParseIproute2(peerText).Length);
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            if (verb == "add")
            {
                c.AddressAdd(dev, local, options);
            }
            else
            {
                c.AddressDelete(dev, local, options.Peer);
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Flush()
    {
        var words = NetlinkCli.Words("DEV", "[dev] DEV");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("flush", "Remove every address of a device (like 'ip addr flush dev DEV').") { words, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var dev = (r.GetValue(words) ?? []) switch
            {
                ["dev", var d] => d,
                [var d] => d,
                _ => throw new ArgumentException("addr flush: use 'addr flush dev DEV'"),
            };
            using var c = NetlinkCli.Open(r.GetValue(netns));
            c.AddressFlush(dev);
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static IPAddress ParseAddress(string text, string keyword)
    {
        return IpPrefix.TryParseIproute2Address(text) ?? throw new ArgumentException($"invalid {keyword} address '{text}'");
    }

    private static IpPrefix Local(string text, IpPrefix? already, string verb) =>
        already is null ? IpPrefix.ParseIproute2(text) : throw new ArgumentException($"addr {verb}: unknown argument '{text}' (the address is {already})");
}

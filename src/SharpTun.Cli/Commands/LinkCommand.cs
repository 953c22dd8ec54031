using System.CommandLine;
using SharpTun.Cli.Formatting;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun link show|set|add|del</c>: the counterpart of <c>ip link</c>, over rtnetlink.</summary>
internal static class LinkCommand
{
    internal static Command Create()
    {
        var cmd = new Command("link", "Show and configure network interfaces (like 'ip link').");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Set());
        cmd.Subcommands.Add(Add());
        cmd.Subcommands.Add(Del());
        return cmd;
    }

    private static Command Show()
    {
        var words = NetlinkCli.Words("FILTER", "[dev] DEV | up | type KIND | master DEV (as 'ip link show')");
        var details = new Option<bool>("--details", "-d") { Description = "add details: kind (linkinfo), promiscuity, min/max mtu, queues" };
        var stats = new Option<bool>("--stats", "-s") { Description = "add counters (stats64)" };
        var json = NetlinkCli.JsonOption();
        var brief = NetlinkCli.BriefOption();
        var oneline = NetlinkCli.OnelineOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List links (like 'ip link show [dev DEV] [up] [type KIND]').") { words, details, stats, json, brief, oneline, netns };
        cmd.Aliases.Add("list");
        cmd.Aliases.Add("lst");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "link show");
            string? name = null, kind = null, master = null;
            var upOnly = false;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev": name = w.Value("dev"); break;
                    case "up": upOnly = true; break;
                    case "type": kind = w.Value("type"); break;
                    case "master": master = w.Value("master"); break;
                    default:
                        if (name is not null)
                        {
                            throw w.Unknown(word);
                        }
                        name = word;
                        break;
                }
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var links = c.GetLinks();
            var byIndex = NetlinkCli.ByIndex(links);
            var masterIndex = master is null ? (int?)null : c.GetLink(master).Index;
            IReadOnlyList<LinkInfo> shown = [.. (name is null ? links : [c.GetLink(name)])
                .Where(l => !upOnly || l.IsUp)
                .Where(l => kind is null || l.Kind == kind)
                .Where(l => masterIndex is null || l.MasterIndex == masterIndex)];
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(shown.Select(l => LinkFormat.Json(l, byIndex, linkMode: true, r.GetValue(details), r.GetValue(stats))));
                return CliRunner.Ok;
            }
            var nsNames = shown.Any(l => l.LinkNetNsId is not null) ? c.GetNamespaceNames() : null;
            foreach (var l in shown)
            {
                Console.WriteLine(r.GetValue(brief)
                    ? BriefFormat.Link(l, byIndex)
                    : r.GetValue(oneline)
                        ? BriefFormat.OneLine(LinkFormat.Text(l, byIndex, linkMode: true, r.GetValue(details), r.GetValue(stats), nsNames))
                        : LinkFormat.Text(l, byIndex, linkMode: true, r.GetValue(details), r.GetValue(stats), nsNames));
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Set()
    {
        var words = NetlinkCli.Words("SETTINGS", "[dev] DEV up | down | mtu N | address MAC | name NEW | master BRIDGE | nomaster | netns NS|PID | txqueuelen N");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("set", "Change a link in one request: all changes or none (like 'ip link set dev DEV up mtu 1400 …').") { words, netns };
        cmd.Aliases.Add("change");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "link set");
            string? name = null;
            var change = new LinkChange();
            string? targetNs = null;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "dev": name = w.Value("dev"); break;
                    case "up": change = change with { Up = true }; break;
                    case "down": change = change with { Up = false }; break;
                    case "mtu": change = change with { Mtu = w.Int("mtu") }; break;
                    case "address": change = change with { Address = Words.ParseMac(w.Value("address")) }; break;
                    case "name": change = change with { Name = w.Value("name") }; break;
                    case "master": change = change with { Master = w.Value("master") }; break;
                    case "nomaster": change = change with { Master = "" }; break;
                    case "netns": targetNs = w.Value("netns"); break;
                    case "txqueuelen" or "txqlen" or "qlen": change = change with { TxQueueLength = w.Int(word) }; break;
                    default:
                        if (name is not null)
                        {
                            throw w.Unknown(word);
                        }
                        name = word;
                        break;
                }
            }
            if (name is null)
            {
                throw new ArgumentException("link set: a device is required ('link set dev DEV …')");
            }
            if (change == new LinkChange() && targetNs is null)
            {
                throw new ArgumentException("link set: nothing to change (try up, down, mtu N, …)");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            using var nsHandle = targetNs is not null && !int.TryParse(targetNs, out _) ? NetNamespace.OpenHandle(targetNs) : null;
            if (targetNs is not null)
            {
                change = nsHandle is not null
                    ? change with { NamespaceFd = (int)nsHandle.DangerousGetHandle() }
                    : change with { NamespacePid = int.Parse(targetNs, System.Globalization.CultureInfo.InvariantCulture) };
            }
            c.LinkSet(name, change);
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Add()
    {
        var name = new Argument<string>("NAME") { Description = "the new link's name" };
        var words = NetlinkCli.Words("TYPE", "type veth [peer [name] PEER [netns NS]] | type bridge | type KIND");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("add", "Create a link: a veth pair or a bridge (like 'ip link add NAME type veth peer name PEER').") { name, words, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "link add");
            string? kind = null, peer = null, peerNs = null;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "type": kind = w.Value("type"); break;
                    case "peer":
                        var p = w.Value("peer");
                        peer = p == "name" ? w.Value("peer name") : p;
                        if (w.Any)
                        {
                            var next = w.Next();
                            if (next != "netns")
                            {
                                throw w.Unknown(next);
                            }
                            peerNs = w.Value("netns");
                        }
                        break;
                    default: throw w.Unknown(word);
                }
            }
            if (kind is null)
            {
                throw new ArgumentException("link add: 'type KIND' is required (veth, bridge, …)");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            switch (kind)
            {
                case "veth":
                    if (peer is null)
                    {
                        throw new ArgumentException("link add: a veth needs 'peer name PEER'");
                    }
                    if (peerNs is null)
                    {
                        c.AddVeth(r.GetValue(name)!, peer);
                    }
                    else
                    {
                        c.AddVeth(r.GetValue(name)!, peer, peerNs);
                    }
                    break;
                default:
                    if (peer is not null)
                    {
                        throw new ArgumentException($"link add: 'peer' applies to veth only, not {kind}");
                    }
                    c.AddLink(r.GetValue(name)!, kind);
                    break;
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Del()
    {
        var name = new Argument<string>("NAME") { Description = "the link to delete (a veth deletes both ends)" };
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("del", "Delete a link (like 'ip link del NAME').") { name, netns };
        cmd.Aliases.Add("delete");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            using var c = NetlinkCli.Open(r.GetValue(netns));
            c.LinkDelete(r.GetValue(name)!);
            return CliRunner.Ok;
        }));
        return cmd;
    }
}

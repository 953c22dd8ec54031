using System.CommandLine;
using SharpTun.Cli.Formatting;
using SharpTun.Linux.Netlink;

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
        var dev = new Argument<string?>("DEV") { Description = "only this device", Arity = ArgumentArity.ZeroOrOne };
        var details = new Option<bool>("--details", "-d") { Description = "add details: kind (linkinfo), promiscuity, min/max mtu, queues" };
        var stats = new Option<bool>("--stats", "-s") { Description = "add counters (stats64)" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List links (like 'ip link show [DEV]').") { dev, details, stats, json, netns };
        cmd.Aliases.Add("list");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var links = c.GetLinks();
            var byIndex = NetlinkCli.ByIndex(links);
            var name = r.GetValue(dev);
            var shown = name is null ? links : [c.GetLink(name)];
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(shown.Select(l => LinkFormat.Json(l, byIndex, linkMode: true, r.GetValue(details), r.GetValue(stats))));
            }
            else
            {
                var nsNames = shown.Any(l => l.LinkNetNsId is not null) ? c.GetNamespaceNames() : null;
                foreach (var l in shown)
                {
                    Console.WriteLine(LinkFormat.Text(l, byIndex, linkMode: true, r.GetValue(details), r.GetValue(stats), nsNames));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Set()
    {
        var dev = new Argument<string>("DEV") { Description = "the device" };
        var words = NetlinkCli.Words("SETTINGS", "up | down | mtu N | address MAC | name NEW | master BRIDGE | nomaster | netns NS | txqueuelen N");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("set", "Change a link (like 'ip link set DEV up mtu 1400 …').") { dev, words, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var name = r.GetValue(dev)!;
            if (name == "dev")
            {
                throw new ArgumentException("link set: write 'sharptun link set DEV …' (without 'dev')");
            }
            var w = new Words(r.GetValue(words) ?? [], "link set");
            if (!w.Any)
            {
                throw new ArgumentException("link set: nothing to change (try up, down, mtu N, …)");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "up": c.LinkSetUp(name); break;
                    case "down": c.LinkSetDown(name); break;
                    case "mtu": c.LinkSetMtu(name, w.Int("mtu")); break;
                    case "address": c.LinkSetAddress(name, Words.ParseMac(w.Value("address"))); break;
                    case "name": var n = w.Value("name"); c.LinkRename(name, n); name = n; break;
                    case "master": c.LinkSetMaster(name, w.Value("master")); break;
                    case "nomaster": c.LinkSetNoMaster(name); break;
                    case "netns": c.LinkSetNamespace(name, w.Value("netns")); break;
                    case "txqueuelen" or "txqlen" or "qlen": c.LinkSetTxQueueLength(name, w.Int(word)); break;
                    default: throw w.Unknown(word);
                }
            }
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

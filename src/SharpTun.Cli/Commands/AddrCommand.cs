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
        var words = NetlinkCli.Words("DEV", "[dev] DEV: only this device");
        var v4 = new Option<bool>("-4") { Description = "IPv4 only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 only" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List links with their addresses (like 'ip addr show [dev DEV]').") { words, v4, v6, json, netns };
        cmd.Aliases.Add("list");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = r.GetValue(words) ?? [];
            var dev = w switch
            {
                [] => null,
                ["dev", var d] => d,
                [var d] => d,
                _ => throw new ArgumentException("addr show: use 'addr show [dev] DEV'"),
            };
            var family = r.GetValue(v4) ? AddressFamily.InterNetwork : r.GetValue(v6) ? AddressFamily.InterNetworkV6 : AddressFamily.Unspecified;
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var links = c.GetLinks();
            var byIndex = NetlinkCli.ByIndex(links);
            var shown = dev is null ? links : [c.GetLink(dev)];
            var addresses = c.GetAddresses(family: family).ToLookup(a => a.Index);
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(shown.Select(l =>
                {
                    var o = LinkFormat.Json(l, byIndex, linkMode: false, details: false, stats: false);
                    o["addr_info"] = new JsonArray([.. addresses[l.Index].Select(a => (JsonNode)AddressFormat.Json(a))]);
                    return (JsonNode)o;
                }));
                return CliRunner.Ok;
            }
            var nsNames = shown.Any(l => l.LinkNetNsId is not null) ? c.GetNamespaceNames() : null;
            foreach (var l in shown)
            {
                Console.WriteLine(LinkFormat.Text(l, byIndex, linkMode: false, details: false, stats: false, nsNames));
                foreach (var a in addresses[l.Index])
                {
                    Console.WriteLine(AddressFormat.Text(a));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Change(string verb, string description)
    {
        var address = new Argument<string>("ADDRESS") { Description = "ADDR/LEN, e.g. 10.1.1.1/24 or 2001:db8::1/64" };
        var words = NetlinkCli.Words("OPTIONS",
            "dev DEV [brd +|broadcast ADDR] [peer ADDR] [scope global|link|host] [label LABEL] [nodad] [noprefixroute]");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command(verb, description) { address, words, netns };
        if (verb == "del")
        {
            cmd.Aliases.Add("delete");
        }
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var prefix = IpPrefix.Parse(r.GetValue(address)!);
            var w = new Words(r.GetValue(words) ?? [], $"addr {verb}");
            string? dev = null;
            var options = new AddressOptions();
            while (w.Any)
            {
                var word = w.Next();
                options = word switch
                {
                    "dev" => SetDev(ref dev, w.Value("dev"), options),
                    "brd" or "broadcast" => w.Value(word) is var b && b == "+" ? options with { BroadcastFromPrefix = true }
                        : options with { Broadcast = ParseAddress(b, word) },
                    "peer" => options with { Peer = ParsePeer(w, ref prefix) },
                    "scope" => options with { Scope = RtNames.ParseScope(w.Value("scope")) },
                    "label" => options with { Label = w.Value("label") },
                    "nodad" => options with { NoDad = true },
                    "noprefixroute" => options with { NoPrefixRoute = true },
                    _ => throw w.Unknown(word),
                };
            }
            if (dev is null)
            {
                throw new ArgumentException($"addr {verb}: 'dev DEV' is required");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            if (verb == "add")
            {
                c.AddressAdd(dev, prefix, options);
            }
            else
            {
                c.AddressDelete(dev, prefix, options.Peer);
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

    private static AddressOptions SetDev(ref string? dev, string value, AddressOptions options)
    {
        dev = value;
        return options;
    }

    private static IPAddress ParseAddress(string text, string keyword)
    {
        return IPAddress.TryParse(text, out var a) ? a : throw new ArgumentException($"invalid {keyword} address '{text}'");
    }

    /// <summary><c>ip addr add 10.0.0.1 peer 10.0.0.2/32</c>: the prefix length is written on the peer.</summary>
    private static IPAddress ParsePeer(Words w, ref IpPrefix local)
    {
        var peer = IpPrefix.Parse(w.Value("peer"));
        local = new IpPrefix(local.Address, peer.Length);
        return peer.Address;
    }
}

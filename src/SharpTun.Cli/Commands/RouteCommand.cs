using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SharpTun.Cli.Formatting;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun route show|add|del|replace|get</c>: the counterpart of <c>ip route</c>, over rtnetlink.</summary>
internal static class RouteCommand
{
    internal static Command Create()
    {
        var cmd = new Command("route", "Show and change routes (like 'ip route').");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Change("add", "Add a route (like 'ip route add 10.9.0.0/24 via 10.1.1.2 dev tap0 metric 10')."));
        cmd.Subcommands.Add(Change("del", "Delete a route (like 'ip route del 10.9.0.0/24')."));
        cmd.Subcommands.Add(Change("replace", "Add or replace a route (like 'ip route replace …')."));
        cmd.Subcommands.Add(Get());
        return cmd;
    }

    private static Command Show()
    {
        var words = NetlinkCli.Words("FILTER", "[table main|local|all|N] [dev DEV]");
        var v4 = new Option<bool>("-4") { Description = "IPv4 routes only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 routes only (like ip: IPv4 by default, both families for 'table all')" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List routes of table main, or of 'table all|local|N' (like 'ip route show').") { words, v4, v6, json, netns };
        cmd.Aliases.Add("list");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var w = new Words(r.GetValue(words) ?? [], "route show");
            uint? table = 254;
            string? dev = null;
            while (w.Any)
            {
                var word = w.Next();
                switch (word)
                {
                    case "table": var t = w.Value("table"); table = t == "all" ? null : RtNames.ParseTable(t); break;
                    case "dev": dev = w.Value("dev"); break;
                    default: throw w.Unknown(word);
                }
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var byIndex = NetlinkCli.ByIndex(c.GetLinks());
            var oif = dev is null ? (int?)null : c.GetLink(dev).Index;
            // iproute2 lists IPv4 unless -6, except that 'table all' without -4/-6 lists both families.
            var family = r.GetValue(v6) ? AddressFamily.InterNetworkV6
                : r.GetValue(v4) || table is not null ? AddressFamily.InterNetwork : AddressFamily.Unspecified;
            var routes = c.GetRoutes(family)
                .Where(x => table is null || x.Table == table)
                .Where(x => oif is null || x.OutputIndex == oif);
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(routes.Select(x => RouteFormat.Json(x, byIndex)));
            }
            else
            {
                foreach (var x in routes)
                {
                    Console.WriteLine(RouteFormat.Text(x, byIndex));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static Command Change(string verb, string description)
    {
        var words = NetlinkCli.Words("ROUTE",
            "[type] DST|default [via GW] [dev DEV] [src ADDR] [metric N] [table T] [scope S] [proto P]");
        var v6 = new Option<bool>("-6") { Description = "for 'default': the IPv6 default route" };
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command(verb, description) { words, v6, netns };
        if (verb == "del")
        {
            cmd.Aliases.Add("delete");
        }
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var spec = Parse(new Words(r.GetValue(words) ?? [], $"route {verb}"), verb) with { IPv6 = r.GetValue(v6) };
            using var c = NetlinkCli.Open(r.GetValue(netns));
            switch (verb)
            {
                case "add": c.RouteAdd(spec); break;
                case "del": c.RouteDelete(spec); break;
                default: c.RouteReplace(spec); break;
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    internal static RouteSpec Parse(Words w, string verb)
    {
        var spec = new RouteSpec();
        var haveDst = false;
        while (w.Any)
        {
            var word = w.Next();
            switch (word)
            {
                case "via": spec = spec with { Gateway = Address(w.Value("via"), "gateway") }; break;
                case "dev": spec = spec with { Device = w.Value("dev") }; break;
                case "src": spec = spec with { Source = Address(w.Value("src"), "source") }; break;
                case "metric" or "priority" or "preference": spec = spec with { Metric = (uint)w.Int(word) }; break;
                case "table": spec = spec with { Table = RtNames.ParseTable(w.Value("table")) }; break;
                case "scope": spec = spec with { Scope = RtNames.ParseScope(w.Value("scope")) }; break;
                case "proto" or "protocol": spec = spec with { Protocol = RtNames.ParseProtocol(w.Value(word)) }; break;
                case "unicast" or "local" or "broadcast" or "multicast" or "blackhole" or "unreachable" or "prohibit" or "throw" when !haveDst:
                    spec = spec with { Type = RtNames.ParseRouteType(word) };
                    break;
                case "to" when !haveDst: break;
                case "default" when !haveDst: haveDst = true; break;
                default:
                    if (haveDst)
                    {
                        throw w.Unknown(word);
                    }
                    spec = spec with { Destination = IpPrefix.Parse(word) };
                    haveDst = true;
                    break;
            }
        }
        return haveDst ? spec : throw new ArgumentException($"route {verb}: a destination (PREFIX or 'default') is required");
    }

    private static IPAddress Address(string text, string what) =>
        IPAddress.TryParse(text, out var a) ? a : throw new ArgumentException($"invalid {what} address '{text}'");

    private static Command Get()
    {
        var address = new Argument<string>("ADDRESS") { Description = "the destination to look up" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("get", "Show the route the kernel would use to reach ADDRESS (like 'ip route get ADDRESS').") { address, json, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var text = r.GetValue(address)!;
            var dst = IPAddress.TryParse(text, out var a) ? a : throw new ArgumentException($"invalid address '{text}'");
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var byIndex = NetlinkCli.ByIndex(c.GetLinks());
            var route = c.RouteGet(dst);
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson([RouteFormat.Json(route, byIndex)]);
            }
            else
            {
                Console.WriteLine(RouteFormat.Text(route, byIndex));
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }
}

using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using SharpTun.Cli.Formatting;
using SharpTun.Linux.Netlink;
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
        cmd.Subcommands.Add(Change("change", "Change an existing route; fails if there is none (like 'ip route change …')."));
        cmd.Subcommands.Add(Flush());
        cmd.Subcommands.Add(Get());
        return cmd;
    }

    private static Command Show()
    {
        var words = NetlinkCli.Words("FILTER", "[default|PREFIX|root P|match P] [table main|local|all|N] [dev DEV] [proto P] [scope S] [type T]");
        var v4 = new Option<bool>("-4") { Description = "IPv4 routes only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 routes only (like ip: IPv4 by default, both families for 'table all')" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List routes of table main, or of 'table all|local|N', selected as 'ip route show' selects.") { words, v4, v6, json, netns };
        cmd.Aliases.Add("list");
        cmd.Aliases.Add("lst");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var filter = RouteFilter.Parse(new Words(r.GetValue(words) ?? [], "route show"), "route show");
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var byIndex = NetlinkCli.ByIndex(c.GetLinks());
            var routes = Select(c, filter, r.GetValue(v4), r.GetValue(v6));
            var omit = filter.Omitted;
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(routes.Select(x => RouteFormat.Json(x, byIndex, omit)));
            }
            else
            {
                foreach (var x in routes)
                {
                    Console.WriteLine(RouteFormat.Text(x, byIndex, omit));
                }
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static List<RouteInfo> Select(RtNetlinkClient c, RouteFilter filter, bool v4, bool v6)
    {
        var oif = filter.Device is null ? (int?)null : c.GetLink(filter.Device).Index;
        // iproute2 lists IPv4 unless -6 (or an IPv6 prefix), except that 'table all' without -4/-6 lists both families.
        var family = v6 ? AddressFamily.InterNetworkV6
            : v4 ? AddressFamily.InterNetwork
            : filter.Family ?? (filter.Table is not null ? AddressFamily.InterNetwork : AddressFamily.Unspecified);
        return [.. c.GetRoutes(family).Where(x => filter.Matches(x, oif))];
    }

    private static Command Flush()
    {
        var words = NetlinkCli.Words("FILTER", "the selectors of 'route show': [PREFIX] [table T] [dev DEV] [proto P] [scope S] [type T]");
        var v4 = new Option<bool>("-4") { Description = "IPv4 routes only" };
        var v6 = new Option<bool>("-6") { Description = "IPv6 routes only" };
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("flush", "Delete every route the selectors choose (like 'ip route flush dev DEV'); selectors are required.") { words, v4, v6, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var filter = RouteFilter.Parse(new Words(r.GetValue(words) ?? [], "route flush"), "route flush");
            if (!filter.Any)
            {
                throw new ArgumentException("route flush: selectors are required (as ip says: \"Flush requires arguments\")");
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var byIndex = NetlinkCli.ByIndex(c.GetLinks());
            foreach (var x in Select(c, filter, r.GetValue(v4), r.GetValue(v6)))
            {
                c.RouteDelete(new RouteSpec
                {
                    Destination = x.Destination is null ? null : new IpPrefix(x.Destination, x.DestinationLength),
                    IPv6 = x.Family == AddressFamily.InterNetworkV6,
                    Gateway = x.Gateway,
                    Device = x.OutputIndex is { } o && byIndex.TryGetValue(o, out var l) ? l.Name : null,
                    Metric = x.Metric,
                    Table = x.Table,
                    Protocol = x.Protocol,
                    Scope = x.Scope,
                    Type = x.Type,
                });
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
                case "change": c.RouteChange(spec); break;
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
                    spec = spec with { Destination = IpPrefix.ParseIproute2(word) };
                    haveDst = true;
                    break;
            }
        }
        return haveDst ? spec : throw new ArgumentException($"route {verb}: a destination (PREFIX or 'default') is required");
    }

    private static IPAddress Address(string text, string what) =>
        IpPrefix.TryParseIproute2Address(text) ?? throw new ArgumentException($"invalid {what} address '{text}'");

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

using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun rule show|add|del</c>: policy routing rules, the counterpart of <c>ip rule</c>.</summary>
internal static class RuleCommand
{
    internal static Command Create()
    {
        var cmd = new Command("rule", "Show and change policy routing rules (like 'ip rule'), e.g. fwmark routing for a VPN.");
        cmd.Subcommands.Add(Show());
        cmd.Subcommands.Add(Change("add", "Add a rule (like 'ip rule add not fwmark 0xca6c table 51820'); without a table it looks up main."));
        cmd.Subcommands.Add(Change("del", "Delete the first rule matching the fields given (like 'ip rule del priority 100')."));
        return cmd;
    }

    private static Command Show()
    {
        var v6 = new Option<bool>("-6") { Description = "IPv6 rules (IPv4 by default, as ip)" };
        var v4 = new Option<bool>("-4") { Description = "IPv4 rules" };
        var json = NetlinkCli.JsonOption();
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("show", "List the rules in priority order (like 'ip rule show').") { v4, v6, json, netns };
        cmd.Aliases.Add("list");
        cmd.Aliases.Add("lst");
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var rules = c.GetRules(r.GetValue(v6) ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            if (r.GetValue(json))
            {
                NetlinkCli.PrintJson(rules.Select(x => (JsonNode)Json(x)));
                return CliRunner.Ok;
            }
            foreach (var x in rules)
            {
                Console.WriteLine(Text(x));
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    private static int HostLength(RuleInfo x) => x.Family == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>ip's line: "PRIO:\t[not ]from SRC [to DST] [fwmark M[/K]] [iif D] [oif D] lookup T [suppress_prefixlength N]".</summary>
    internal static string Text(RuleInfo x)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{x.Priority}:\t");
        if (x.Invert)
        {
            sb.Append("not ");
        }
        sb.Append("from ").Append(x.Source is { } s ? (s.Length == HostLength(x) ? s.Address.ToString() : s.ToString()) : "all");
        if (x.Destination is { } d)
        {
            sb.Append(" to ").Append(d.Length == HostLength(x) ? d.Address.ToString() : d.ToString());
        }
        if (x.FwMark is not null || x.FwMask is not null)
        {
            var mask = x.FwMask ?? uint.MaxValue;
            sb.Append(CultureInfo.InvariantCulture, $" fwmark 0x{x.FwMark ?? 0:x}");
            if (mask != uint.MaxValue)
            {
                sb.Append(CultureInfo.InvariantCulture, $"/0x{mask:x}");
            }
        }
        if (x.InputInterface is { } iif)
        {
            sb.Append(" iif ").Append(iif);
        }
        if (x.OutputInterface is { } oif)
        {
            sb.Append(" oif ").Append(oif);
        }
        if (x.Table != 0)
        {
            sb.Append(" lookup ").Append(RtNames.Table(x.Table));
            if (x.SuppressPrefixLength is { } pl)
            {
                sb.Append(CultureInfo.InvariantCulture, $" suppress_prefixlength {pl}");
            }
        }
        if (x.Action is not (RuleInfo.ActionLookup or 0))
        {
            sb.Append(' ').Append(ActionName(x.Action));
        }
        if (x.Protocol is not (0 or 2))
        {
            sb.Append(" proto ").Append(RtNames.Protocol(x.Protocol));
        }
        return sb.ToString();
    }

    internal static JsonObject Json(RuleInfo x)
    {
        var o = new JsonObject { ["priority"] = x.Priority };
        if (x.Invert)
        {
            o["not"] = null;
        }
        o["src"] = x.Source?.Address.ToString() ?? "all";
        if (x.Source is { } s && s.Length != HostLength(x))
        {
            o["srclen"] = s.Length;
        }
        if (x.Destination is { } d)
        {
            o["dst"] = d.Address.ToString();
            if (d.Length != HostLength(x))
            {
                o["dstlen"] = d.Length;
            }
        }
        if (x.FwMark is not null || x.FwMask is not null)
        {
            o["fwmark"] = $"0x{x.FwMark ?? 0:x}";
            if (x.FwMask is { } mask && mask != uint.MaxValue)
            {
                o["fwmask"] = $"0x{mask:x}";
            }
        }
        if (x.InputInterface is { } iif)
        {
            o["iif"] = iif;
        }
        if (x.OutputInterface is { } oif)
        {
            o["oif"] = oif;
        }
        if (x.Table != 0)
        {
            o["table"] = RtNames.Table(x.Table);
            if (x.SuppressPrefixLength is { } pl)
            {
                o["suppress_prefixlen"] = pl;
            }
        }
        if (x.Action is not (RuleInfo.ActionLookup or 0))
        {
            o["action"] = ActionName(x.Action);
        }
        if (x.Protocol is not (0 or 2))
        {
            o["protocol"] = RtNames.Protocol(x.Protocol);
        }
        return o;
    }

    private static string ActionName(byte action) => action switch
    {
        2 => "goto",
        3 => "nop",
        _ => RtNames.RouteType(action),
    };

    private static Command Change(string verb, string description)
    {
        var words = NetlinkCli.Words("RULE",
            "[not] [from P|all] [to P|all] [fwmark M[/MASK]] [iif DEV] [oif DEV] [priority N] [lookup|table T] [suppress_prefixlength N] [blackhole|unreachable|prohibit]");
        var v6 = new Option<bool>("-6") { Description = "an IPv6 rule (when no prefix says so)" };
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command(verb, description) { words, v6, netns };
        if (verb == "del")
        {
            cmd.Aliases.Add("delete");
        }
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var rule = Parse(new Words(r.GetValue(words) ?? [], $"rule {verb}")) with { IPv6 = r.GetValue(v6) };
            using var c = NetlinkCli.Open(r.GetValue(netns));
            if (verb == "add")
            {
                c.RuleAdd(rule);
            }
            else
            {
                c.RuleDelete(rule);
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    internal static RuleSpec Parse(Words w)
    {
        var rule = new RuleSpec();
        while (w.Any)
        {
            var word = w.Next();
            rule = word switch
            {
                "not" => rule with { Invert = true },
                "from" => w.Value("from") is var f && f == "all" ? rule : rule with { Source = IpPrefix.ParseIproute2(f) },
                "to" => w.Value("to") is var t && t == "all" ? rule : rule with { Destination = IpPrefix.ParseIproute2(t) },
                "fwmark" => Mark(rule, w.Value("fwmark")),
                "iif" or "dev" => rule with { InputInterface = w.Value(word) },
                "oif" => rule with { OutputInterface = w.Value("oif") },
                "priority" or "prio" or "pref" or "preference" or "order" => rule with { Priority = (uint)w.Int(word) },
                "table" or "lookup" => rule with { Table = RtNames.ParseTable(w.Value(word)) },
                "suppress_prefixlength" => rule with { SuppressPrefixLength = w.Int(word) },
                "blackhole" or "unreachable" or "prohibit" => rule with { Action = RtNames.ParseRouteType(word) },
                "type" => rule with { Action = RtNames.ParseRouteType(w.Value("type")) },
                _ => throw w.Unknown(word),
            };
        }
        return rule;
    }

    private static RuleSpec Mark(RuleSpec rule, string text)
    {
        var slash = text.IndexOf('/');
        return rule with
        {
            FwMark = Number(slash < 0 ? text : text[..slash], text),
            FwMask = slash < 0 ? null : Number(text[(slash + 1)..], text),
        };
    }

    /// <summary>Decimal or 0x-prefixed hexadecimal, as ip's get_u32 reads a mark.</summary>
    private static uint Number(string text, string whole)
    {
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        return ok ? v : throw new ArgumentException($"invalid fwmark '{whole}'");
    }
}

using System.CommandLine;

namespace SharpTun.Cli.Grammar;

/// <summary>
/// Reads a command line the way iproute2's <c>ip</c> does before the command tree sees it: global
/// options before the object (<c>sharptun -j -n NS link show</c>), objects and verbs abbreviated as ip
/// matches them (first entry of ip's own table that the word is a prefix of: <c>a</c> = address,
/// <c>r</c>/<c>ro</c> = route, <c>l</c> = link, <c>link s</c> = set but <c>addr s</c> = show), and
/// the default verb (<c>sharptun link</c> = <c>link show</c>). The result is the same command line in
/// the tree's full names with the global options moved behind the verb.
/// </summary>
internal static class IpGrammar
{
    /// <summary>ip's object table (ip/ip.c) in its order, with the SharpTun command each maps to (null: SharpTun has none).</summary>
    private static readonly (string Ip, string? Ours)[] s_objects =
    [
        ("address", "addr"), ("addrlabel", null), ("maddress", null), ("route", "route"), ("rule", "rule"),
        ("neighbor", "neigh"), ("neighbour", "neigh"), ("ntable", null), ("link", "link"), ("l2tp", null), ("fou", null),
        ("ila", null), ("macsec", null), ("tunnel", null), ("tuntap", "tuntap"), ("tap", "tuntap"), ("token", null),
        ("tcpmetrics", null), ("monitor", null), ("xfrm", null), ("mroute", null), ("mrule", null), ("netns", "netns"),
        ("netconf", null), ("vrf", null), ("sr", null), ("nexthop", null), ("mptcp", null), ("ioam", null), ("stats", null),
    ];

    /// <summary>Each object's verbs in the order ip tests them (its do_* function), with our command name.</summary>
    private static readonly Dictionary<string, (string Ip, string Ours)[]> s_verbs = new(StringComparer.Ordinal)
    {
        ["link"] = [("add", "add"), ("set", "set"), ("change", "set"), ("delete", "del"), ("show", "show"), ("lst", "show"), ("list", "show")],
        ["addr"] = [("add", "add"), ("change", "change"), ("replace", "replace"), ("delete", "del"), ("list", "show"), ("show", "show"),
                    ("lst", "show"), ("flush", "flush")],
        ["route"] = [("add", "add"), ("change", "change"), ("replace", "replace"), ("prepend", "prepend"), ("append", "append"),
                     ("delete", "del"), ("list", "show"), ("show", "show"), ("lst", "show"), ("get", "get"), ("flush", "flush")],
        ["rule"] = [("list", "show"), ("show", "show"), ("lst", "show"), ("add", "add"), ("delete", "del"), ("flush", "flush")],
        ["neigh"] = [("add", "add"), ("change", "change"), ("replace", "replace"), ("delete", "del"), ("get", "get"), ("show", "show"),
                     ("lst", "show"), ("list", "show"), ("flush", "flush")],
        ["tuntap"] = [("add", "add"), ("delete", "del"), ("show", "list"), ("lst", "list"), ("list", "list")],
        ["netns"] = [("list", "list"), ("show", "list"), ("lst", "list"), ("add", "add"), ("delete", "del"), ("exec", "exec")],
    };

    /// <summary>The verb each object runs when none is given (ip: <c>ip link</c> lists links).</summary>
    private static readonly Dictionary<string, string> s_defaultVerb = new(StringComparer.Ordinal)
    {
        ["link"] = "show", ["addr"] = "show", ["route"] = "show", ["rule"] = "show", ["neigh"] = "show", ["tuntap"] = "list", ["netns"] = "list",
    };

    /// <summary>ip's global options that SharpTun reads (<see cref="ReadGlobal"/>), in words for the man page and completion.</summary>
    internal static readonly (string Words, string? Value, string Description)[] GlobalOptionHelp =
    [
        ("-j -json", null, "JSON output with ip -j's field names (the command's --json)"),
        ("-n -netns", "NS", "act inside the named network namespace /run/netns/NS (the command's --netns; ss: --net): link/addr/route/neigh/rule open their netlink socket there, tuntap/read/respond/tunnel/wg run whole inside it with its /sys, as ip netns exec"),
        ("-4", null, "IPv4 only"),
        ("-6", null, "IPv6 only"),
        ("-d -details", null, "details: link kind, tun/veth/bridge attributes (the command's --details)"),
        ("-s -stats", null, "statistics: byte, packet, error and drop counters (the command's --stats)"),
        ("-br -brief", null, "brief columns, as ip -br"),
        ("-o -oneline", null, "one line per record, as ip -o"),
    ];

    /// <summary>A global option as written before the object, and the option of the command it becomes.</summary>
    private sealed record Global(string Written, string Option, string? Value, bool Required);

    /// <summary>Rewrites <paramref name="args"/>; throws <see cref="ArgumentException"/> for a global option the command cannot take.</summary>
    internal static string[] Normalize(string[] args, RootCommand root)
    {
        var globals = new List<Global>();
        var i = 0;
        for (; i < args.Length && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            var g = ReadGlobal(args, ref i);
            if (g is null)
            {
                // Not one of ip's global options (e.g. --help, --version): leave the line to the parser.
                return globals.Count == 0 ? args : throw new ArgumentException($"unknown option '{args[i]}' (global options are ip's: -j -n NS -4 -6 -d -s -br -o)");
            }
            globals.Add(g);
        }
        if (i >= args.Length)
        {
            return globals.Count == 0 ? args : throw new ArgumentException("an object is required after the global options (link, addr, route, …)");
        }
        var obj = ResolveObject(args[i], root);
        if (args[i] == "route" && Commands.ClassicRouteCommand.IsClassic(args.AsSpan(i + 1)))
        {
            // net-tools route's words (route -n, route add -net …): see ClassicRouteCommand.
            obj = Commands.ClassicRouteCommand.Name;
        }
        var result = new List<string>(args.Length + 4) { obj };
        i++;
        Command? command = root.Subcommands.FirstOrDefault(c => c.Name == obj);
        if (s_verbs.TryGetValue(obj, out var verbs))
        {
            string? verb = null;
            if (i >= args.Length || (args[i].StartsWith('-') && args[i] is not ("--help" or "-h" or "-?")))
            {
                verb = s_defaultVerb[obj];
            }
            else if (Match(args[i], verbs) is { } v)
            {
                verb = v;
                i++;
            }
            if (verb is not null)
            {
                result.Add(verb);
                command = command?.Subcommands.FirstOrDefault(c => c.Name == verb || c.Aliases.Contains(verb));
            }
        }
        if (command is not null)
        {
            foreach (var g in globals)
            {
                // ss names its namespace option --net (-N, as ss): -n there is --numeric.
                var option = command.Options.FirstOrDefault(o => o.Name == g.Option || o.Aliases.Contains(g.Option))
                    ?? (g.Option == "--netns" ? command.Options.FirstOrDefault(o => o.Name == "--net") : null);
                if (option is null)
                {
                    if (g.Required)
                    {
                        throw new ArgumentException($"option {g.Written} does not apply to '{string.Join(' ', result)}'");
                    }
                    continue;
                }
                result.Add(option.Name);
                if (g.Value is not null)
                {
                    result.Add(g.Value);
                }
            }
        }
        else if (globals.Count > 0)
        {
            throw new ArgumentException($"global options do not apply to '{obj}'");
        }
        result.AddRange(args.AsSpan(i));
        return [.. result];
    }

    private static Global? ReadGlobal(string[] args, ref int i)
    {
        var a = args[i];
        // ip accepts "--json" for "-json" as well.
        var w = a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2 ? a[1..] : a;
        switch (w)
        {
            case "-j" or "-json": return new(a, "--json", null, true);
            case "-4": return new(a, "-4", null, false);
            case "-6": return new(a, "-6", null, false);
            case "-d" or "-details": return new(a, "--details", null, false);
            case "-s" or "-stats" or "-statistics": return new(a, "--stats", null, false);
            case "-br" or "-brief": return new(a, "--brief", null, true);
            case "-o" or "-oneline": return new(a, "--oneline", null, true);
            case "-n" or "-netns":
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"option {a} needs a namespace name");
                }
                return new(a, "--netns", args[++i], true);
            default: return null;
        }
    }

    /// <summary>An exact command name wins; otherwise ip's table decides what the prefix means.</summary>
    internal static string ResolveObject(string word, RootCommand root)
    {
        if (root.Subcommands.Any(c => c.Name == word || c.Aliases.Contains(word)))
        {
            return root.Subcommands.First(c => c.Name == word || c.Aliases.Contains(word)).Name;
        }
        foreach (var (ip, ours) in s_objects)
        {
            if (ip.StartsWith(word, StringComparison.Ordinal))
            {
                return ours ?? word;
            }
        }
        return word;
    }

    private static string? Match(string word, (string Ip, string Ours)[] verbs)
    {
        if (word.Length == 0)
        {
            return null;
        }
        foreach (var (ip, ours) in verbs)
        {
            if (ip.StartsWith(word, StringComparison.Ordinal) || (ip == "change" && word == "chg"))
            {
                return ours;
            }
        }
        // "del", "ls", … are spellings SharpTun's own commands take as names or aliases.
        return word switch
        {
            "del" => "del",
            "ls" => verbs.First(v => v.Ip is "list" or "show").Ours,
            _ => null,
        };
    }
}

using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpTun.Cli.Grammar;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>
/// net-tools' <c>route</c>: <c>route [-n] [-e|-ee]</c> prints the kernel IPv4 routing table,
/// <c>route add|del [-net|-host] TARGET [netmask M] [gw GW] [metric N] [reject] [[dev] DEV]</c> changes it. Reached
/// as <c>sharptun route …</c> when the words are route's and not ip's (<see cref="IsClassic"/>), or by its own name.
/// The change goes over rtnetlink with what the kernel's SIOCADDRT makes of the same request: table main,
/// protocol boot, scope universe with a gateway (link when the gateway is a local address) and link without, an unreachable route (scope host) for reject.
/// </summary>
internal static class ClassicRouteCommand
{
    internal const string Name = "route-classic";
    private const char NetnsKey = '\u0001';

    private static readonly Dictionary<string, char> s_long = new(StringComparer.Ordinal)
    {
        ["numeric"] = 'n', ["extend"] = 'e', ["verbose"] = 'v', ["symbolic"] = 'N', ["fib"] = 'F', ["cache"] = 'C',
        ["protocol"] = 'A', ["netns"] = NetnsKey,
    };

    internal static Command Create()
    {
        var cmd = new Command(Name,
            "net-tools 'route': the kernel IPv4 routing table (-n, -e, -ee) and route add|del [-net|-host] TARGET [netmask M] [gw GW] [metric N] [reject] [dev DEV]; "
            + "'sharptun route -n' and 'sharptun route add -net …' come here")
        {
            new Option<bool>("--numeric", "-n") { Description = "numeric addresses (no name lookup)" },
            new Option<bool>("--extend", "-e") { Description = "the MSS/Window/irtt layout; -ee both layouts" },
            new Option<string?>("--protocol", "-A") { Description = "address family: inet (the only one supported)" },
            new Option<string?>("--netns") { Description = "act inside the named network namespace (sharptun -n NAME route -n)" },
            new Argument<string[]>("ACTION") { Description = "add|del [-net|-host] TARGET [netmask M] [gw GW] [metric N] [reject] [[dev] DEV]", Arity = ArgumentArity.ZeroOrMore },
        };
        cmd.SetAction(r => Run([.. r.Tokens.Skip(1).Select(t => t.Value)]));
        return cmd;
    }

    /// <summary>
    /// True when the words after "route" are net-tools route's: options of route's own (-n, -e, -ee, -nee, -F, -A inet…)
    /// followed by nothing, another option or an action; or add/del with -net, -host, gw, netmask or reject.
    /// Anything else (show, -4/-6, ip's "-n NS") stays ip's route.
    /// </summary>
    internal static bool IsClassic(ReadOnlySpan<string> words)
    {
        if (words.IsEmpty)
        {
            return false;
        }
        var first = words[0];
        if (first is "--numeric" or "--extend" || (first.Length > 1 && first[0] == '-' && first[1] != '-' && first[1..].All(c => "neFCvN".Contains(c, StringComparison.Ordinal))))
        {
            return words.Length == 1 || words[1].StartsWith('-') || words[1] is "add" or "del" or "delete" or "flush";
        }
        if (first is "add" or "del" or "delete")
        {
            foreach (var w in words[1..])
            {
                if (w is "-net" or "-host" or "gw" or "gateway" or "netmask" or "reject")
                {
                    return true;
                }
            }
        }
        return false;
    }

    internal static int Run(string[] args) => CliRunner.Run(() =>
    {
        // route.c: "getopts and -net wont work": -net/-host are words, not options.
        var words = args.Select(a => a is "-net" ? "#net" : a is "-host" ? "#host" : a).ToArray();
        var (options, operands) = new GetOpt("route", "A" + NetnsKey, s_long, "neCFNv46").Parse(words);
        var extend = 1;
        var numeric = false;
        string? netns = null;
        foreach (var (o, value) in options)
        {
            switch (o)
            {
                case 'n': numeric = true; break;
                case 'e': extend++; break;
                case 'v' or 'N' or 'F' or '4': break;
                case NetnsKey: netns = value; break;
                case 'A' when value == "inet": break;
                case 'A' or '6':
                    throw new ArgumentException("route: only the IPv4 table is supported (for IPv6 use 'sharptun route show -6')");
                case 'C': throw new ArgumentException("route: the routing cache (-C) is not supported");
            }
        }
        if (operands.Count == 0)
        {
            NetstatCommand.PrintRoutes(netns, extend & 3, numeric);
            return CliRunner.Ok;
        }
        var verb = operands[0];
        if (verb is not ("add" or "del" or "delete"))
        {
            throw new ArgumentException(verb == "flush" ? "route: flush is not supported (use 'sharptun route flush …')" : $"route: unknown action '{verb}' (use add or del)");
        }
        var spec = Parse(operands.Skip(1).ToList(), add: verb == "add");
        using var c = NetlinkCli.Open(netns);
        if (verb == "add")
        {
            // rtentry_to_fib_config: scope universe only when the gateway is not one of our own addresses.
            if (spec.Gateway is { } gw && c.GetAddresses(family: AddressFamily.InterNetwork).Any(a => a.Local.Equals(gw)))
            {
                spec = spec with { Scope = 253 };
            }
            c.RouteAdd(spec);
        }
        else
        {
            c.RouteDelete(spec);
        }
        return CliRunner.Ok;
    });

    /// <summary>The route that INET_setroute and the kernel's rtentry_to_fib_config make of the words.</summary>
    internal static RouteSpec Parse(IReadOnlyList<string> w, bool add)
    {
        var i = 0;
        int kind = 0; // 1 -net, 2 -host
        if (i < w.Count && w[i] is "#net" or "#host")
        {
            kind = w[i++] == "#net" ? 1 : 2;
        }
        if (i >= w.Count)
        {
            throw new ArgumentException("route: the target (a network, host or 'default') is missing");
        }
        var target = w[i++];
        int? prefix = null;
        IPAddress address;
        var isNet = false;
        if (target == "default")
        {
            address = IPAddress.Any;
            isNet = true;
        }
        else
        {
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                prefix = int.TryParse(target.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 32
                    ? p : throw new ArgumentException($"route: invalid prefix length in '{target}'");
                target = target[..slash];
            }
            address = ParseV4(target, "target");
        }
        isNet = kind == 1 || (kind == 0 && isNet);
        IPAddress? gateway = null;
        string? device = null;
        uint? metric = null;
        var reject = false;
        while (i < w.Count)
        {
            var word = w[i++];
            switch (word)
            {
                case "metric":
                    metric = i < w.Count && uint.TryParse(w[i], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                        ? m : throw new ArgumentException("route: 'metric' needs a number");
                    i++;
                    break;
                case "netmask":
                    if (i >= w.Count || prefix is not null)
                    {
                        throw new ArgumentException(prefix is not null ? "route: netmask given twice (the target has /PREFIX)" : "route: 'netmask' needs a value");
                    }
                    prefix = MaskLength(ParseV4(w[i++], "netmask"));
                    break;
                case "gw" or "gateway":
                    if (i >= w.Count || gateway is not null)
                    {
                        throw new ArgumentException(gateway is not null ? "route: gw given twice" : "route: 'gw' needs an address");
                    }
                    gateway = ParseV4(w[i++], "gateway");
                    break;
                case "reject":
                    reject = true;
                    break;
                case "mod" or "dyn" or "reinstate":
                    // Flags the kernel ignores on Linux.
                    break;
                case "mss" or "mtu" or "window" or "irtt":
                    throw new ArgumentException($"route: '{word}' is not supported");
                case "dev" or "device":
                    if (i >= w.Count || device is not null)
                    {
                        throw new ArgumentException(device is not null ? "route: the device is given twice" : $"route: '{word}' needs a device name");
                    }
                    device = w[i++];
                    break;
                default:
                    // A bare last word is the device, as in 'route add -net 10.0.0.0 netmask 255.0.0.0 eth0'.
                    if (device is not null || i < w.Count)
                    {
                        throw new ArgumentException($"route: unknown argument '{word}'");
                    }
                    device = word;
                    break;
            }
        }
        // INET_setroute: RTF_HOST unless -net or 'default'; a host route's netmask can only be /32.
        var host = !isNet;
        if (host && prefix is not null && prefix != 32)
        {
            throw new ArgumentException($"route: netmask /{prefix} doesn't make sense with host route {address} (use -net)");
        }
        var length = host ? 32 : prefix ?? 0;
        var network = new IpPrefix(address, length);
        if (!network.Network.Equals(address))
        {
            throw new ArgumentException($"route: netmask doesn't match route address: {address} has bits outside /{length}");
        }
        return new RouteSpec
        {
            Destination = network,
            Gateway = reject ? null : gateway,
            Device = reject ? null : device,
            Metric = metric,
            Type = reject ? (byte)7 : add ? (byte)1 : null,
            Scope = reject ? (byte)254 : null,
        };
    }

    private static IPAddress ParseV4(string text, string what) =>
        IPAddress.TryParse(text, out var a) && a.AddressFamily == AddressFamily.InterNetwork && text.Count(ch => ch == '.') == 3
            ? a : throw new ArgumentException($"route: invalid {what} '{text}': use an IPv4 address (names are not looked up)");

    /// <summary>The prefix length of a contiguous netmask; "bogus netmask" otherwise, as route says.</summary>
    private static int MaskLength(IPAddress mask)
    {
        var b = mask.GetAddressBytes();
        var v = (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        var inverted = ~v;
        if ((inverted & (inverted + 1)) != 0)
        {
            throw new ArgumentException($"route: bogus netmask {mask}");
        }
        return System.Numerics.BitOperations.PopCount(v);
    }
}

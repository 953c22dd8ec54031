using System.CommandLine;
using System.Net.Sockets;
using SharpTun.Cli.Formatting;
using SharpTun.Cli.Grammar;
using SharpTun.Linux.NetTools;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun netstat</c>: net-tools 2.10 <c>netstat</c>'s sockets (<c>-tulpn</c>, <c>-an</c>, <c>-ap</c>, <c>-x</c>, <c>-e</c>),
/// routing table (<c>-r</c>) and interface table (<c>-i</c>), same options, same bytes. TCP, UDP and raw sockets come from
/// sock_diag (raw: /proc/net/raw when the kernel lacks raw_diag), routes and interfaces from rtnetlink, UNIX sockets from /proc/net/unix (reference counts and SS_*
/// states are only there), owners from /proc/PID/fd. The command line is read with getopt's rules
/// (<see cref="GetOpt"/>), so <see cref="Run"/> gets the words; <see cref="Create"/> is the tree's description for --help.
/// </summary>
internal static class NetstatCommand
{
    private const char NetnsKey = '\u0001';

    private static readonly Dictionary<string, char> s_long = new(StringComparer.Ordinal)
    {
        ["all"] = 'a', ["listening"] = 'l', ["numeric"] = 'n', ["programs"] = 'p', ["extend"] = 'e', ["tcp"] = 't', ["udp"] = 'u',
        ["raw"] = 'w', ["unix"] = 'x', ["route"] = 'r', ["interfaces"] = 'i', ["statistics"] = 's', ["wide"] = 'W', ["notrim"] = 'T',
        ["protocol"] = 'A', ["verbose"] = 'v', ["symbolic"] = 'N', ["fib"] = 'F', ["continuous"] = 'c', ["timers"] = 'o', ["cache"] = 'C',
        ["netns"] = NetnsKey,
    };

    /// <summary>netstat's options that SharpTun does not implement, with what they are.</summary>
    private static readonly Dictionary<char, string> s_unsupported = new()
    {
        ['c'] = "continuous listing", ['o'] = "timers", ['C'] = "route cache", ['s'] = "statistics",
        ['M'] = "masquerade", ['g'] = "multicast groups", ['S'] = "SCTP", ['U'] = "UDP-Lite", ['Z'] = "SELinux contexts",
    };

    internal static Command Create()
    {
        var cmd = new Command("netstat",
            "Sockets, routing table and interface table as net-tools 'netstat' prints them (-tulpn, -an, -ap, -rn, -i, -s; see README).")
        {
            Flag("--all", "-a", "servers and established sockets"),
            Flag("--listening", "-l", "servers (listening sockets) only"),
            Flag("--numeric", "-n", "numeric addresses, ports and users (no name lookup)"),
            Flag("--programs", "-p", "the PID/Program name column"),
            Flag("--extend", "-e", "the User and Inode columns; with -r the Metric/Ref/Use layout; with -i the long ifconfig blocks"),
            Flag("--tcp", "-t", "TCP sockets"),
            Flag("--udp", "-u", "UDP sockets"),
            Flag("--raw", "-w", "raw sockets"),
            Flag("--unix", "-x", "UNIX sockets"),
            Flag("--route", "-r", "the kernel IPv4 routing table (table main)"),
            Flag("--interfaces", "-i", "the interface table"),
            Flag("--statistics", "-s", "protocol statistics from /proc/net/snmp and netstat (-6: snmp6); with -t, -u, -w only those"),
            Flag("--wide", "-W", "do not cut long addresses"),
            Flag("-4", null, "IPv4 sockets only"),
            Flag("-6", null, "IPv6 sockets only"),
            new Option<string?>("--protocol", "-A") { Description = "address families: inet, inet6, unix (comma separated)" },
            new Option<string?>("--netns") { Description = "act inside the named network namespace (sharptun -n NAME netstat …)" },
        };
        cmd.SetAction(r => Run([.. r.Tokens.Skip(1).Select(t => t.Value)]));
        return cmd;
    }

    private static Option<bool> Flag(string name, string? alias, string description) =>
        alias is null ? new Option<bool>(name) { Description = description } : new Option<bool>(name, alias) { Description = description };

    /// <summary>Runs <c>netstat</c> with its own words (after "netstat").</summary>
    internal static int Run(string[] args) => CliRunner.Run(() =>
    {
        var (options, operands) = new GetOpt("netstat", "A" + NetnsKey, s_long, "aceglinNoprsStuUvVWwxZ64MCFT").Parse(args);
        if (operands.Count > 0)
        {
            throw new ArgumentException($"netstat: unexpected argument '{operands[0]}'");
        }
        bool all = false, listening = false, numeric = false, programs = false, wide = false, tcp = false, udp = false, raw = false;
        bool inet = false, inet6 = false, unix = false, route = false, interfaces = false, statistics = false;
        var extend = 1;
        string? netns = null;
        foreach (var (o, value) in options)
        {
            switch (o)
            {
                case 'a': all = true; break;
                case 'l': listening = true; break;
                case 'n': numeric = true; break;
                case 'p': programs = true; break;
                case 'e': extend++; break;
                case 't': tcp = true; break;
                case 'u': udp = true; break;
                case 'w': raw = true; break;
                case 'x': unix = true; break;
                case 'r': route = true; break;
                case 'i': interfaces = true; break;
                case 's': statistics = true; break;
                case 'W' or 'T': wide = true; break;
                case '4': inet = true; break;
                case '6': inet6 = true; break;
                case 'v' or 'N' or 'F': break;
                case NetnsKey: netns = value; break;
                case 'A':
                    foreach (var family in value!.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        switch (family)
                        {
                            case "inet": inet = true; break;
                            case "inet6": inet6 = true; break;
                            case "unix": unix = true; break;
                            default: throw new ArgumentException($"netstat: address family '{family}' is not supported (use inet, inet6 or unix)");
                        }
                    }
                    break;
                case 'V': throw new ArgumentException("netstat: -V: see 'sharptun --version'");
                default:
                    throw new ArgumentException($"netstat: option -{o} ({s_unsupported.GetValueOrDefault(o, "?")}) is not supported");
            }
        }
        if ((route ? 1 : 0) + (interfaces ? 1 : 0) + (statistics ? 1 : 0) > 1)
        {
            throw new ArgumentException("netstat: only one of -r, -i and -s can be given");
        }
        if (statistics)
        {
            if (!(tcp || udp || raw))
            {
                tcp = udp = raw = true;
            }
            // netstat -s reads these files as they are (there is no netlink for SNMP counters).
            var files = ProcNet.Read(netns, "snmp", "netstat", "snmp6");
            var snmp = files["snmp"] ?? throw new InvalidOperationException("netstat: cannot open /proc/net/snmp");
            Console.Write(inet6 && !inet
                ? NetstatStatistics.V6(files["snmp6"] ?? throw new InvalidOperationException("netstat: cannot open /proc/net/snmp6 (IPv6 disabled?)"), snmp, raw, tcp, udp)
                : NetstatStatistics.V4(snmp, files["netstat"], raw, tcp, udp));
            return CliRunner.Ok;
        }
        if (route)
        {
            if (inet6 && !inet)
            {
                throw new ArgumentException("netstat: the IPv6 routing table (-r -6) is not supported; use 'sharptun route show -6'");
            }
            // netstat swaps layouts 1 and 2: plain -r shows MSS/Window/irtt, -re Metric/Ref/Use.
            var layout = (extend == 2 ? 1 : extend == 1 ? 2 : extend) & 3;
            PrintRoutes(netns, layout, numeric);
            return CliRunner.Ok;
        }
        if (interfaces)
        {
            PrintInterfaces(netns, all, long_: extend >= 2);
            return CliRunner.Ok;
        }
        if ((inet || inet6) && !(tcp || udp || raw))
        {
            tcp = udp = raw = true;
        }
        if ((tcp || udp || raw) && !(inet || inet6))
        {
            inet = inet6 = true;
        }
        var anyProtocol = tcp || udp || raw || unix;
        var view = new NetstatView { All = all, Listening = listening, Numeric = numeric, Programs = programs, Extend = extend >= 2, Wide = wide };
        var format = new NetstatFormat(view, new NameDatabase(), programs ? SocketPrograms.Scan() : null);
        if (!anyProtocol || tcp || udp || raw)
        {
            Console.WriteLine(format.InetHeader());
            var sockets = SocketList.List(new SocketQuery { Tcp = true, Udp = true, All = true }, processes: false, netns)
                .Concat(raw || !anyProtocol ? RawSockets.List(netns) : []);
            // netstat's order: /proc/net/tcp, tcp6, udp, udp6, raw, raw6; sock_diag walks the same hash tables per family.
            var ordered = sockets.Where(s => (s.NetId switch { "tcp" => tcp, "udp" => udp, _ => raw } || !anyProtocol)
                    && (s.LocalAddress!.AddressFamily == AddressFamily.InterNetwork ? inet || !anyProtocol : inet6 || !anyProtocol))
                .OrderBy(s => s.NetId switch { "tcp" => 0, "udp" => 1, _ => 2 })
                .ThenBy(s => s.LocalAddress!.AddressFamily == AddressFamily.InterNetwork ? 0 : 1);
            foreach (var s in ordered)
            {
                if (format.Inet(s) is { } line)
                {
                    Console.WriteLine(line);
                }
            }
        }
        if (!anyProtocol || unix)
        {
            Console.WriteLine(format.UnixHeader());
            foreach (var u in UnixSocketTable.Read(netns))
            {
                if (format.Unix(u) is { } line)
                {
                    Console.WriteLine(line);
                }
            }
        }
        return CliRunner.Ok;
    });

    internal static void PrintRoutes(string? netns, int layout, bool numeric)
    {
        using var c = NetlinkCli.Open(netns);
        var links = NetlinkCli.ByIndex(c.GetLinks());
        foreach (var line in RouteTableFormat.Lines(c.GetRoutes(AddressFamily.InterNetwork), links, layout, numeric, new NameDatabase()))
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>"Kernel Interface table", then the short table or (-e) ifconfig's blocks; interfaces that are down only with -a.</summary>
    private static void PrintInterfaces(string? netns, bool all, bool long_)
    {
        using var c = NetlinkCli.Open(netns);
        var links = c.GetLinks().Where(l => all || l.IsUp).OrderBy(l => l.Name, StringComparer.Ordinal).ToList();
        Console.WriteLine("Kernel Interface table");
        if (!long_)
        {
            Console.WriteLine(InterfaceTableFormat.Header);
            foreach (var l in links)
            {
                Console.WriteLine(InterfaceTableFormat.Line(l));
            }
            return;
        }
        var addresses = IfconfigCommand.Addresses(c, netns);
        foreach (var l in links)
        {
            Console.Write(Ifconfig210Format.Blocks(l, addresses[l.Index]).First());
        }
    }
}

using System.CommandLine;
using SharpTun.Cli.Formatting;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun ifconfig [DEV [SETTING…]]</c>: the classic net-tools view of interfaces over rtnetlink, and its configuring forms (<see cref="IfconfigSettings"/>).</summary>
internal static class IfconfigCommand
{
    internal static Command Create()
    {
        var words = NetlinkCli.Words("DEV",
            "DEV [ADDR[/PLEN] [netmask M] [broadcast B] | up | down | [-]promisc | [-]allmulti | [-]arp | [-]multicast | mtu N | txqueuelen N | hw ether MAC | add ADDR6[/PLEN] | del ADDR6[/PLEN]]… "
            + "(DEV alone: show only it; with settings: configure it as net-tools ifconfig does, left to right)");
        var all = new Option<bool>("--all", "-a") { Description = "also interfaces that are down" };
        var @short = new Option<bool>("--short", "-s") { Description = "the short table of netstat -i (Iface MTU RX-OK … Flg)" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "accepted for ifconfig compatibility" };
        var layout = new Option<string>("--layout")
        {
            Description = "2.10 (net-tools 2.10 as Debian 12 ships it: 'inet … netmask …', the default) or 1.60 (the classic 'inet addr:… Mask:…')",
            DefaultValueFactory = _ => "2.10",
        }.AcceptOnlyFromAmong("2.10", "1.60");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("ifconfig", "Show interfaces as net-tools 'ifconfig' does (addresses, flags, MTU, counters), or configure one (ifconfig DEV ADDR netmask M up).")
        {
            words, all, @short, verbose, layout, netns,
        };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            var given = r.GetValue(words) ?? [];
            if (given.Length > 1)
            {
                // Reached only when an option came first (ifconfig -v DEV ADDR); Program sends the plain form to ConfigureForm.
                return IfconfigSettings.Apply(r.GetValue(netns), given[0], given[1..]);
            }
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var name = given.Length == 1 ? given[0] : null;
            if (r.GetValue(@short))
            {
                // ifconfig -s: netstat -i's table under a narrower header, interfaces by name.
                Console.WriteLine("Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg");
                IEnumerable<SharpTun.Netlink.LinkInfo> shown = name is null ? c.GetLinks().Where(l => r.GetValue(all) || l.IsUp).OrderBy(l => l.Name, StringComparer.Ordinal) : [c.GetLink(name)];
                foreach (var l in shown)
                {
                    Console.WriteLine(InterfaceTableFormat.Line(l));
                }
                return CliRunner.Ok;
            }
            var links = name is null ? c.GetLinks().Where(l => r.GetValue(all) || l.IsUp).ToList() : [c.GetLink(name)];
            var addresses = Addresses(c, r.GetValue(netns));
            if (r.GetValue(layout) == "1.60")
            {
                Console.Write(string.Join("\n", links.Select(l => IfconfigFormat.Block(l, addresses[l.Index]))));
                return CliRunner.Ok;
            }
            // net-tools 2.10 lists interfaces (and alias labels) by name.
            foreach (var block in links.SelectMany(l => Ifconfig210Format.Blocks(l, addresses[l.Index]).Take(name is null ? int.MaxValue : 1)).OrderBy(b => b[..b.IndexOf(':', StringComparison.Ordinal)], StringComparer.Ordinal))
            {
                Console.Write(block);
            }
            return CliRunner.Ok;
        }));
        return cmd;
    }

    /// <summary>Each link's addresses, IPv6 ones in the order ifconfig prints them (/proc/net/if_inet6's, see <see cref="Inet6Order"/>).</summary>
    internal static ILookup<int, AddressInfo> Addresses(RtNetlinkClient c, string? netns)
    {
        var order = Inet6Order.Read(netns);
        return c.GetAddresses()
            .OrderBy(a => a.Family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? order.GetValueOrDefault((a.Index, a.Local), int.MaxValue) : -1)
            .ToLookup(a => a.Index);
    }

    /// <summary>
    /// The configuring form (<c>ifconfig [--netns NS] DEV SETTING…</c>) as a runnable, or null for the showing forms.
    /// Its words are read here, not by the parser: <c>-arp</c>, <c>-promisc</c> are settings, not bundled options.
    /// </summary>
    internal static Func<int>? ConfigureForm(string[] words)
    {
        string? netns = null;
        var rest = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            if (words[i] is "--netns" or "-n" && i + 1 < words.Length && rest.Count == 0)
            {
                netns = words[++i];
                continue;
            }
            rest.Add(words[i]);
        }
        // An option of the show form anywhere (ifconfig DEV --layout 1.60, ifconfig DEV -a) leaves the line to the parser.
        if (rest.Count < 2 || rest[0].StartsWith('-') || rest.Any(w => w.StartsWith("--", StringComparison.Ordinal) || w is "-a" or "-s" or "-v" or "-n" or "-h" or "-?"))
        {
            return null;
        }
        return () => CliRunner.Run(() => IfconfigSettings.Apply(netns, rest[0], rest[1..]));
    }
}

using System.CommandLine;
using SharpTun.Cli.Formatting;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun ifconfig [DEV]</c>: the classic net-tools view of interfaces, read over rtnetlink.</summary>
internal static class IfconfigCommand
{
    internal static Command Create()
    {
        var dev = new Argument<string?>("DEV") { Description = "only this interface", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all", "-a") { Description = "also interfaces that are down" };
        var layout = new Option<string>("--layout")
        {
            Description = "2.10 (net-tools 2.10 as Debian 12 ships it: 'inet … netmask …', the default) or 1.60 (the classic 'inet addr:… Mask:…')",
            DefaultValueFactory = _ => "2.10",
        }.AcceptOnlyFromAmong("2.10", "1.60");
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("ifconfig", "Show interfaces as net-tools 'ifconfig' does (addresses, flags, MTU, counters).") { dev, all, layout, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var name = r.GetValue(dev);
            var links = name is null ? c.GetLinks().Where(l => r.GetValue(all) || l.IsUp).ToList() : [c.GetLink(name)];
            var addresses = c.GetAddresses().ToLookup(a => a.Index);
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
}

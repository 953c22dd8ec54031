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
        var netns = NetlinkCli.NetnsOption();
        var cmd = new Command("ifconfig", "Show interfaces as net-tools 'ifconfig' does (addresses, flags, MTU, counters).") { dev, all, netns };
        cmd.SetAction(r => CliRunner.Run(() =>
        {
            using var c = NetlinkCli.Open(r.GetValue(netns));
            var name = r.GetValue(dev);
            var links = name is null ? c.GetLinks().Where(l => r.GetValue(all) || l.IsUp).ToList() : [c.GetLink(name)];
            var addresses = c.GetAddresses().ToLookup(a => a.Index);
            Console.Write(string.Join("\n", links.Select(l => IfconfigFormat.Block(l, addresses[l.Index]))));
            return CliRunner.Ok;
        }));
        return cmd;
    }
}

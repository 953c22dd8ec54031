using System.CommandLine;
using SharpTun.Cli.Commands;

namespace SharpTun.Cli;

/// <summary>Entry point: builds the command tree and runs it. Each command group lives in its own file under Commands/.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand(
            "sharptun: TUN/TAP devices, interfaces and routes over rtnetlink, packet inspection and VPN tunnels for Linux.");
        root.Subcommands.Add(TuntapCommand.Create());
        root.Subcommands.Add(ReadCommand.Create());
        root.Subcommands.Add(LinkCommand.Create());
        root.Subcommands.Add(AddrCommand.Create());
        root.Subcommands.Add(RouteCommand.Create());
        root.Subcommands.Add(NetnsCommand.Create());
        root.Subcommands.Add(SsCommand.Create());
        root.Subcommands.Add(IfconfigCommand.Create());
        root.Subcommands.Add(RespondCommand.Create());
        root.Subcommands.Add(WgCommand.Create());
        root.Subcommands.Add(TunnelCommand.Create());
        root.Subcommands.Add(LabCommand.Create());
        return root.Parse(args).Invoke();
    }
}

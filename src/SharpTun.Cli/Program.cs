using System.CommandLine;
using SharpTun.Cli.Commands;
using SharpTun.Cli.Grammar;

namespace SharpTun.Cli;

/// <summary>
/// Entry point: builds the command tree, reads the line as ip would (<see cref="IpGrammar"/>), reports
/// bad usage in one line on stderr with exit 2 (<see cref="UsageErrors"/>) and runs the command.
/// Each command group lives in its own file under Commands/.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        LauncherCheck.RebuildIfStale(args);
        Diagnostics.EnsureDisabled();
        var root = CreateRoot();
        try
        {
            args = IpGrammar.Normalize(args, root);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"sharptun: {e.Message}; see 'sharptun --help'");
            return CliRunner.Usage;
        }
        if (args is ["netns", "exec", .. var rest] && rest is not ([] or ["--help" or "-h" or "-?", ..]))
        {
            // The program's own options (ping -h) are not ours to parse.
            return NetnsCommand.Exec(rest);
        }
        if (args is ["ifconfig", .. var settings] && IfconfigCommand.ConfigureForm(settings) is { } configure)
        {
            return configure();
        }
        if (args is ["netstat" or ClassicRouteCommand.Name, .. var words] && !words.Any(w => w is "--help" or "-h" or "-?"))
        {
            // net-tools' getopt syntax (-tulpn, route -net …) is read by the commands themselves.
            return args[0] == "netstat" ? NetstatCommand.Run(words) : ClassicRouteCommand.Run(words);
        }
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // --help wins over a missing argument (wg up --help), as it does with System.CommandLine's own invocation.
        if (result.Errors.Count > 0 && result.Action is not (Docs.GlobalOptionsHelp or System.CommandLine.Help.HelpAction))
        {
            return UsageErrors.Report(result, Console.Error);
        }
        return ProcessNetns.EnterIfAsked(result) ?? result.Invoke();
    }

    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand(
            "sharptun: TUN/TAP devices, interfaces and routes over rtnetlink, packet inspection and VPN tunnels for Linux.");
        root.Subcommands.Add(ProcessNetns.AddTo(TuntapCommand.Create()));
        root.Subcommands.Add(ProcessNetns.AddTo(ReadCommand.Create()));
        root.Subcommands.Add(LinkCommand.Create());
        root.Subcommands.Add(AddrCommand.Create());
        root.Subcommands.Add(RouteCommand.Create());
        root.Subcommands.Add(NeighCommand.Create());
        root.Subcommands.Add(RuleCommand.Create());
        root.Subcommands.Add(NetnsCommand.Create());
        root.Subcommands.Add(SsCommand.Create());
        root.Subcommands.Add(IfconfigCommand.Create());
        root.Subcommands.Add(NetstatCommand.Create());
        root.Subcommands.Add(ClassicRouteCommand.Create());
        root.Subcommands.Add(ProcessNetns.AddTo(RespondCommand.Create()));
        root.Subcommands.Add(ProcessNetns.AddTo(WgCommand.Create(), except: ["genkey", "pubkey", "genpsk"]));
        root.Subcommands.Add(ProcessNetns.AddTo(TunnelCommand.Create()));
        root.Subcommands.Add(LabCommand.Create());
        root.Subcommands.Add(Docs.GenerateCommand.Create(CreateRoot));
        VersionInfo.Install(root);
        Docs.GlobalOptionsHelp.Install(root);
        return root;
    }
}

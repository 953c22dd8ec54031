using System.CommandLine;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>-n NS</c> for the commands that open devices and sockets over their whole run (tuntap, read, respond,
/// tunnel, wg, ss): the process moves itself into the namespace the way <c>ip -n</c> and <c>ip netns exec</c>
/// do (<see cref="NetNamespaceExec.ReExecSelf"/>: setns, a private mount namespace with the namespace's /sys,
/// exec of the same command line), so every thread, socket, tun device and /sys/class/net read of the run
/// is the namespace's. The re-executed process finds itself already there (<see cref="NetNamespaceExec.IsCurrent"/>)
/// and runs the command. link/addr/route/… take <c>-n</c> too but only open a netlink socket there (no exec).
/// </summary>
internal static class ProcessNetns
{
    /// <summary>Set for the re-executed process only, so that a namespace that cannot be entered for good ends in an error, not a loop.</summary>
    private const string Marker = "SHARPTUN_NETNS_ENTERED";

    private static readonly HashSet<Option> s_options = [];

    internal static Option<string?> Option() => new("--netns", "-n")
    {
        Description = "run inside the named network namespace /run/netns/NS, with its /sys (like 'ip -n NS' / 'ip netns exec NS')",
        HelpName = "NS",
    };

    /// <summary>Adds the option to every runnable command below <paramref name="command"/> that has no -n/--netns of its own.</summary>
    internal static T AddTo<T>(T command, params string[] except) where T : Command
    {
        if (except.Contains(command.Name))
        {
            return command;
        }
        if (command.Action is not null && !command.Options.Any(o => o.Name == "--netns" || o.Aliases.Contains("-n")))
        {
            var option = Option();
            s_options.Add(option);
            command.Options.Add(option);
        }
        foreach (var sub in command.Subcommands)
        {
            AddTo(sub, except);
        }
        return command;
    }

    /// <summary>
    /// When the parsed command has this option set and the process is not in that namespace yet, re-executes
    /// inside it (returns only on failure, with the exit code); otherwise returns null and the command runs here.
    /// </summary>
    internal static int? EnterIfAsked(ParseResult result)
    {
        var option = result.CommandResult.Command.Options.FirstOrDefault(s_options.Contains);
        if (option is null || result.GetValue((Option<string?>)option) is not { } name)
        {
            return null;
        }
        try
        {
            if (NetNamespaceExec.IsCurrent(name))
            {
                Environment.SetEnvironmentVariable(Marker, null);
                return null;
            }
            if (Environment.GetEnvironmentVariable(Marker) == name)
            {
                // Re-executed once already and still not there: never loop.
                Console.Error.WriteLine($"sharptun: cannot run inside namespace '{name}': still outside it after entering it");
                return CliRunner.Failed;
            }
            Environment.SetEnvironmentVariable(Marker, name);
            var errno = NetNamespaceExec.ReExecSelf(name);
            Console.Error.WriteLine($"sharptun: cannot run inside namespace '{name}': re-exec failed: {SharpTun.Netlink.ErrnoText.Describe(errno)}");
            return CliRunner.Failed;
        }
        catch (Exception e) when (e is NetNamespaceException or ArgumentException)
        {
            return CliRunner.Report(e);
        }
    }
}

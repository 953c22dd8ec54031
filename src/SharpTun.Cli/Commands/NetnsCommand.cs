using System.CommandLine;
using System.Runtime.InteropServices;
using SharpTun.Linux;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun netns add|del|list|exec</c>: named network namespaces as <c>ip netns</c> keeps them.</summary>
internal static class NetnsCommand
{

    internal static Command Create()
    {
        var cmd = new Command("netns", "Create, delete, list and run commands in named network namespaces (like 'ip netns').");
        var name = new Argument<string>("NAME") { Description = "namespace name (/run/netns/NAME)" };
        var add = new Command("add", "Create a named namespace (like 'ip netns add NAME').") { name };
        add.SetAction(r => CliRunner.Run(() =>
        {
            NetNamespace.Create(r.GetValue(name)!);
            return CliRunner.Ok;
        }));
        var delName = new Argument<string>("NAME") { Description = "namespace name" };
        var del = new Command("del", "Delete a named namespace (like 'ip netns del NAME').") { delName };
        del.Aliases.Add("delete");
        del.SetAction(r => CliRunner.Run(() =>
        {
            NetNamespace.Delete(r.GetValue(delName)!);
            return CliRunner.Ok;
        }));
        var list = new Command("list", "List named namespaces (like 'ip netns list').");
        list.Aliases.Add("show");
        list.SetAction(_ => CliRunner.Run(() =>
        {
            foreach (var n in NetNamespace.List())
            {
                Console.WriteLine(n);
            }
            return CliRunner.Ok;
        }));
        var execName = new Argument<string>("NAME") { Description = "namespace name" };
        var command = new Argument<string[]>("COMMAND") { Description = "program and its arguments (passed through untouched)", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec",
            "Become COMMAND inside a namespace: setns + execvp, same PID, like 'ip netns exec': a private mount namespace with the namespace's /sys (so /sys/class/net lists its devices) and /etc/netns/NAME/* bound over /etc/*.")
        {
            execName, command,
        };
        exec.SetAction(r => Exec([r.GetValue(execName)!, .. r.GetValue(command)!]));
        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(del);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(exec);
        return cmd;
    }

    /// <summary>
    /// <c>netns exec NAME CMD [ARGS…]</c>, read before the command tree so that CMD's options stay CMD's.
    /// Returns only on failure: 127 when CMD is not found, 126 when it cannot be executed (as shells and ip do).
    /// </summary>
    internal static int Exec(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("sharptun: netns exec: a namespace and a program are required; see 'sharptun netns exec --help'");
            return CliRunner.Usage;
        }
        int errno;
        try
        {
            errno = NetNamespaceExec.Exec(args[0], args[1..]);
        }
        catch (Exception e) when (e is NetNamespaceException or ArgumentException)
        {
            return CliRunner.Report(e);
        }
        // ip netns exec's wording, with strerror's text.
        Console.Error.WriteLine($"exec of \"{args[1]}\" failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        return ProcessImage.ShellExitCode(errno);
    }
}

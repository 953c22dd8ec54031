using System.CommandLine;
using System.Diagnostics;
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
        var command = new Argument<string[]>("COMMAND") { Description = "program and arguments", Arity = ArgumentArity.OneOrMore };
        var exec = new Command("exec", "Run a program inside a namespace (network namespace only; /sys is not remounted as 'ip netns exec' does).")
        {
            execName, command,
        };
        exec.SetAction(r => CliRunner.Run(() =>
        {
            var argv = r.GetValue(command)!;
            var psi = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
            foreach (var a in argv.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }
            // The child is forked from the thread that entered the namespace, so it starts inside it.
            using var p = NetNamespace.Run(r.GetValue(execName)!, () => Process.Start(psi))
                ?? throw new InvalidOperationException($"cannot start {argv[0]}");
            p.WaitForExit();
            return p.ExitCode;
        }));
        cmd.Subcommands.Add(add);
        cmd.Subcommands.Add(del);
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(exec);
        return cmd;
    }
}

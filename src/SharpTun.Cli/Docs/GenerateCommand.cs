using System.CommandLine;

namespace SharpTun.Cli.Docs;

/// <summary>
/// <c>sharptun generate man|bash-completion</c>: prints sharptun(8) or the bash completion
/// script, both generated from the live command tree. ./install.sh installs their output.
/// </summary>
internal static class GenerateCommand
{
    internal static Command Create(Func<RootCommand> root)
    {
        var man = new Command("man", "Print the sharptun(8) manual page (roff).");
        man.SetAction(_ => CliRunner.Run(() =>
        {
            ManPage.Write(root(), Console.Out);
            return CliRunner.Ok;
        }));
        var bash = new Command("bash-completion", "Print the bash completion script.");
        bash.SetAction(_ => CliRunner.Run(() =>
        {
            BashCompletion.Write(root(), Console.Out);
            return CliRunner.Ok;
        }));
        return new Command("generate", "Print generated documentation: the man page or the bash completion script.") { Subcommands = { man, bash } };
    }
}

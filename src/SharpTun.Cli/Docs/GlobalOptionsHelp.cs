using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using SharpTun.Cli.Grammar;

namespace SharpTun.Cli.Docs;

/// <summary>
/// <c>sharptun --help</c> also lists ip's global options (<see cref="IpGrammar.GlobalOptionHelp"/>), which are
/// read before the command tree sees the line and so are no option of the root command.
/// </summary>
internal sealed class GlobalOptionsHelp(SynchronousCommandLineAction inner) : SynchronousCommandLineAction
{
    internal static void Install(RootCommand root)
    {
        if (root.Options.OfType<HelpOption>().FirstOrDefault() is { Action: SynchronousCommandLineAction inner } help)
        {
            help.Action = new GlobalOptionsHelp(inner);
        }
    }

    public override int Invoke(ParseResult parseResult)
    {
        var code = inner.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            Write(Console.Out);
        }
        return code;
    }

    internal static void Write(TextWriter w)
    {
        w.WriteLine("Global options (before the command, as ip's: sharptun -j -n NS addr show):");
        var rows = IpGrammar.GlobalOptionHelp
            .Select(g => (Words: string.Join(", ", g.Words.Split(' ').Select(o => g.Value is null ? o : $"{o} {g.Value}")), g.Description))
            .ToList();
        var width = rows.Max(r => r.Words.Length) + 2;
        foreach (var (words, description) in rows)
        {
            w.WriteLine($"  {words.PadRight(width)}{description}");
        }
        w.WriteLine();
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace SharpTun.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into the one line a Linux tool prints for bad usage
/// (<c>sharptun: link: unknown command 'shwo'; see 'sharptun link --help'</c>) on stderr, exit 2.
/// Help itself is printed only when asked for (--help), to stdout.
/// </summary>
internal static partial class UsageErrors
{
    /// <summary>Prints the first error of <paramref name="result"/> and returns <see cref="CliRunner.Usage"/>.</summary>
    internal static int Report(ParseResult result, TextWriter error)
    {
        var path = CommandPath(result.CommandResult);
        // "Unrecognized 'shwo'" says more than the "command required" that follows from it.
        var first = result.Errors.FirstOrDefault(e => Unrecognized().IsMatch(e.Message)) ?? result.Errors[0];
        error.WriteLine($"sharptun: {Describe(first.Message, path)}; see '{path} --help'");
        return CliRunner.Usage;
    }

    /// <summary>"sharptun link set" for the command the parser got to.</summary>
    internal static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? r = command; r is not null; r = r.Parent)
        {
            if (r is CommandResult c)
            {
                names.Add(c.Command is RootCommand ? "sharptun" : c.Command.Name);
            }
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    internal static string Describe(string message, string path)
    {
        var where = path == "sharptun" ? "" : path["sharptun ".Length..] + ": ";
        if (Unrecognized().Match(message) is { Success: true } u)
        {
            return $"{where}unknown command or argument '{u.Groups[1].Value}'";
        }
        if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
        {
            return $"{where}a command is required";
        }
        if (CannotParse().Match(message) is { Success: true } p)
        {
            return $"{where}invalid value '{p.Groups[1].Value}' for {p.Groups[2].Value}: {UserText.TypeWords(p.Groups[3].Value)}";
        }
        if (RequiredOption().Match(message) is { Success: true } o)
        {
            return $"{where}option {o.Groups[1].Value} is required";
        }
        if (RequiredArgument().Match(message) is { Success: true })
        {
            return $"{where}an argument is missing";
        }
        if (NotAmong().Match(message) is { Success: true } n)
        {
            var choices = n.Groups[2].Value.Split(['\n', '\t', ' ', '\'', ','], StringSplitOptions.RemoveEmptyEntries);
            return $"{where}invalid value '{n.Groups[1].Value}': use {string.Join(" or ", choices)}";
        }
        return where + UserText.Clean(message.Replace('\n', ' ').TrimEnd('.'));
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Cannot parse argument '(.*)' for (?:option|command|argument) '(.*)' as expected type 'System\.([A-Za-z0-9]+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Option '(.*)' is required")]
    private static partial Regex RequiredOption();

    [GeneratedRegex(@"^Required argument missing")]
    private static partial Regex RequiredArgument();

    [GeneratedRegex(@"^Argument '(.*)' not recognized\. Must be one of:(.*)", RegexOptions.Singleline)]
    private static partial Regex NotAmong();
}

using System.CommandLine;
using System.Text.RegularExpressions;

namespace SharpTun.Cli.Docs;

/// <summary>
/// The command tree as the man page and the bash completion see it: the same <see cref="Command"/>s,
/// options, arguments and descriptions that <c>--help</c> prints, so the three never disagree.
/// </summary>
internal static partial class CommandTree
{
    /// <summary>Every visible command below <paramref name="root"/>, depth first, with its path ("link set").</summary>
    internal static IEnumerable<(string Path, Command Command)> Walk(Command root, string prefix = "")
    {
        foreach (var c in root.Subcommands.Where(c => !c.Hidden))
        {
            var path = prefix.Length == 0 ? c.Name : prefix + " " + c.Name;
            yield return (path, c);
            foreach (var child in Walk(c, path))
            {
                yield return child;
            }
        }
    }

    /// <summary>The options a user types for <paramref name="command"/> (help and version included), visible ones only.</summary>
    internal static IEnumerable<Option> Options(Command command) => command.Options.Where(o => !o.Hidden);

    /// <summary>"-i, --interface" with the long name last, as --help prints it.</summary>
    internal static IEnumerable<string> Names(Option option) =>
        option.Aliases.OrderBy(a => a.StartsWith("--", StringComparison.Ordinal) ? 1 : 0).ThenBy(a => a.Length)
            .Append(option.Name).Distinct(StringComparer.Ordinal).OrderBy(a => a.StartsWith("--", StringComparison.Ordinal) ? 1 : 0);

    /// <summary>True when the option takes a value (not a flag).</summary>
    internal static bool TakesValue(Option option) => option.ValueType != typeof(bool);

    /// <summary>
    /// The ip-style keywords an argument's description lists ("[dev] DEV up | down | mtu N" gives dev, up,
    /// down, mtu): its lower-case words outside parentheses (prose), when it is written as a grammar (with | or [ ]); upper-case words are the values the user fills in.
    /// </summary>
    internal static IEnumerable<string> Keywords(Command command) =>
        command.Arguments.Where(a => !a.Hidden && a.Description is not null && a.Description.IndexOfAny(['|', '[']) >= 0)
            .SelectMany(a => Word().Matches(Prose().Replace(a.Description!, " ")).Select(m => m.Value))
            .Where(w => w is not ("or" or "and" or "the" or "a" or "an" or "of" or "to" or "like" or "ip" or "e" or "g" or "i"))
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<![\w./:-])[a-z][a-z0-9_]*(?![\w./:'(-])")]
    private static partial Regex Word();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Prose();
}

namespace SharpTun.Cli.Grammar;

/// <summary>
/// The option syntax of the net-tools programs (GNU getopt_long): bundled short flags (<c>-tulpn</c>), a short
/// option's value attached or next (<c>-Ainet6</c>, <c>-A inet6</c>), long options (<c>--numeric</c>,
/// <c>--protocol=inet</c>), operands anywhere (getopt permutes) and <c>--</c> ending the options.
/// An unknown option is a usage error naming it.
/// </summary>
internal sealed class GetOpt(string command, string withValue, IReadOnlyDictionary<string, char> longNames, string knownShort)
{
    /// <summary>The options in the order given (their short letter; long-only ones get a private letter) and the operands.</summary>
    internal (List<(char Option, string? Value)> Options, List<string> Operands) Parse(IReadOnlyList<string> args)
    {
        var options = new List<(char, string?)>();
        var operands = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                operands.AddRange(args.Skip(i + 1));
                break;
            }
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? a[2..] : a[2..eq];
                if (!longNames.TryGetValue(name, out var letter))
                {
                    throw new ArgumentException($"{command}: unknown option '--{name}'");
                }
                string? value = null;
                if (withValue.Contains(letter, StringComparison.Ordinal))
                {
                    value = eq >= 0 ? a[(eq + 1)..] : i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{command}: option '--{name}' needs a value");
                }
                else if (eq >= 0)
                {
                    throw new ArgumentException($"{command}: option '--{name}' takes no value");
                }
                options.Add((letter, value));
                continue;
            }
            if (a.Length < 2 || a[0] != '-')
            {
                operands.Add(a);
                continue;
            }
            for (var j = 1; j < a.Length; j++)
            {
                var c = a[j];
                if (!knownShort.Contains(c, StringComparison.Ordinal) && !withValue.Contains(c, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"{command}: unknown option '-{c}'");
                }
                if (withValue.Contains(c, StringComparison.Ordinal))
                {
                    var value = j + 1 < a.Length ? a[(j + 1)..] : i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{command}: option '-{c}' needs a value");
                    options.Add((c, value));
                    break;
                }
                options.Add((c, null));
            }
        }
        return (options, operands);
    }
}

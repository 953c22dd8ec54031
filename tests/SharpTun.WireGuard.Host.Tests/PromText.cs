using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): every line is a # HELP, a # TYPE or a
/// sample <c>name{label="value",…} number [timestamp]</c>; names and label names match the format's grammar;
/// every sample's metric family has a TYPE line before it. Throws on anything else.
/// </summary>
internal sealed partial class PromText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    internal IReadOnlyDictionary<string, string> Types => _types;

    internal static PromText Parse(string text)
    {
        var p = new PromText();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var f = line.Split(' ');
                Assert.Matches(NameRegex(), f[2]);
                Assert.Contains(f[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                p._types[f[2]] = f[3];
                continue;
            }
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# EOF", StringComparison.Ordinal))
            {
                continue;
            }
            var m = SampleRegex().Match(line);
            Assert.True(m.Success, $"not a sample line: '{line}'");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match l in LabelRegex().Matches(m.Groups["labels"].Value))
            {
                labels[l.Groups[1].Value] = l.Groups[2].Value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }
            var name = m.Groups["name"].Value;
            Assert.True(p._types.ContainsKey(name), $"sample {name} without a # TYPE line");
            p._samples.Add((name, labels, double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return p;
    }

    /// <summary>The one sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("k=v").</summary>
    internal double Value(string name, params string[] labels)
    {
        var matches = Samples(name, labels);
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"{matches.Count} samples of {name} {{{string.Join(",", labels)}}}");
    }

    internal List<double> Samples(string name, params string[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => l.Split('=', 2) is var kv && s.Labels.GetValueOrDefault(kv[0]) == kv[1])).Select(s => s.Value).ToList();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*)\\})? (?<value>[-+]?([0-9.eE+-]+|Inf|NaN))( -?[0-9]+)?$")]
    private static partial Regex SampleRegex();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelRegex();
}

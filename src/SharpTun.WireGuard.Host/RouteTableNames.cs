using System.Globalization;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Routing table names as ip(8) reads them (iproute2's rt_names): the built-in <c>default</c> (253),
/// <c>main</c> (254) and <c>local</c> (255), then <c>/etc/iproute2/rt_tables</c> (or, when that file does not
/// exist, <c>/usr/share/iproute2/rt_tables</c>), then every <c>*.conf</c> in <c>/usr/share/iproute2/rt_tables.d</c>
/// that <c>/etc/iproute2/rt_tables.d</c> does not override by file name, then every <c>*.conf</c> in
/// <c>/etc/iproute2/rt_tables.d</c>, files of one directory in name order. A line is <c>ID NAME</c> (ID decimal
/// or 0x hex), <c>#</c> starts a comment; the first definition of a name wins.
/// </summary>
public static class RouteTableNames
{
    /// <summary>Where ip reads its local table names.</summary>
    public const string EtcDirectory = "/etc/iproute2";

    /// <summary>Where a distribution ships its table names (iproute2 6.5 and later).</summary>
    public const string UsrDirectory = "/usr/share/iproute2";

    /// <summary>
    /// The id of table <paramref name="name"/>, or null when no file names it. <paramref name="etcDirectory"/>
    /// and <paramref name="usrDirectory"/> replace the two directories (tests).
    /// </summary>
    public static uint? Resolve(string name, string etcDirectory = EtcDirectory, string usrDirectory = UsrDirectory)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (id, n) in Entries(etcDirectory, usrDirectory))
        {
            if (n == name)
            {
                return id;
            }
        }
        return null;
    }

    /// <summary>Every (id, name) in the order ip reads them, the built-in ones first.</summary>
    public static IEnumerable<(uint Id, string Name)> Entries(string etcDirectory = EtcDirectory, string usrDirectory = UsrDirectory)
    {
        yield return (253, "default");
        yield return (254, "main");
        yield return (255, "local");
        var main = Path.Combine(etcDirectory, "rt_tables");
        foreach (var e in ParseFile(File.Exists(main) ? main : Path.Combine(usrDirectory, "rt_tables")))
        {
            yield return e;
        }
        var etcD = Path.Combine(etcDirectory, "rt_tables.d");
        foreach (var file in ConfFiles(Path.Combine(usrDirectory, "rt_tables.d")))
        {
            if (!File.Exists(Path.Combine(etcD, Path.GetFileName(file))))
            {
                foreach (var e in ParseFile(file))
                {
                    yield return e;
                }
            }
        }
        foreach (var file in ConfFiles(etcD))
        {
            foreach (var e in ParseFile(file))
            {
                yield return e;
            }
        }
    }

    /// <summary>The (id, name) lines of one rt_tables text; malformed lines are skipped, as ip skips them.</summary>
    public static IEnumerable<(uint Id, string Name)> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }
            var parts = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }
            var idText = parts[0];
            var ok = idText.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(idText.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id)
                : uint.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out id);
            if (ok)
            {
                yield return (id, parts[1]);
            }
        }
    }

    private static IEnumerable<(uint Id, string Name)> ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return Parse(text);
    }

    private static IEnumerable<string> ConfFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.conf").Order(StringComparer.Ordinal)
            : [];
}

using System.CommandLine;
using System.Text.Json.Nodes;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>Options and helpers shared by the link/addr/route/ss commands.</summary>
internal static class NetlinkCli
{
    internal static Option<string?> NetnsOption() => new("--netns", "-n")
    {
        Description = "act inside the named network namespace (/run/netns/NAME), like 'ip -n NAME'",
    };

    internal static Option<bool> JsonOption() => new("--json", "-j") { Description = "print JSON with iproute2's field names (like 'ip -j')" };

    internal static Option<bool> BriefOption() => new("--brief", "-br") { Description = "one line per object: name, state, addresses (like 'ip -br')" };

    internal static Option<bool> OnelineOption() => new("--oneline", "-o") { Description = "each record on one line, line breaks as '\\' (like 'ip -o')" };

    internal static RtNetlinkClient Open(string? netns) => netns is null ? RtNetlink.Open() : RtNetlink.OpenInNamespace(netns);

    internal static Dictionary<int, LinkInfo> ByIndex(IEnumerable<LinkInfo> links) => links.ToDictionary(l => l.Index);

    internal static void PrintJson(IEnumerable<JsonNode> items)
    {
        var array = new JsonArray([.. items]);
        Console.WriteLine(array.ToJsonString());
    }

    internal static Argument<string[]> Words(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrMore,
    };
}

/// <summary>iproute2-style argument words (<c>dev eth0 mtu 1400 up</c>), consumed left to right.</summary>
internal sealed class Words(IEnumerable<string> words, string command)
{
    private readonly Queue<string> _words = new(words);

    internal bool Any => _words.Count > 0;

    internal string Next() => _words.Dequeue();

    internal string Value(string keyword) =>
        _words.TryDequeue(out var v) ? v : throw new ArgumentException($"{command}: '{keyword}' needs a value");

    internal int Int(string keyword)
    {
        var v = Value(keyword);
        return int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{command}: invalid {keyword} '{v}'");
    }

    internal ArgumentException Unknown(string word) => new($"{command}: unknown argument '{word}'");

    internal static byte[] ParseMac(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 6 || parts.Any(p => p.Length is < 1 or > 2))
        {
            throw new ArgumentException($"invalid link-layer address '{text}': use xx:xx:xx:xx:xx:xx");
        }
        try
        {
            return [.. parts.Select(p => Convert.ToByte(p, 16))];
        }
        catch (FormatException)
        {
            throw new ArgumentException($"invalid link-layer address '{text}': use xx:xx:xx:xx:xx:xx");
        }
    }
}

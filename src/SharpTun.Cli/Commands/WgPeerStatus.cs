namespace SharpTun.Cli.Commands;

/// <summary>One peer's part of a <see cref="WgStatus"/>: its health values by key, endpoint changes ("UNIX,CAUSE,FROM,TO") and drops.</summary>
internal sealed class WgPeerStatus
{
    internal Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    internal List<string> EndpointHistory { get; } = [];

    internal Dictionary<string, long> Drops { get; } = new(StringComparer.Ordinal);

    internal string? this[string key] => Values.GetValueOrDefault(key);

    internal long Long(string key) => long.TryParse(this[key], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}

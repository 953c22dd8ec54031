namespace SharpTun.Cli.Commands;

/// <summary>The drop counters a SharpTun interface reports (its <c>sharptun_drops=1</c> answer): the interface's, and per peer by hex public key.</summary>
internal sealed record WgDrops(IReadOnlyDictionary<string, long> Interface, IReadOnlyDictionary<string, Dictionary<string, long>> Peers)
{
    internal static WgDrops None { get; } = new(new Dictionary<string, long>(), new Dictionary<string, Dictionary<string, long>>());

    internal static WgDrops Parse(string answer)
    {
        var iface = new Dictionary<string, long>();
        var peers = new Dictionary<string, Dictionary<string, long>>();
        Dictionary<string, long> current = iface;
        foreach (var line in answer.Split('\n'))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }
            var key = line[..eq];
            var value = line[(eq + 1)..];
            if (key == "public_key")
            {
                current = peers[value] = [];
            }
            else if (key.StartsWith("drop_", StringComparison.Ordinal) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                current[key["drop_".Length..]] = n;
            }
        }
        return new WgDrops(iface, peers);
    }
}

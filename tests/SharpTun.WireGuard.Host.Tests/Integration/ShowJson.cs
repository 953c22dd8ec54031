using System.Text.Json;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// <c>sharptun wg show NAME --json</c> read by meaning: property names are matched ignoring case,
/// '_' and '-', so the tests name what they need ("rxBytes", "transfer_rx") in one place.
/// </summary>
internal sealed class ShowJson(JsonElement root, string text)
{
    internal JsonElement Root { get; } = root;
    internal string Text { get; } = text;

    /// <summary>The peer object whose public key is <paramref name="publicKey"/>.</summary>
    internal JsonElement Peer(string publicKey) =>
        Objects(Root).FirstOrDefault(o => Find(o, "publicKey", "public_key", "key") is { ValueKind: JsonValueKind.String } k && k.GetString() == publicKey
                                          && Find(o, "privateKey", "private_key") is null)
        is { ValueKind: JsonValueKind.Object } p
            ? p
            : throw new InvalidOperationException($"peer {publicKey} not in sharptun wg show --json:\n{Text}");

    internal long PeerRx(string publicKey) => Long(Peer(publicKey), "receiveBytes", "rxBytes", "transferRx", "receivedBytes", "rx");
    internal long PeerTx(string publicKey) => Long(Peer(publicKey), "transmitBytes", "txBytes", "transferTx", "sentBytes", "tx");

    internal string? PeerEndpoint(string publicKey) => Find(Peer(publicKey), "endpoint")?.ToString();

    /// <summary>
    /// The drop counter for <paramref name="reasons"/>: the largest value over every "drops" object (the
    /// interface's total is at least any peer's share); 0 when drops objects exist but none names the
    /// reason (only non-zero counts are listed). Throws when there is no drops object at all.
    /// </summary>
    internal long Drops(params string[] reasons)
    {
        long? best = null;
        foreach (var o in Objects(Root))
        {
            foreach (var p in o.EnumerateObject())
            {
                if (Norm(p.Name).StartsWith("drop", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Object)
                {
                    var n = Find(p.Value, reasons) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : 0;
                    best = Math.Max(best ?? 0, n);
                }
            }
        }
        return best ?? throw new InvalidOperationException($"no drops object (for {string.Join(" or ", reasons)}) in sharptun wg show --json:\n{Text}");
    }

    /// <summary>Every drops object's text, for "did anything change" comparisons.</summary>
    internal string DropsText() =>
        string.Join('\n', Objects(Root).SelectMany(o => o.EnumerateObject())
            .Where(p => Norm(p.Name).StartsWith("drop", StringComparison.Ordinal) && p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => p.Value.GetRawText()));

    internal static long Long(JsonElement o, params string[] names) =>
        Find(o, names) is { ValueKind: JsonValueKind.Number } n
            ? n.GetInt64()
            : throw new InvalidOperationException($"no number named {string.Join(" or ", names)} in {o.GetRawText()}");

    /// <summary>The first property of <paramref name="o"/> (or of an object directly inside it) matching one of <paramref name="names"/>.</summary>
    internal static JsonElement? Find(JsonElement o, params string[] names)
    {
        if (o.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var name in names)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (Norm(p.Name) == Norm(name))
                {
                    return p.Value;
                }
            }
        }
        foreach (var name in names)
        {
            foreach (var p in o.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object && p.Value.EnumerateObject().FirstOrDefault(q => Norm(q.Name) == Norm(name)) is { Value.ValueKind: not JsonValueKind.Undefined } q)
                {
                    return q.Value;
                }
            }
        }
        return null;
    }

    private static IEnumerable<JsonElement> Objects(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            yield return e;
            foreach (var p in e.EnumerateObject())
            {
                foreach (var x in Objects(p.Value))
                {
                    yield return x;
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var i in e.EnumerateArray())
            {
                foreach (var x in Objects(i))
                {
                    yield return x;
                }
            }
        }
    }

    private static string Norm(string s) => s.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}

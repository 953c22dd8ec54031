using System.Globalization;

namespace SharpTun.WireGuard.Host;

/// <summary>One peer's part of a <see cref="UapiStatus"/>: its health values by key, its endpoint changes and its drop counters.</summary>
public sealed class UapiPeerStatus
{
    internal UapiPeerStatus()
    {
    }

    /// <summary>
    /// The values by key: <c>state</c>, <c>handshaking_since</c>, <c>rx_packets</c>, <c>tx_packets</c>, <c>handshakes_sent</c>,
    /// <c>handshakes_received</c>, <c>handshakes_failed</c>, <c>last_error</c>, <c>last_error_time</c>, <c>last_received</c>,
    /// <c>transport</c>, <c>path_mtu</c>, <c>endpoint_changes</c> (times in Unix seconds).
    /// </summary>
    public IReadOnlyDictionary<string, string> Values => Entries;

    /// <summary>The recorded endpoint changes, oldest first, each "UNIX,CAUSE,FROM,TO".</summary>
    public IReadOnlyList<string> EndpointHistory => Changes;

    /// <summary>The peer's drop counters by reason name (non-zero only).</summary>
    public IReadOnlyDictionary<string, long> Drops => DropCounts;

    internal Dictionary<string, string> Entries { get; } = new(StringComparer.Ordinal);

    internal List<string> Changes { get; } = [];

    internal Dictionary<string, long> DropCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>The value of <paramref name="key"/>, or null when the server did not write it.</summary>
    public string? this[string key] => Entries.GetValueOrDefault(key);

    /// <summary>The value of <paramref name="key"/> as a number; 0 when absent or not a number.</summary>
    public long Number(string key) => long.TryParse(this[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}

using System.Globalization;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The answer to SharpTun's UAPI status extension (<see cref="UapiClient.StatusRequest"/>, written by the UAPI
/// server of a SharpTun interface): the interface's drop counters by reason (<c>drop_REASON=N</c>), its offload
/// lines (<c>offload_KEY=VALUE</c>) and per peer, by hex public key, its health values, endpoint changes and
/// drop counters. <see cref="Empty"/> for a stock UAPI server (wireguard-go closes the connection on the request).
/// </summary>
public sealed class UapiStatus
{
    private UapiStatus(IReadOnlyDictionary<string, long> drops, IReadOnlyDictionary<string, UapiPeerStatus> peers, IReadOnlyDictionary<string, string> offloads,
        IReadOnlyDictionary<string, long> handshake)
    {
        Drops = drops;
        Peers = peers;
        Offloads = offloads;
        Handshake = handshake;
    }

    /// <summary>No interface counters, no peers: what a server without the extension gives.</summary>
    public static UapiStatus Empty { get; } = new(new Dictionary<string, long>(), new Dictionary<string, UapiPeerStatus>(), new Dictionary<string, string>(), new Dictionary<string, long>());

    /// <summary>The interface's drop counters by reason name ("no_route" = N); only non-zero reasons are written.</summary>
    public IReadOnlyDictionary<string, long> Drops { get; }

    /// <summary>The peers by lower-case hex public key, in the server's order.</summary>
    public IReadOnlyDictionary<string, UapiPeerStatus> Peers { get; }

    /// <summary>The interface's <c>offload_*</c> lines without the prefix ("tun" = "checksum,tcp_segmentation,…", counters).</summary>
    public IReadOnlyDictionary<string, string> Offloads { get; }

    /// <summary>The interface's <c>handshake_*</c> lines without the prefix: the handshake stage's "queued", "under_load" (0/1), "cookie_replies_sent".</summary>
    public IReadOnlyDictionary<string, long> Handshake { get; }

    /// <summary>
    /// Parses an answer (key=value lines up to <c>errno=</c>). Lines without '=' and unparsable counters are
    /// skipped; values before the first <c>public_key</c> belong to the interface, after it to that peer.
    /// </summary>
    public static UapiStatus Parse(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var drops = new Dictionary<string, long>(StringComparer.Ordinal);
        var peers = new Dictionary<string, UapiPeerStatus>(StringComparer.Ordinal);
        var offloads = new Dictionary<string, string>(StringComparer.Ordinal);
        var handshake = new Dictionary<string, long>(StringComparer.Ordinal);
        UapiPeerStatus? current = null;
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
                current = peers[value] = new UapiPeerStatus();
            }
            else if (key.StartsWith("drop_", StringComparison.Ordinal) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                (current?.DropCounts ?? drops)[key["drop_".Length..]] = n;
            }
            else if (current is null && key.StartsWith("offload_", StringComparison.Ordinal))
            {
                offloads[key["offload_".Length..]] = value;
            }
            else if (current is null && key.StartsWith("handshake_", StringComparison.Ordinal) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var h))
            {
                handshake[key["handshake_".Length..]] = h;
            }
            else if (key == "endpoint_change")
            {
                current?.Changes.Add(value);
            }
            else if (key != "errno" && current is not null)
            {
                current.Entries[key] = value;
            }
        }
        return new UapiStatus(drops, peers, offloads, handshake);
    }
}

namespace SharpTun.Cli.Commands;

/// <summary>
/// What a SharpTun interface adds to the UAPI (its <c>sharptun_status=1</c> answer): the interface's drop
/// counters, and per peer (by hex public key) its key=value health lines and drop counters. Empty for
/// a stock UAPI server (wireguard-go closes the connection on the request).
/// </summary>
internal sealed record WgStatus(IReadOnlyDictionary<string, long> Interface, IReadOnlyDictionary<string, WgPeerStatus> Peers)
{
    internal static WgStatus None { get; } = new(new Dictionary<string, long>(), new Dictionary<string, WgPeerStatus>());

    /// <summary>The interface's <c>offload_*</c> lines, without the prefix ("tun" = "checksum,tcp_segmentation,…", counters).</summary>
    internal Dictionary<string, string> Offloads { get; } = [];

    /// <summary>The interface's <c>handshake_*</c> lines, without the prefix (queued, under_load, cookie_replies_sent).</summary>
    internal Dictionary<string, long> Handshake { get; } = [];

    internal static WgStatus Parse(string answer)
    {
        var iface = new Dictionary<string, long>();
        var peers = new Dictionary<string, WgPeerStatus>();
        var offloads = new Dictionary<string, string>();
        var handshake = new Dictionary<string, long>();
        WgPeerStatus? current = null;
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
                current = peers[value] = new WgPeerStatus();
            }
            else if (key.StartsWith("drop_", StringComparison.Ordinal) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                (current?.Drops ?? iface)[key["drop_".Length..]] = n;
            }
            else if (current is null && key.StartsWith("offload_", StringComparison.Ordinal))
            {
                offloads[key["offload_".Length..]] = value;
            }
            else if (current is null && key.StartsWith("handshake_", StringComparison.Ordinal) && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var h))
            {
                handshake[key["handshake_".Length..]] = h;
            }
            else if (key == "endpoint_change")
            {
                current?.EndpointHistory.Add(value);
            }
            else if (key != "errno" && current is not null)
            {
                current.Values[key] = value;
            }
        }
        var status = new WgStatus(iface, peers);
        foreach (var (k, v) in offloads)
        {
            status.Offloads[k] = v;
        }
        foreach (var (k, v) in handshake)
        {
            status.Handshake[k] = v;
        }
        return status;
    }
}

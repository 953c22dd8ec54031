using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>What <c>wg show</c> prints (pretty, uncoloured; plus SharpTun's health lines per peer), <c>wg show NAME dump</c>, and SharpTun's JSON.</summary>
internal static class WgShowText
{
    internal static string Pretty(string name, UapiDevice device, DateTimeOffset now, UapiStatus? status = null)
    {
        var sb = new StringBuilder();
        sb.Append("interface: ").Append(name).Append('\n');
        if (device.PrivateKey is { } sk && sk.AsSpan().ContainsAnyExcept((byte)0))
        {
            sb.Append("  public key: ").Append(WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(sk))).Append('\n');
            sb.Append("  private key: (hidden)\n");
        }
        if (device.ListenPort != 0)
        {
            sb.Append("  listening port: ").Append(device.ListenPort.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        if (device.FwMark != 0)
        {
            sb.Append("  fwmark: 0x").Append(device.FwMark.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        }
        if (status is not null && (status.Handshake.GetValueOrDefault("under_load") != 0 || status.Handshake.GetValueOrDefault("cookie_replies_sent") != 0))
        {
            // Only when a flood was seen, so the calm output stays wg's.
            sb.Append("  handshakes: ").Append(status.Handshake.GetValueOrDefault("under_load") != 0 ? "under load" : "calm")
              .Append(", ").Append(status.Handshake.GetValueOrDefault("queued").ToString(CultureInfo.InvariantCulture)).Append(" queued, ")
              .Append(status.Handshake.GetValueOrDefault("cookie_replies_sent").ToString(CultureInfo.InvariantCulture)).Append(" cookie replies sent\n");
        }
        foreach (var peer in Sorted(device.Peers))
        {
            sb.Append('\n');
            sb.Append("peer: ").Append(WireGuardKeys.ToBase64(peer.PublicKey)).Append('\n');
            if (peer.PresharedKey is { } psk && psk.AsSpan().ContainsAnyExcept((byte)0))
            {
                sb.Append("  preshared key: (hidden)\n");
            }
            if (peer.Endpoint.IsSet)
            {
                sb.Append("  endpoint: ").Append(peer.Endpoint.ToString()).Append('\n');
            }
            sb.Append("  allowed ips: ").Append(peer.AllowedIps.Count == 0 ? "(none)" : string.Join(", ", peer.AllowedIps)).Append('\n');
            if (peer.LastHandshake is { } hs && hs.ToUnixTimeSeconds() > 0)
            {
                sb.Append("  latest handshake: ").Append(Ago(now - hs)).Append('\n');
            }
            if (peer.ReceiveBytes > 0 || peer.TransmitBytes > 0)
            {
                sb.Append("  transfer: ").Append(Bytes(peer.ReceiveBytes)).Append(" received, ").Append(Bytes(peer.TransmitBytes)).Append(" sent\n");
            }
            if (peer.PersistentKeepaliveInterval > 0)
            {
                sb.Append("  persistent keepalive: every ").Append(Units(peer.PersistentKeepaliveInterval)).Append('\n');
            }
            if (status?.Peers.GetValueOrDefault(Convert.ToHexStringLower(peer.PublicKey)) is { } extra)
            {
                sb.Append(PrettyExtra(extra, now));
            }
        }
        return sb.ToString();
    }

    /// <summary><c>wg show NAME dump</c>: tab-separated, the interface line then one line per peer.</summary>
    internal static string Dump(UapiDevice device)
    {
        var sb = new StringBuilder();
        var sk = device.PrivateKey is { } k && k.AsSpan().ContainsAnyExcept((byte)0) ? k : null;
        sb.Append(sk is null ? "(none)" : WireGuardKeys.ToBase64(sk)).Append('\t')
          .Append(sk is null ? "(none)" : WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(sk))).Append('\t')
          .Append(device.ListenPort.ToString(CultureInfo.InvariantCulture)).Append('\t')
          .Append(device.FwMark == 0 ? "off" : "0x" + device.FwMark.ToString("x", CultureInfo.InvariantCulture)).Append('\n');
        foreach (var peer in device.Peers)
        {
            sb.Append(WireGuardKeys.ToBase64(peer.PublicKey)).Append('\t')
              .Append(peer.PresharedKey is { } psk && psk.AsSpan().ContainsAnyExcept((byte)0) ? WireGuardKeys.ToBase64(psk) : "(none)").Append('\t')
              .Append(peer.Endpoint.IsSet ? peer.Endpoint.ToString() : "(none)").Append('\t')
              .Append(peer.AllowedIps.Count == 0 ? "(none)" : string.Join(",", peer.AllowedIps)).Append('\t')
              .Append((peer.LastHandshake?.ToUnixTimeSeconds() ?? 0).ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(peer.ReceiveBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(peer.TransmitBytes.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(peer.PersistentKeepaliveInterval == 0 ? "off" : peer.PersistentKeepaliveInterval.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// The stable JSON of one interface, documented in the README ("Operating a tunnel"):
    /// <c>{"interface","public_key","listen_port","fwmark","drops":{…},"offloads":{…}|null,"handshake":{"queued","under_load","cookie_replies_sent"}|null,"peers":[{"public_key","state","handshaking_since",
    /// "transport","path_mtu","endpoint","endpoint_history":[{"time","cause","from","to"}],"latest_handshake","rx_bytes","tx_bytes",
    /// "rx_packets","tx_packets","handshakes":{"sent","received","failed"},"last_error":{"reason","time"}|null,
    /// "allowed_ips","persistent_keepalive","drops":{…}}]}</c>; times in Unix seconds (latest_handshake 0 = never).
    /// For a stock UAPI server (no SharpTun status) state is judged from the handshake age alone.
    /// </summary>
    internal static void Json(Utf8JsonWriter w, string name, UapiDevice device, UapiStatus status, DateTimeOffset now)
    {
        w.WriteStartObject();
        w.WriteString("interface", name);
        if (device.PrivateKey is { } sk && sk.AsSpan().ContainsAnyExcept((byte)0))
        {
            w.WriteString("public_key", WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(sk)));
        }
        w.WriteNumber("listen_port", device.ListenPort);
        w.WriteNumber("fwmark", device.FwMark);
        WriteDrops(w, status.Drops);
        WriteOffloads(w, status.Offloads);
        WriteHandshake(w, status.Handshake);
        w.WriteStartArray("peers");
        foreach (var peer in device.Peers)
        {
            var extra = status.Peers.GetValueOrDefault(Convert.ToHexStringLower(peer.PublicKey));
            w.WriteStartObject();
            w.WriteString("public_key", WireGuardKeys.ToBase64(peer.PublicKey));
            w.WriteString("state", extra?["state"] ?? StockState(peer, now));
            if (extra?["handshaking_since"] is { } since)
            {
                w.WriteNumber("handshaking_since", long.Parse(since, CultureInfo.InvariantCulture));
            }
            else
            {
                w.WriteNull("handshaking_since");
            }
            w.WriteString("transport", extra?["transport"] ?? "udp");
            w.WriteNumber("path_mtu", extra?.Number("path_mtu") ?? 0);
            if (peer.Endpoint.IsSet)
            {
                w.WriteString("endpoint", peer.Endpoint.ToString());
            }
            else
            {
                w.WriteNull("endpoint");
            }
            w.WriteStartArray("endpoint_history");
            foreach (var change in extra?.EndpointHistory ?? [])
            {
                var f = change.Split(',', 4);
                w.WriteStartObject();
                w.WriteNumber("time", long.Parse(f[0], CultureInfo.InvariantCulture));
                w.WriteString("cause", f[1]);
                w.WriteString("from", f[2] == "(none)" ? null : f[2]);
                w.WriteString("to", f[3]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("endpoint_changes", extra?.Number("endpoint_changes") ?? 0);
            w.WriteNumber("latest_handshake", peer.LastHandshake?.ToUnixTimeSeconds() ?? 0);
            w.WriteNumber("rx_bytes", peer.ReceiveBytes);
            w.WriteNumber("tx_bytes", peer.TransmitBytes);
            w.WriteNumber("rx_packets", extra?.Number("rx_packets") ?? 0);
            w.WriteNumber("tx_packets", extra?.Number("tx_packets") ?? 0);
            w.WriteStartObject("handshakes");
            w.WriteNumber("sent", extra?.Number("handshakes_sent") ?? 0);
            w.WriteNumber("received", extra?.Number("handshakes_received") ?? 0);
            w.WriteNumber("failed", extra?.Number("handshakes_failed") ?? 0);
            w.WriteEndObject();
            if (extra?["last_error"] is { } error)
            {
                w.WriteStartObject("last_error");
                w.WriteString("reason", error);
                w.WriteNumber("time", extra.Number("last_error_time"));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("last_error");
            }
            w.WriteStartArray("allowed_ips");
            foreach (var a in peer.AllowedIps)
            {
                w.WriteStringValue(a.ToString());
            }
            w.WriteEndArray();
            w.WriteNumber("persistent_keepalive", peer.PersistentKeepaliveInterval);
            WriteDrops(w, extra?.Drops ?? new Dictionary<string, long>());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The health lines <c>sharptun wg show</c> prints under a peer of a SharpTun interface (after wg's own).</summary>
    internal static string PrettyExtra(UapiPeerStatus extra, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        sb.Append("  state: ").Append(extra["state"]);
        if (extra["handshaking_since"] is { } since)
        {
            sb.Append(" since ").Append(Ago(now - DateTimeOffset.FromUnixTimeSeconds(long.Parse(since, CultureInfo.InvariantCulture))));
        }
        sb.Append(" (").Append(extra["transport"] ?? "udp");
        if (extra.Number("path_mtu") > 0)
        {
            sb.Append(", path mtu ").Append(extra.Number("path_mtu").ToString(CultureInfo.InvariantCulture));
        }
        sb.Append(")\n");
        sb.Append("  packets: ").Append(extra.Number("rx_packets").ToString(CultureInfo.InvariantCulture)).Append(" received, ")
          .Append(extra.Number("tx_packets").ToString(CultureInfo.InvariantCulture)).Append(" sent\n");
        sb.Append("  handshakes: ").Append(extra.Number("handshakes_sent").ToString(CultureInfo.InvariantCulture)).Append(" sent, ")
          .Append(extra.Number("handshakes_received").ToString(CultureInfo.InvariantCulture)).Append(" received, ")
          .Append(extra.Number("handshakes_failed").ToString(CultureInfo.InvariantCulture)).Append(" failed\n");
        if (extra.Drops.Count > 0)
        {
            sb.Append("  drops: ").Append(string.Join(", ", extra.Drops.Select(d => $"{d.Key} {d.Value.ToString(CultureInfo.InvariantCulture)}"))).Append('\n');
        }
        if (extra["last_error"] is { } error)
        {
            sb.Append("  last error: ").Append(error).Append(", ")
              .Append(Ago(now - DateTimeOffset.FromUnixTimeSeconds(extra.Number("last_error_time")))).Append('\n');
        }
        if (extra.Number("endpoint_changes") > 0)
        {
            sb.Append("  endpoint changes: ").Append(extra.Number("endpoint_changes").ToString(CultureInfo.InvariantCulture));
            if (extra.EndpointHistory.Count > 0)
            {
                var f = extra.EndpointHistory[^1].Split(',', 4);
                sb.Append(" (last: ").Append(f[2]).Append(" -> ").Append(f[3]).Append(", ").Append(f[1]).Append(')');
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The state of a peer of a stock UAPI server, from the handshake age alone (up within 180 s).</summary>
    private static string StockState(UapiPeer peer, DateTimeOffset now) =>
        peer.LastHandshake is not { } hs || hs.ToUnixTimeSeconds() == 0 ? "never" : now - hs < TimeSpan.FromSeconds(180) ? "up" : "stale";

    /// <summary>
    /// <c>"offloads": {"tun": ["checksum", …], "tun_super_packets_split": N, …, "udp_gso": true, …}</c> (SharpTun only;
    /// null for a stock UAPI server).
    /// </summary>
    /// <summary><c>"handshake":{"queued","under_load","cookie_replies_sent"}</c>, or null for a stock UAPI server.</summary>
    private static void WriteHandshake(Utf8JsonWriter w, IReadOnlyDictionary<string, long> handshake)
    {
        if (handshake.Count == 0)
        {
            w.WriteNull("handshake");
            return;
        }
        w.WriteStartObject("handshake");
        w.WriteNumber("queued", handshake.GetValueOrDefault("queued"));
        w.WriteBoolean("under_load", handshake.GetValueOrDefault("under_load") != 0);
        w.WriteNumber("cookie_replies_sent", handshake.GetValueOrDefault("cookie_replies_sent"));
        w.WriteEndObject();
    }

    private static void WriteOffloads(Utf8JsonWriter w, IReadOnlyDictionary<string, string> offloads)
    {
        if (offloads.Count == 0)
        {
            w.WriteNull("offloads");
            return;
        }
        w.WriteStartObject("offloads");
        foreach (var (key, value) in offloads)
        {
            if (key == "tun")
            {
                w.WriteStartArray("tun");
                foreach (var name in value.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (name != "none")
                    {
                        w.WriteStringValue(name);
                    }
                }
                w.WriteEndArray();
            }
            else if (key is "udp_gso" or "udp_gro")
            {
                w.WriteBoolean(key, value == "1");
            }
            else if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                w.WriteNumber(key, n);
            }
        }
        w.WriteEndObject();
    }

    private static void WriteDrops(Utf8JsonWriter w, IReadOnlyDictionary<string, long> drops)
    {
        w.WriteStartObject("drops");
        foreach (var (reason, n) in drops)
        {
            w.WriteNumber(reason, n);
        }
        w.WriteEndObject();
    }

    /// <summary>wg's order: most recent handshake first, peers without one last (stable otherwise).</summary>
    private static IEnumerable<UapiPeer> Sorted(List<UapiPeer> peers) =>
        peers.Select((p, i) => (p, i)).OrderByDescending(t => t.p.LastHandshake?.ToUnixTimeSeconds() ?? 0).ThenBy(t => t.i).Select(t => t.p);

    /// <summary>wg's pretty time: "1 minute, 5 seconds ago", "Now".</summary>
    internal static string Ago(TimeSpan span)
    {
        var left = (long)Math.Max(0, span.TotalSeconds);
        if (left == 0)
        {
            return "Now";
        }
        return Units(left) + " ago";
    }

    private static string Units(long seconds)
    {
        var parts = new List<string>();
        void Part(long n, string unit)
        {
            if (n > 0)
            {
                parts.Add($"{n.ToString(CultureInfo.InvariantCulture)} {unit}{(n == 1 ? "" : "s")}");
            }
        }
        Part(seconds / (365 * 86400), "year");
        Part(seconds % (365 * 86400) / 86400, "day");
        Part(seconds % 86400 / 3600, "hour");
        Part(seconds % 3600 / 60, "minute");
        Part(seconds % 60, "second");
        return string.Join(", ", parts);
    }

    /// <summary>wg's byte counts: "92 B", "1.50 KiB", "3.21 MiB".</summary>
    internal static string Bytes(long n)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (n < 1024)
        {
            return n.ToString(CultureInfo.InvariantCulture) + " B";
        }
        double v = n;
        var u = -1;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }
        return v.ToString("0.00", CultureInfo.InvariantCulture) + " " + units[u];
    }
}

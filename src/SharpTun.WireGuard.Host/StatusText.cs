using System.Globalization;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The answer to <see cref="UapiClient.StatusRequest"/>, in the UAPI's key=value line style: the interface's
/// <c>drop_REASON=N</c> lines and its <c>offload_*</c> counters (tun TSO/USO split and GRO coalescing, UDP
/// GSO/GRO), the handshake stage's <c>handshake_queued</c>, <c>handshake_under_load</c> (0/1) and
/// <c>handshake_cookie_replies_sent</c>, then per peer <c>public_key=HEX</c> followed by <c>state</c>,
/// <c>handshaking_since</c>, <c>rx_packets</c>, <c>tx_packets</c>, <c>handshakes_sent</c>, <c>handshakes_received</c>,
/// <c>handshakes_failed</c>, <c>last_error</c>, <c>last_error_time</c>, <c>last_received</c>, <c>transport</c>, <c>path_mtu</c>,
/// <c>endpoint_changes</c>, one <c>endpoint_change=UNIX,CAUSE,FROM,TO</c> per recorded change, and its
/// <c>drop_REASON=N</c> lines (non-zero only); times in Unix seconds; then errno=0.
/// </summary>
internal static class StatusText
{
    /// <summary>The whole answer for <paramref name="wgInterface"/>.</summary>
    public static string Format(WireGuardInterface wgInterface)
    {
        ArgumentNullException.ThrowIfNull(wgInterface);
        var sb = new StringBuilder();
        void Line(string key, object value) => sb.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append('\n');
        static long Unix(DateTimeOffset t) => t.ToUnixTimeSeconds();
        foreach (var reason in DropCounters.Reasons)
        {
            if (wgInterface.Drops[reason] is var n and > 0)
            {
                Line("drop_" + DropCounters.Name(reason), n);
            }
        }
        wgInterface.Offloads.Format(Line);
        Line("handshake_queued", wgInterface.HandshakesQueued);
        Line("handshake_under_load", wgInterface.UnderLoad ? 1 : 0);
        Line("handshake_cookie_replies_sent", wgInterface.CookieRepliesSent);
        foreach (var peer in wgInterface.GetPeers())
        {
            Line("public_key", Convert.ToHexStringLower(peer.PublicKey));
            Line("state", PeerHealth.Name(peer.State));
            if (peer.HandshakingSince is { } since)
            {
                Line("handshaking_since", Unix(since));
            }
            Line("rx_packets", peer.ReceivePackets);
            Line("tx_packets", peer.TransmitPackets);
            Line("handshakes_sent", peer.HandshakesSent);
            Line("handshakes_received", peer.HandshakesReceived);
            Line("handshakes_failed", peer.HandshakesFailed);
            if (peer.LastError is { } error)
            {
                Line("last_error", DropCounters.Name(error));
                Line("last_error_time", Unix(peer.LastErrorAt!.Value));
            }
            if (peer.LastReceived is { } received)
            {
                Line("last_received", Unix(received));
            }
            Line("transport", peer.Transport);
            Line("path_mtu", peer.PathMtu);
            Line("endpoint_changes", peer.EndpointChanges);
            foreach (var c in peer.EndpointHistory)
            {
                Line("endpoint_change", $"{Unix(c.At)},{c.Cause},{(c.From.IsSet ? c.From.ToString() : "(none)")},{c.To}");
            }
            foreach (var (reason, n) in peer.Drops)
            {
                Line("drop_" + DropCounters.Name(reason), n);
            }
        }
        return sb.Append(UapiCodec.FormatStatus(0)).ToString();
    }
}

using System.Diagnostics.Metrics;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// System.Diagnostics.Metrics instruments over running interfaces, all observable: the data path only
/// keeps its atomic counters, and the values are read when a collector asks (a Prometheus scrape), from
/// one snapshot per interface per collection. Names follow OpenTelemetry, which the Prometheus exporter
/// (and our MetricsServer, which names them the same way) turn into Prometheus conventions (unit suffix, <c>_total</c> for counters):
/// <list type="bullet">
/// <item><c>sharptun.wireguard.peer.received</c>/<c>sent</c> (By) → <c>sharptun_wireguard_peer_received_bytes_total{interface,public_key}</c></item>
/// <item><c>sharptun.wireguard.peer.received_packets</c>/<c>sent_packets</c> → <c>sharptun_wireguard_peer_received_packets_total</c></item>
/// <item><c>sharptun.wireguard.peer.drops</c> → <c>sharptun_wireguard_peer_drops_total{…,reason}</c></item>
/// <item><c>sharptun.wireguard.peer.handshakes</c> → <c>sharptun_wireguard_peer_handshakes_total{…,result=sent|received|failed}</c></item>
/// <item><c>sharptun.wireguard.peer.latest_handshake</c> (s, Unix time, 0 = never) → <c>sharptun_wireguard_peer_latest_handshake_seconds</c></item>
/// <item><c>sharptun.wireguard.peer.state</c> → <c>sharptun_wireguard_peer_state{…,state}</c>: 1 for the current state, 0 for the others</item>
/// <item>per interface: <c>sharptun_wireguard_received_bytes_total</c>, <c>…sent_bytes_total</c>, <c>…received_packets_total</c>,
/// <c>…sent_packets_total</c>, <c>sharptun_wireguard_drops_total{interface,reason}</c> (including drops of no peer), <c>sharptun_wireguard_peers</c></item>
/// <item>prometheus_wireguard_exporter's: <c>wireguard_sent_bytes_total</c>, <c>wireguard_received_bytes_total</c>,
/// <c>wireguard_latest_handshake_seconds</c> <c>{interface,public_key,allowed_ips}</c></item>
/// </list>
/// </summary>
public sealed class WireGuardMetrics : IDisposable
{
    /// <summary>The meter name the exporter listens to.</summary>
    public const string DefaultMeterName = "SharpTun.WireGuard";

    private static readonly PeerHealthState[] s_states = Enum.GetValues<PeerHealthState>();
    private readonly Meter _meter;
    private readonly Lock _gate = new();
    private readonly List<WireGuardInterface> _interfaces = [];
    private (long Stamp, List<(WireGuardInterface Interface, IReadOnlyList<PeerStatus> Peers)> Data)? _snapshot;

    /// <summary>Instruments on a meter named <paramref name="meterName"/> (tests use their own name).</summary>
    public WireGuardMetrics(string meterName = DefaultMeterName)
    {
        MeterName = meterName;
        _meter = new Meter(meterName);
        PeerCounter("peer.received", "By", "Bytes of authenticated UDP payload received from the peer", p => p.ReceiveBytes);
        PeerCounter("peer.sent", "By", "Bytes of UDP payload sent to the peer", p => p.TransmitBytes);
        PeerCounter("peer.received_packets", "{packet}", "Inner packets received from the peer (keepalives not counted)", p => p.ReceivePackets);
        PeerCounter("peer.sent_packets", "{packet}", "Inner packets sent to the peer (keepalives not counted)", p => p.TransmitPackets);
        _meter.CreateObservableCounter("sharptun.wireguard.peer.drops", () => Peers<long>((i, p, key, list) =>
        {
            foreach (var (reason, n) in p.Drops)
            {
                list.Add(new Measurement<long>(n, new("interface", i.Name), new("public_key", key), new("reason", DropCounters.Name(reason))));
            }
        }), "{packet}", "Packets and datagrams dropped, attributed to the peer, by reason");
        _meter.CreateObservableCounter("sharptun.wireguard.peer.handshakes", () => Peers<long>((i, p, key, list) =>
        {
            list.Add(new Measurement<long>(p.HandshakesSent, new("interface", i.Name), new("public_key", key), new("result", "sent")));
            list.Add(new Measurement<long>(p.HandshakesReceived, new("interface", i.Name), new("public_key", key), new("result", "received")));
            list.Add(new Measurement<long>(p.HandshakesFailed, new("interface", i.Name), new("public_key", key), new("result", "failed")));
        }), "{handshake}", "Handshake initiations sent, authenticated handshake messages received, attempts given up");
        _meter.CreateObservableGauge("sharptun.wireguard.peer.latest_handshake", () => Peers<long>((i, p, key, list) =>
            list.Add(new Measurement<long>(p.LatestHandshake?.ToUnixTimeSeconds() ?? 0, new("interface", i.Name), new("public_key", key)))),
            "s", "Unix time of the latest completed handshake (0 = never)");
        _meter.CreateObservableGauge("sharptun.wireguard.peer.state", () => Peers<int>((i, p, key, list) =>
        {
            foreach (var s in s_states)
            {
                list.Add(new Measurement<int>(p.State == s ? 1 : 0, new("interface", i.Name), new("public_key", key), new("state", PeerHealth.Name(s))));
            }
        }), description: "1 for the peer's current health state (never, handshaking, up, stale), 0 for the others");
        InterfaceCounter("received", "By", "Bytes received from all peers", p => p.ReceiveBytes);
        InterfaceCounter("sent", "By", "Bytes sent to all peers", p => p.TransmitBytes);
        InterfaceCounter("received_packets", "{packet}", "Inner packets received from all peers", p => p.ReceivePackets);
        InterfaceCounter("sent_packets", "{packet}", "Inner packets sent to all peers", p => p.TransmitPackets);
        _meter.CreateObservableCounter("sharptun.wireguard.drops", () =>
        {
            var list = new List<Measurement<long>>();
            foreach (var (i, _) in Snapshot())
            {
                foreach (var reason in DropCounters.Reasons)
                {
                    list.Add(new Measurement<long>(i.Drops[reason], new("interface", i.Name), new("reason", DropCounters.Name(reason))));
                }
            }
            return list;
        }, "{packet}", "Packets and datagrams dropped by the interface, by reason (including those of no peer)");
        _meter.CreateObservableCounter("sharptun.wireguard.cookie_replies", () => Snapshot().Select(s => new Measurement<long>(s.Interface.CookieRepliesSent, new KeyValuePair<string, object?>("interface", s.Interface.Name))),
            "{packet}", "Cookie replies sent: handshakes answered with a cookie while the interface was under load");
        _meter.CreateObservableGauge("sharptun.wireguard.under_load", () => Snapshot().Select(s => new Measurement<int>(s.Interface.UnderLoad ? 1 : 0, new KeyValuePair<string, object?>("interface", s.Interface.Name))),
            description: "1 while the handshake queue is loaded (more than 1/8 full, or was within the last second): cookies are demanded");
        _meter.CreateObservableGauge("sharptun.wireguard.peers", () => Snapshot().Select(s => new Measurement<int>(s.Peers.Count, new KeyValuePair<string, object?>("interface", s.Interface.Name))),
            description: "Configured peers");

        // prometheus_wireguard_exporter's series (its names, labels and HELP text), so dashboards made for it work
        // unchanged: the values are what 'wg show IF dump' prints (allowed_ips as its comma-joined column, "(none)" when empty).
        _meter.CreateObservableCounter("wireguard.sent", () => Peers<long>((i, p, key, list) =>
            list.Add(new Measurement<long>(p.TransmitBytes, ExporterLabels(i, p, key)))), "By", "Bytes sent to the peer");
        _meter.CreateObservableCounter("wireguard.received", () => Peers<long>((i, p, key, list) =>
            list.Add(new Measurement<long>(p.ReceiveBytes, ExporterLabels(i, p, key)))), "By", "Bytes received from the peer");
        // The exporter's HELP says "Seconds from", but its value is the Unix time of the handshake (0 = never), as here.
        _meter.CreateObservableGauge("wireguard.latest_handshake", () => Peers<long>((i, p, key, list) =>
            list.Add(new Measurement<long>(p.LatestHandshake?.ToUnixTimeSeconds() ?? 0, ExporterLabels(i, p, key)))), "s", "Seconds from the last handshake");
    }

    /// <summary>The exporter's labels: interface, public_key, allowed_ips (as the dump column: "a/n,b/m", or "(none)").</summary>
    private static KeyValuePair<string, object?>[] ExporterLabels(WireGuardInterface i, PeerStatus p, string key) =>
    [
        new("interface", i.Name),
        new("public_key", key),
        new("allowed_ips", p.AllowedIps.Count == 0 ? "(none)" : string.Join(',', p.AllowedIps.Select(a => $"{a.Address}/{a.PrefixLength}"))),
    ];

    /// <summary>The meter's name.</summary>
    public string MeterName { get; }

    /// <summary>Reports <paramref name="wgInterface"/> from now on.</summary>
    public void Add(WireGuardInterface wgInterface)
    {
        ArgumentNullException.ThrowIfNull(wgInterface);
        lock (_gate)
        {
            _interfaces.Add(wgInterface);
            _snapshot = null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private void PeerCounter(string name, string unit, string description, Func<PeerStatus, long> value) =>
        _meter.CreateObservableCounter("sharptun.wireguard." + name, () => Peers<long>((i, p, key, list) =>
            list.Add(new Measurement<long>(value(p), new("interface", i.Name), new("public_key", key)))), unit, description);

    private void InterfaceCounter(string name, string unit, string description, Func<PeerStatus, long> value) =>
        _meter.CreateObservableCounter("sharptun.wireguard." + name, () =>
            Snapshot().Select(s => new Measurement<long>(s.Peers.Sum(value), new KeyValuePair<string, object?>("interface", s.Interface.Name))), unit, description);

    private List<Measurement<T>> Peers<T>(Action<WireGuardInterface, PeerStatus, string, List<Measurement<T>>> add) where T : struct
    {
        var list = new List<Measurement<T>>();
        foreach (var (i, peers) in Snapshot())
        {
            foreach (var p in peers)
            {
                add(i, p, Convert.ToBase64String(p.PublicKey), list);
            }
        }
        return list;
    }

    /// <summary>One snapshot serves every instrument of a collection (they are read one after another within milliseconds).</summary>
    private List<(WireGuardInterface Interface, IReadOnlyList<PeerStatus> Peers)> Snapshot()
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_snapshot is { } s && now - s.Stamp < 100)
            {
                return s.Data;
            }
            var data = _interfaces.Where(i => !i.Completion.IsCompleted).Select(i => (i, i.GetPeers())).ToList();
            _snapshot = (now, data);
            return data;
        }
    }
}

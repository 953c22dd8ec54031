namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>A display snapshot of every peer (configuration, counters, health), in the order they were added.</summary>
    public IReadOnlyList<PeerStatus> GetPeers()
    {
        lock (_gate)
        {
            var list = new List<PeerStatus>();
            foreach (var peer in _device.Peers)
            {
                list.Add(StatusLocked(peer, State(peer)));
            }
            return list;
        }
    }

    /// <summary>
    /// A display snapshot of the peers that sent or received anything, completed a handshake or dropped something, in
    /// the order they were added: with 100,000 configured peers, mostly idle, this costs a status record for the few
    /// active ones only (the others are counted by <see cref="PeerCount"/>).
    /// </summary>
    public IReadOnlyList<PeerStatus> GetActivePeers()
    {
        lock (_gate)
        {
            var list = new List<PeerStatus>();
            foreach (var peer in _device.Peers)
            {
                var state = State(peer);
                if (peer.TransmitBytes != 0 || peer.ReceiveBytes != 0 || peer.LastHandshake is not null || state.Drops.Total != 0)
                {
                    list.Add(StatusLocked(peer, state));
                }
            }
            return list;
        }
    }

    /// <summary>How many peers the interface has.</summary>
    public int PeerCount => _device.PeerCount;

    /// <summary>
    /// The peers whose state changed since the last call (the core's changed queue: handshakes, data, drops,
    /// timer actions, configuration), as snapshots, and the keys of the peers removed meanwhile. Costs
    /// O(changed peers), not O(peers): what the log watcher reads instead of comparing every peer.
    /// </summary>
    internal (List<PeerStatus> Changed, List<byte[]> Removed) TakeChanges()
    {
        var changed = new List<PeerStatus>();
        var removed = new List<byte[]>();
        lock (_gate)
        {
            while (_device.TryTakeChanged(out var peer))
            {
                if (_states.TryGetValue(peer, out var state) && ReferenceEquals(state.Peer, peer))
                {
                    changed.Add(StatusLocked(peer, state));
                }
                else if (_device.FindPeer(peer.PublicKey.Span) is null)
                {
                    removed.Add(peer.PublicKey.ToArray());
                }
            }
        }
        return (changed, removed);
    }

    private PeerStatus StatusLocked(WireGuardPeer peer, PeerState state)
    {
        var drops = new Dictionary<DropReason, long>();
        foreach (var reason in DropCounters.Reasons)
        {
            if (state.Drops[reason] is var n and > 0)
            {
                drops[reason] = n;
            }
        }
        var timers = _device.GetTimers(peer);
        var latest = peer.LastHandshake;
        var (health, since) = PeerHealth.Classify(latest, timers);
        return new PeerStatus
        {
            PublicKey = peer.PublicKey.ToArray(),
            PresharedKey = state.PresharedKey.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? null : (byte[])state.PresharedKey.Clone(),
            Endpoint = peer.Endpoint.IsSet ? peer.Endpoint.ToIPEndPoint() : null,
            LatestHandshake = latest,
            ReceiveBytes = peer.ReceiveBytes,
            TransmitBytes = peer.TransmitBytes,
            PersistentKeepalive = peer.PersistentKeepalive,
            AllowedIps = _device.AllowedIps.PrefixesOf(peer),
            Drops = drops,
            State = health,
            HandshakingSince = since,
            ReceivePackets = peer.ReceivePackets,
            TransmitPackets = peer.TransmitPackets,
            HandshakesSent = peer.HandshakeInitiationsSent,
            HandshakesReceived = peer.HandshakeInitiationsReceived + peer.HandshakeResponsesReceived,
            HandshakeResponsesReceived = peer.HandshakeResponsesReceived,
            HandshakesFailed = peer.HandshakeAttemptsFailed,
            LastError = state.Drops.LastReason,
            LastErrorAt = state.Drops.LastAt,
            LastReceived = timers.LastReceived,
            Transport = state.Transport == DatagramTransport.Tcp ? "tcp" : "udp",
            PathMtu = state.PathMtu,
            EndpointHistory = state.History(),
            EndpointChanges = state.EndpointChanges,
        };
    }

    /// <summary>
    /// A handshake attempt was given up (the core's ConnectionExpired): the packets it had queued are
    /// counted as expired, one by one, from the core's own count of them; under the lock.
    /// </summary>
    private void HandshakeGaveUp(PeerState state)
    {
        var total = state.Peer.Drops(WireGuardError.ConnectionExpired);
        var dropped = total - state.ExpiredQueuedSeen;
        state.ExpiredQueuedSeen = total;
        Count(DropReason.Expired, state, dropped);
        HostLogEvents.HandshakeGaveUp(_log, Name, state.Peer, dropped);
    }
}

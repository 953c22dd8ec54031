namespace SharpTun.WireGuard.Host;

/// <summary>
/// What the host keeps per peer beside the protocol core's <see cref="WireGuardPeer"/>: the endpoint
/// with the local address the peer last reached us on (replies leave from it), the preshared key
/// (to rebuild the peer when the private key changes), the drop counters, the transport in use and
/// the history of endpoint changes (roams).
/// </summary>
internal sealed class PeerState
{
    /// <summary>How many endpoint changes the history keeps (the oldest go first; <see cref="EndpointChanges"/> counts all).</summary>
    internal const int HistoryLength = 16;

    /// <summary>The preshared key of every peer without one: shared, all zero, never written but zeroed (a no-op).</summary>
    internal static readonly byte[] NoPresharedKey = new byte[WireGuardKeys.KeySize];

    // Read by peers that never dropped anything; never counted into.
    private static readonly DropCounters s_noDrops = new();
    // The endpoint of every peer that has none yet (most of 100,000 configured peers until they roam in).
    private static readonly EndpointBox s_noEndpoint = new(default);

    private readonly Queue<EndpointChange> _history = new();
    private readonly TimeProvider _time;
    private EndpointBox _endpoint;
    private DropCounters? _drops;
    private long _endpointChanges;

    internal PeerState(WireGuardPeer peer, byte[]? presharedKey = null, TimeProvider? time = null)
    {
        Peer = peer;
        PresharedKey = presharedKey ?? NoPresharedKey;
        _time = time ?? TimeProvider.System;
        _endpoint = peer.Endpoint.IsSet ? new EndpointBox(new DatagramEndpoint(peer.Endpoint)) : s_noEndpoint;
    }

    internal WireGuardPeer Peer { get; set; }

    /// <summary>When the timers look at this peer next (host timestamp), or long.MinValue when nothing is armed; timer thread only.</summary>
    internal long TimerAt { get; set; } = long.MinValue;

    /// <summary>32 bytes, or all zero for none (as UAPI reports it).</summary>
    internal byte[] PresharedKey { get; set; }

    /// <summary>
    /// Where to send, with a source-address hint; its remote follows <see cref="WireGuardPeer.Endpoint"/>.
    /// Read by the outbound stages while the inbound writer sets it (on every authenticated packet): kept in an immutable
    /// box so no reader sees half of an update, and replaced (one small allocation) only when it really
    /// changes. A new remote is recorded as a roam ("learned" when there was none; "tcp"/"udp" when the
    /// transport switched), once: by the setter whose swap won.
    /// </summary>
    internal DatagramEndpoint Endpoint
    {
        get => Volatile.Read(ref _endpoint).Value;
        set => Replace(value, null);
    }

    /// <summary>This peer's drop counters (all zero, shared, until the first drop: <see cref="CountDrop"/> makes its own).</summary>
    internal DropCounters Drops => Volatile.Read(ref _drops) ?? s_noDrops;

    /// <summary>Counts a drop (any thread).</summary>
    internal void CountDrop(DropReason reason, long count)
    {
        if (Volatile.Read(ref _drops) is null)
        {
            Interlocked.CompareExchange(ref _drops, new DropCounters(_time), null);
        }
        _drops!.Add(reason, count);
    }

    /// <summary>The core's count of queued packets dropped by expired handshake attempts, as far as already counted here.</summary>
    internal long ExpiredQueuedSeen { get; set; }

    /// <summary>Every endpoint change since the peer was added (the history keeps the last <see cref="HistoryLength"/>).</summary>
    internal long EndpointChanges => Volatile.Read(ref _endpointChanges);

    /// <summary>Sets the endpoint for <paramref name="cause"/> ("set" by configuration, "resolve", ...), recording a change.</summary>
    internal void SetEndpoint(in NetEndpoint remote, string cause) => Replace(new DatagramEndpoint(remote), cause);

    /// <summary>Sets the endpoint (with its transport) for <paramref name="cause"/>, recording a change.</summary>
    internal void SetEndpoint(in DatagramEndpoint endpoint, string cause) => Replace(endpoint, cause);

    /// <summary>The recorded changes, oldest first (a copy).</summary>
    internal EndpointChange[] History()
    {
        lock (_history)
        {
            return [.. _history];
        }
    }

    /// <summary>Held while one thread sends this peer's queued packets, so two drainers never reorder them.</summary>
    internal Lock DrainLock { get; } = new();

    /// <summary>
    /// 1 while an outbound batch has this peer noted for draining after it is sent: set by the tun reader
    /// (after it queued a packet), cleared by the batch's releaser (before it drains); both with a full fence,
    /// so a packet queued while a drain is noted is either seen by that drain or noted again.
    /// </summary>
    internal int DrainNoted;

    /// <summary>The transport replies and timers use now: UDP, or TCP (SharpTun's encrypted fallback); follows <see cref="Endpoint"/>.</summary>
    internal DatagramTransport Transport => Endpoint.Transport;

    /// <summary>The path MTU to the endpoint as the kernel knows it (IP_MTU, after ICMP and probes); 0 = not known yet.</summary>
    internal int PathMtu { get; set; }

    /// <summary>The destination for the core's chosen endpoint: ours (with the local hint) when the remote matches.</summary>
    internal DatagramEndpoint Destination(in NetEndpoint remote)
    {
        var known = Endpoint;
        return known.Remote == remote ? known : new DatagramEndpoint(remote);
    }

    private void Replace(DatagramEndpoint value, string? cause)
    {
        while (true)
        {
            var box = Volatile.Read(ref _endpoint);
            var current = box.Value;
            if (current.Remote == value.Remote && current.Transport == value.Transport && current.Local == value.Local && current.InterfaceIndex == value.InterfaceIndex)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _endpoint, new EndpointBox(value), box) != box)
            {
                continue; // another pump changed it meanwhile: judge against that
            }
            if (current.Remote != value.Remote || current.Transport != value.Transport)
            {
                Record(current.Remote, value.Remote, cause
                    ?? (current.Transport != value.Transport ? (value.Transport == DatagramTransport.Tcp ? "tcp" : "udp")
                        : current.Remote.IsSet ? "roam" : "learned"));
            }
            return;
        }
    }

    private void Record(in NetEndpoint from, in NetEndpoint to, string cause)
    {
        lock (_history)
        {
            if (_history.Count == HistoryLength)
            {
                _history.Dequeue();
            }
            _history.Enqueue(new EndpointChange(_time.GetUtcNow(), from, to, cause));
        }
        Interlocked.Increment(ref _endpointChanges);
    }

    private sealed record EndpointBox(DatagramEndpoint Value);
}

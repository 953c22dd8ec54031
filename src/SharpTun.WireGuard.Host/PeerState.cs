namespace SharpTun.WireGuard.Host;

/// <summary>
/// What the host keeps per peer beside the protocol core's <see cref="WireGuardPeer"/>: the preshared key
/// (to rebuild the peer when the private key changes), the drop counters and the history of endpoint
/// changes (roams). The endpoint itself (remote, local-address hint, transport) has one owner, the core's
/// <see cref="WireGuardPeer.Destination"/>; this class only reads it and records what the core reports
/// changing (<see cref="Record"/>, from <see cref="WireGuardDevice.EndpointChanged"/>).
/// </summary>
internal sealed class PeerState
{
    /// <summary>How many endpoint changes the history keeps (the oldest go first; <see cref="EndpointChanges"/> counts all).</summary>
    internal const int HistoryLength = 16;

    /// <summary>The preshared key of every peer without one: shared, all zero, never written but zeroed (a no-op).</summary>
    internal static readonly byte[] NoPresharedKey = new byte[WireGuardKeys.KeySize];

    // Read by peers that never dropped anything; never counted into.
    private static readonly DropCounters s_noDrops = new();

    private readonly Queue<EndpointChange> _history = new();
    private readonly TimeProvider _time;
    private DropCounters? _drops;
    private long _endpointChanges;

    internal PeerState(WireGuardPeer peer, byte[]? presharedKey = null, TimeProvider? time = null)
    {
        Peer = peer;
        PresharedKey = presharedKey ?? NoPresharedKey;
        _time = time ?? TimeProvider.System;
    }

    internal WireGuardPeer Peer { get; set; }

    /// <summary>When the timers look at this peer next (host timestamp), or long.MinValue when nothing is armed; timer thread only.</summary>
    internal long TimerAt { get; set; } = long.MinValue;

    /// <summary>32 bytes, or all zero for none (as UAPI reports it).</summary>
    internal byte[] PresharedKey { get; set; }

    /// <summary>Where to send, with the local-address hint and transport: the core's <see cref="WireGuardPeer.Destination"/> (lock-free, whole).</summary>
    internal DatagramEndpoint Endpoint => Peer.Destination;

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

    /// <summary>Sets the endpoint (with its transport) for <paramref name="cause"/> ("set", "resolve", ...); the core reports the change back.</summary>
    internal void SetEndpoint(in DatagramEndpoint endpoint, string? cause) => Peer.SetEndpoint(endpoint, cause);

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

    /// <summary>
    /// Records one change the core reported (<see cref="WireGuardDevice.EndpointChanged"/>: under the peer's lock, in
    /// order): the history keeps the last <see cref="HistoryLength"/>, <see cref="EndpointChanges"/> counts all.
    /// </summary>
    internal void Record(in NetEndpoint from, in NetEndpoint to, string cause)
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
}

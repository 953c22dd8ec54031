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

    private readonly Queue<EndpointChange> _history = new();
    private readonly TimeProvider _time;
    private DatagramEndpoint _endpoint;
    private long _endpointChanges;

    internal PeerState(WireGuardPeer peer, byte[] presharedKey, TimeProvider? time = null)
    {
        Peer = peer;
        PresharedKey = presharedKey;
        _time = time ?? TimeProvider.System;
        _endpoint = new DatagramEndpoint(peer.Endpoint);
        Drops = new DropCounters(_time);
    }

    internal WireGuardPeer Peer { get; set; }

    /// <summary>32 bytes, or all zero for none (as UAPI reports it).</summary>
    internal byte[] PresharedKey { get; set; }

    /// <summary>
    /// Where to send, with a source-address hint; its remote follows <see cref="WireGuardPeer.Endpoint"/>.
    /// Set by the receive path on every authenticated packet (under the interface lock): a new remote is
    /// recorded as a roam (or "learned" when there was none). Allocates only when the remote changes.
    /// </summary>
    internal DatagramEndpoint Endpoint
    {
        get => _endpoint;
        set
        {
            if (value.Remote != _endpoint.Remote)
            {
                Record(_endpoint.Remote, value.Remote, _endpoint.Remote.IsSet ? "roam" : "learned");
            }
            _endpoint = value;
        }
    }

    /// <summary>The transport the peer is reached over now: "udp" (the default) or what a fallback sets ("tcp").</summary>
    internal string Transport { get; set; } = "udp";

    internal DropCounters Drops { get; }

    /// <summary>The core's count of queued packets dropped by expired handshake attempts, as far as already counted here.</summary>
    internal long ExpiredQueuedSeen { get; set; }

    /// <summary>Every endpoint change since the peer was added (the history keeps the last <see cref="HistoryLength"/>).</summary>
    internal long EndpointChanges => Volatile.Read(ref _endpointChanges);

    /// <summary>Sets the endpoint for <paramref name="cause"/> ("set" by configuration, "resolve", ...), recording a change.</summary>
    internal void SetEndpoint(in NetEndpoint remote, string cause)
    {
        if (remote != _endpoint.Remote)
        {
            Record(_endpoint.Remote, remote, cause);
        }
        _endpoint = new DatagramEndpoint(remote);
    }

    /// <summary>The recorded changes, oldest first (a copy).</summary>
    internal EndpointChange[] History()
    {
        lock (_history)
        {
            return [.. _history];
        }
    }

    /// <summary>The destination for the core's chosen endpoint: ours (with the local hint) when the remote matches.</summary>
    internal DatagramEndpoint Destination(in NetEndpoint remote) =>
        _endpoint.Remote == remote ? _endpoint : new DatagramEndpoint(remote);

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
}

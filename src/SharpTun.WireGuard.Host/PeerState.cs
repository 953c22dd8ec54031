namespace SharpTun.WireGuard.Host;

/// <summary>
/// What the host keeps per peer beside the protocol core's <see cref="WireGuardPeer"/>: the endpoint
/// with the local address the peer last reached us on (replies leave from it), the preshared key
/// (to rebuild the peer when the private key changes) and the drop counters.
/// </summary>
internal sealed class PeerState
{
    internal PeerState(WireGuardPeer peer, byte[] presharedKey)
    {
        Peer = peer;
        PresharedKey = presharedKey;
        Endpoint = new DatagramEndpoint(peer.Endpoint);
    }

    internal WireGuardPeer Peer { get; set; }

    /// <summary>32 bytes, or all zero for none (as UAPI reports it).</summary>
    internal byte[] PresharedKey { get; set; }

    /// <summary>
    /// Where to send, with a source-address hint; its remote follows <see cref="WireGuardPeer.Endpoint"/>.
    /// Read by the tun pump while the net pump sets it: kept in an immutable box so no reader sees half
    /// of an update, and replaced (one small allocation) only when it really changes.
    /// </summary>
    internal DatagramEndpoint Endpoint
    {
        get => Volatile.Read(ref _endpoint).Value;
        set
        {
            var current = Volatile.Read(ref _endpoint).Value;
            if (current.Remote != value.Remote || current.Local != value.Local || current.InterfaceIndex != value.InterfaceIndex)
            {
                Volatile.Write(ref _endpoint, new EndpointBox(value));
            }
        }
    }

    private EndpointBox _endpoint = new(default);

    internal DropCounters Drops { get; } = new();

    /// <summary>Held while one thread sends this peer's queued packets, so two drainers never reorder them.</summary>
    internal Lock DrainLock { get; } = new();

    /// <summary>The tun pump noted this peer for draining after its batch (tun pump thread only).</summary>
    internal bool DrainWanted { get; set; }

    /// <summary>The destination for the core's chosen endpoint: ours (with the local hint) when the remote matches.</summary>
    internal DatagramEndpoint Destination(in NetEndpoint remote)
    {
        var known = Endpoint;
        return known.Remote == remote ? known : new DatagramEndpoint(remote);
    }

    private sealed record EndpointBox(DatagramEndpoint Value);
}

using System.Net;
using System.Security.Cryptography;

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>Our public key.</summary>
    public byte[] PublicKey
    {
        get
        {
            lock (_gate)
            {
                return _device.PublicKey.ToArray();
            }
        }
    }

    /// <summary>
    /// A peer's settings as one change (UAPI <c>public_key=</c> section semantics): creates the peer when
    /// it does not exist, then sets what is not null. Takes the lock.
    /// </summary>
    public void SetPeer(byte[] publicKey, byte[]? presharedKey = null, NetEndpoint? endpoint = null, TimeSpan? persistentKeepalive = null,
        bool replaceAllowedIps = false, IEnumerable<IPNetwork>? allowedIps = null)
    {
        lock (_gate)
        {
            var state = GetOrAddPeerLocked(publicKey);
            if (state is null)
            {
                return;
            }
            UpdatePeerLocked(state, presharedKey, endpoint, persistentKeepalive, replaceAllowedIps, allowedIps);
        }
    }

    /// <summary>Removes a peer (its sessions, allowed IPs and counters); false when there is none with that key.</summary>
    public bool RemovePeer(byte[] publicKey)
    {
        lock (_gate)
        {
            return RemovePeerLocked(publicKey);
        }
    }

    /// <summary>The peer with this key (creating it when new), or null for our own public key (ignored, as wireguard-go does).</summary>
    internal PeerState? GetOrAddPeerLocked(byte[] publicKey, bool create = true)
    {
        if (publicKey.AsSpan().SequenceEqual(_device.PublicKey.Span))
        {
            return null;
        }
        var peer = _device.FindPeer(publicKey);
        if (peer is not null)
        {
            return State(peer);
        }
        if (!create)
        {
            return null;
        }
        peer = _device.AddPeer(publicKey);
        var state = new PeerState(peer, time: _time);
        _states[peer] = state;
        _log.Info(Name, $"peer {peer} added");
        return state;
    }

    internal void UpdatePeerLocked(PeerState state, byte[]? presharedKey, NetEndpoint? endpoint, TimeSpan? persistentKeepalive,
        bool replaceAllowedIps, IEnumerable<IPNetwork>? allowedIps)
    {
        var peer = state.Peer;
        if (presharedKey is not null && !presharedKey.AsSpan().SequenceEqual(state.PresharedKey))
        {
            SetPresharedKeyLocked(state, presharedKey);
        }
        if (endpoint is { } ep)
        {
            state.SetEndpoint(new DatagramEndpoint(ep), EndpointCause.Set);
        }
        if (persistentKeepalive is { } keepalive)
        {
            peer.PersistentKeepalive = keepalive;
        }
        if (replaceAllowedIps)
        {
            _device.AllowedIps.RemoveAll(peer);
        }
        if (allowedIps is not null)
        {
            foreach (var prefix in allowedIps)
            {
                _device.AllowedIps.Insert(prefix.BaseAddress, prefix.PrefixLength, peer);
            }
        }
    }

    internal bool RemovePeerLocked(byte[] publicKey)
    {
        var peer = _device.FindPeer(publicKey);
        if (peer is null)
        {
            return false;
        }
        using (_pumpGate.Exclusive())
        {
            // No pump holds the peer mid-batch (it would track it again after the removal).
            _device.RemovePeer(peer);
            _states.TryRemove(peer, out _);
        }
        _transports.Remove(peer);
        _log.Info(Name, $"peer {peer} removed");
        return true;
    }

    internal void RemoveAllPeersLocked()
    {
        foreach (var peer in _device.Peers.ToArray())
        {
            RemovePeerLocked(peer.PublicKey.ToArray());
        }
    }

    /// <summary>
    /// Replaces the private key: a new protocol core with the same peers (keys, preshared keys,
    /// endpoints, keepalives, allowed IPs); every session ends, as in wireguard-go. Same key: no change.
    /// All zeros removes the key (the core then neither sends nor answers handshakes) and keeps the peers.
    /// </summary>
    internal void SetPrivateKeyLocked(byte[] privateKey)
    {
        var hasKey = privateKey.AsSpan().ContainsAnyExcept((byte)0);
        var current = WireGuardKeys.PublicKey(privateKey);
        if (hasKey == _device.HasPrivateKey && current.AsSpan().SequenceEqual(_device.PublicKey.Span))
        {
            return;
        }
        var fresh = new WireGuardDevice(privateKey, _time) { MaxQueuedPerPeer = _device.MaxQueuedPerPeer };
        RecordEndpointChanges(fresh);
        WireGuardDevice old;
        // No pump is inside a batch while the peers move to the new core.
        using (_pumpGate.Exclusive())
        {
            old = _device;
            var states = _states.Values.ToArray();
            _states.Clear();
            foreach (var oldPeer in old.Peers)
            {
                var state = states.First(s => ReferenceEquals(s.Peer, oldPeer));
                if (hasKey && oldPeer.PublicKey.Span.SequenceEqual(current))
                {
                    continue; // a peer with our new own key is dropped, as wireguard-go does
                }
                var peer = fresh.AddPeer(oldPeer.PublicKey.Span, PskOrEmpty(state.PresharedKey));
                peer.SetEndpoint(oldPeer.Destination); // not recorded: the state maps to the new peer only below
                peer.PersistentKeepalive = oldPeer.PersistentKeepalive;
                foreach (var (address, length) in old.AllowedIps.PrefixesOf(oldPeer))
                {
                    fresh.AllowedIps.Insert(address, length, peer);
                }
                state.Peer = peer;
                _states[peer] = state;
            }
            _device = fresh;
        }
        old.Dispose();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_privateKey);
        _privateKey = (byte[])privateKey.Clone();
        _log.Info(Name, hasKey ? "private key changed; sessions restart" : "private key removed; no handshakes until one is set");
    }

    private static ReadOnlySpan<byte> PskOrEmpty(byte[] psk) => psk.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? default : psk;
}

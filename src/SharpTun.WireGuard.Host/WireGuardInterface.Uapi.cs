namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>The state as a UAPI <c>get=1</c> model (private key, actual listen port, fwmark, peers with counters).</summary>
    public UapiDevice Snapshot()
    {
        lock (_gate)
        {
            var device = new UapiDevice
            {
                PrivateKey = (byte[])_privateKey.Clone(),
                ListenPort = _bind.LocalPort,
                FwMark = FwMark,
            };
            foreach (var peer in _device.Peers)
            {
                var state = State(peer);
                var p = new UapiPeer(peer.PublicKey.ToArray())
                {
                    PresharedKey = state.PresharedKey.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? null : (byte[])state.PresharedKey.Clone(),
                    Endpoint = peer.Endpoint,
                    LastHandshake = peer.LastHandshake,
                    TransmitBytes = peer.TransmitBytes,
                    ReceiveBytes = peer.ReceiveBytes,
                    PersistentKeepaliveInterval = (ushort)Math.Min(ushort.MaxValue, peer.PersistentKeepalive.TotalSeconds),
                };
                foreach (var (address, length) in _device.AllowedIps.PrefixesOf(peer))
                {
                    p.AllowedIps.Add(new System.Net.IPNetwork(address, length));
                }
                device.Peers.Add(p);
            }
            return device;
        }
    }

    /// <summary>
    /// Applies a parsed <c>set=1</c> request atomically with respect to the data plane (under the lock):
    /// listen port/fwmark first (the one step that can fail: then nothing changed, errno EADDRINUSE),
    /// then the private key (all zeros removes it, as <c>wg set IF private-key /dev/null</c> and a <c>wg setconf</c>
    /// without PrivateKey send: peers stay, handshakes stop), replace_peers, and the peer sections in order.
    /// </summary>
    public void Apply(UapiSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            var port = request.ListenPort ?? ListenPort;
            var mark = request.FwMark ?? FwMark;
            if (request.ListenPort is not null || request.FwMark is not null)
            {
                try
                {
                    RebindLocked(port, mark);
                }
                catch (Exception e) when (e is IOException or PacketIOException or System.Net.Sockets.SocketException)
                {
                    throw new UapiException(UapiErrno.PortInUse, $"UAPI set: listen_port {port}: {e.Message}; nothing changed", "listen_port");
                }
            }
            if (request.PrivateKey is { } newKey)
            {
                SetPrivateKeyLocked(newKey);
            }
            if (request.ReplacePeers)
            {
                RemoveAllPeersLocked();
            }
            foreach (var change in request.Peers)
            {
                if (change.Remove)
                {
                    RemovePeerLocked(change.PublicKey);
                    continue;
                }
                var state = GetOrAddPeerLocked(change.PublicKey, create: !change.UpdateOnly);
                if (state is null)
                {
                    continue;
                }
                UpdatePeerLocked(state, change.PresharedKey, change.Endpoint,
                    change.PersistentKeepaliveInterval is { } s ? TimeSpan.FromSeconds(s) : null,
                    change.ReplaceAllowedIps, change.AllowedIps);
            }
        }
    }
}

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>The state as a UAPI <c>get=1</c> model (private key, actual listen port, fwmark, peers with counters).</summary>
    public UapiDevice Snapshot()
    {
        lock (_gate)
        {
            var device = DeviceLocked();
            foreach (var peer in _device.Peers)
            {
                device.Peers.Add(UapiPeerLocked(peer));
            }
            return device;
        }
    }

    /// <summary>Peers formatted per turn of the interface lock while streaming <c>get=1</c>: a concurrent set waits for one chunk at most.</summary>
    internal const int GetChunkPeers = 256;

    /// <summary>Bytes the streaming <c>get=1</c> answer collects before it writes them to the connection.</summary>
    internal const int GetFlushBytes = 64 << 10;

    /// <summary>
    /// Writes the answer to <c>get=1</c> to <paramref name="output"/> as it is produced: the device lines, then the
    /// peers <see cref="GetChunkPeers"/> at a time, each chunk formatted under the interface lock and written outside it,
    /// through a buffer of about <see cref="GetFlushBytes"/>; then <c>errno=0</c>. The peers are those of the
    /// directory's snapshot when the walk starts (a peer removed meanwhile is left out; one added meanwhile is not
    /// listed), each one consistent in itself. Memory stays bounded whatever the peer count.
    /// </summary>
    internal void WriteGet(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sb = new System.Text.StringBuilder(GetFlushBytes + 4096);
        var bytes = new byte[System.Text.Encoding.UTF8.GetMaxByteCount(ChunkChars)];
        IReadOnlyList<WireGuardPeer> peers;
        lock (_gate)
        {
            UapiCodec.AppendGetDevice(sb, DeviceLocked());
            peers = _device.Peers;
        }
        for (var i = 0; i < peers.Count; i += GetChunkPeers)
        {
            var end = Math.Min(peers.Count, i + GetChunkPeers);
            lock (_gate)
            {
                for (var j = i; j < end; j++)
                {
                    // Removed under a later set (or rebuilt for a new private key: then its successor is in the directory).
                    var peer = peers[j];
                    var current = _states.ContainsKey(peer) ? peer : _device.FindPeer(peer.PublicKey.Span);
                    if (current is not null)
                    {
                        AppendGetPeerLocked(sb, current);
                    }
                }
            }
            if (sb.Length >= GetFlushBytes)
            {
                Flush(sb, bytes, output);
            }
        }
        sb.Append(UapiCodec.FormatStatus(0));
        Flush(sb, bytes, output);
    }

    private const int ChunkChars = 8192;

    private static void Flush(System.Text.StringBuilder sb, byte[] bytes, Stream output)
    {
        foreach (var memory in sb.GetChunks())
        {
            for (var span = memory.Span; !span.IsEmpty;)
            {
                var take = Math.Min(span.Length, ChunkChars);
                var n = System.Text.Encoding.UTF8.GetBytes(span[..take], bytes);
                output.Write(bytes, 0, n);
                span = span[take..];
            }
        }
        sb.Clear();
    }

    private UapiDevice DeviceLocked() => new()
    {
        PrivateKey = (byte[])_privateKey.Clone(),
        ListenPort = _bind.LocalPort,
        FwMark = FwMark,
    };

    /// <summary>One peer's lines, formatted from its state without copies (a chunk of them is formatted under the lock: microseconds each).</summary>
    private void AppendGetPeerLocked(System.Text.StringBuilder sb, WireGuardPeer peer)
    {
        var state = State(peer);
        UapiCodec.AppendGetPeer(sb, peer.PublicKey.Span, state.PresharedKey, peer.Endpoint, peer.LastHandshake, peer.TransmitBytes, peer.ReceiveBytes,
            (ushort)Math.Min(ushort.MaxValue, peer.PersistentKeepalive.TotalSeconds));
        foreach (var (address, length) in _device.AllowedIps.PrefixesOf(peer))
        {
            UapiCodec.AppendGetAllowedIp(sb, address, length);
        }
    }

    private UapiPeer UapiPeerLocked(WireGuardPeer peer)
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
        return p;
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
        if (request.Peers.Count >= CompactAfterPeers || request.ReplacePeers)
        {
            CompactSoon();
        }
    }
}

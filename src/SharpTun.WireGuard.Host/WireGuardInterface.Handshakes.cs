namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly byte[] _handshakeScratch = new byte[SlotSize];
    private readonly Memory<byte>[] _handshakeOne = new Memory<byte>[1];
    private readonly HandshakeStage _handshakes;
    private Thread? _handshakeThread;
    private long _cookieRepliesSent;

    /// <summary>The handshake queue between the receive thread and the handshake worker (see <see cref="HandshakeStage"/>).</summary>
    internal HandshakeStage Handshakes => _handshakes;

    /// <summary>Cookie replies sent (handshakes answered with "retry with this cookie" while under load).</summary>
    public long CookieRepliesSent => Interlocked.Read(ref _cookieRepliesSent);

    /// <summary>
    /// True while the handshake queue is more than 1/8 full, and for a second after: handshakes then need
    /// a cookie (mac2) and are rate-limited per source. Random datagrams and bad mac1 never cause it.
    /// </summary>
    public bool UnderLoad => Handshakes.UnderLoad;

    /// <summary>Handshake messages waiting for the handshake worker now.</summary>
    public int HandshakesQueued => Handshakes.Count;

    /// <summary>
    /// The receive path's share of a handshake message: mac1 (cheap), then into the queue. Returns at
    /// once; no Diffie-Hellman or cookie work runs here.
    /// </summary>
    private void AdmitHandshake(WireGuardDevice device, ReadOnlySpan<byte> message, in DatagramEndpoint source)
    {
        if (!device.CheckMac1(message))
        {
            Count(DropReason.BadMac1, null);
            return;
        }
        if (!Handshakes.TryEnqueue(message, source))
        {
            Count(DropReason.HandshakeQueueFull, null);
        }
    }

    /// <summary>The handshake worker's share: under-load state, the core's handshake processing, the reply and queued packets sent.</summary>
    private void ProcessHandshake(ReadOnlySpan<byte> message, in DatagramEndpoint source)
    {
        _pumpGate.EnterBatch();
        try
        {
            var device = _device;
            device.UnderLoad = Handshakes.UnderLoad;
            var bind = Volatile.Read(ref _bind);
            var r = device.Decapsulate(source.Remote, message, _handshakeScratch);
            PeerState? state = null;
            if (r.Peer is not null)
            {
                state = State(r.Peer);
                if (r.Peer.Endpoint == source.Remote)
                {
                    // Roamed (or confirmed) on an authenticated handshake: keep the local address it arrived on.
                    state.Endpoint = source;
                }
            }
            switch (r.Action)
            {
                case WireGuardAction.WriteToNetwork:
                    if (r.Peer is null)
                    {
                        // Only a cookie reply answers a handshake without naming a peer.
                        Interlocked.Increment(ref _cookieRepliesSent);
                    }
                    _handshakeOne[0] = _handshakeScratch.AsMemory(0, r.Length);
                    var destination = state?.Destination(r.Endpoint) ?? source;
                    var errno = bind.Send(_handshakeOne, 0, destination);
                    if (errno != 0)
                    {
                        SendFailed(errno, destination, state, 1);
                    }
                    break;
                case WireGuardAction.Error:
                    CountError(r);
                    break;
            }
            if (r.Peer is not null && r.Peer.QueuedPackets > 0 && r.Peer.HasSession)
            {
                SendPending(state!, _handshakeScratch, bind);
            }
        }
        finally
        {
            _pumpGate.ExitBatch();
        }
    }
}

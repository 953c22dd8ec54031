namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly byte[] _timerScratch = new byte[SlotSize];
    private readonly Memory<byte>[] _timerOne = new Memory<byte>[1];

    private void TimerLoop()
    {
        while (!_stopSignal.Wait(s_timerInterval))
        {
            lock (_gate)
            {
                Tick();
            }
        }
    }

    /// <summary>One timer round under the lock: load state, then each peer's timers and pending packets.</summary>
    internal void Tick()
    {
        var now = _time.GetTimestamp();
        // Load is the handshake queue's (HandshakeStage), refreshed here too so that it ends without traffic.
        _device.UnderLoad = Handshakes.UnderLoad;
        var bind = _bind;
        var peers = _device.Peers;
        for (var p = 0; p < peers.Count; p++)
        {
            var peer = peers[p];
            var state = State(peer);
            // The core asks to be called again while it has something to send; a bound keeps a bug from spinning.
            for (var round = 0; round < 4; round++)
            {
                var r = _device.UpdateTimers(peer, _timerScratch);
                if (r.Action == WireGuardAction.WriteToNetwork)
                {
                    SendFromScratch(_timerScratch, r.Length, TimerDestination(state, r, _timerScratch.AsSpan(0, r.Length), now), state, bind, _timerOne);
                    continue;
                }
                if (r.Action == WireGuardAction.Error)
                {
                    CountError(r);
                }
                break;
            }
            if (peer.QueuedPackets > 0 && peer.HasSession)
            {
                SendPending(state, _timerScratch, bind);
            }
            TransportTick(state, bind, now);
        }
    }

    /// <summary>
    /// Sends the packets queued for a peer (while its handshake was pending, or behind other queued ones),
    /// in order, until the core says the queue is empty; one drainer per peer at a time (any thread).
    /// </summary>
    private void SendPending(PeerState state, byte[] scratch, IDatagramBind bind, Memory<byte>[]? one = null)
    {
        one ??= scratch == _timerScratch ? _timerOne : scratch == _tunScratch ? _tunOne : _pendingOne;
        lock (state.DrainLock)
        {
            // Bounded, so a peer fed faster than it drains cannot hold this thread; the timer goes on.
            for (var guard = (4 * Math.Max(1, _device.MaxQueuedPerPeer)) + 1; guard > 0; guard--)
            {
                var r = _device.DequeuePending(state.Peer, scratch);
                if (r.Action != WireGuardAction.WriteToNetwork)
                {
                    if (r.Action == WireGuardAction.Error)
                    {
                        CountError(r);
                    }
                    return;
                }
                SendFromScratch(scratch, r.Length, state.Destination(r.Endpoint), state, bind, one);
            }
        }
    }

    private readonly byte[] _tunScratch = new byte[SlotSize];
    private readonly Memory<byte>[] _tunOne = new Memory<byte>[1];

    private readonly Memory<byte>[] _pendingOne = new Memory<byte>[1];

    private void SendFromScratch(byte[] scratch, int length, in DatagramEndpoint destination, PeerState state, IDatagramBind bind, Memory<byte>[] one)
    {
        if (!destination.Remote.IsSet)
        {
            Count(DropReason.NoEndpoint, state);
            return;
        }
        one[0] = scratch.AsMemory(0, length);
        var errno = bind.Send(one, 0, destination);
        if (errno != 0)
        {
            SendFailed(errno, destination, state, 1);
        }
    }

    private void SendFailed(int errno, in DatagramEndpoint destination, PeerState? state, int count)
    {
        Count(DropReason.SendFailed, state, count);
        if (_log.IsEnabled(HostLogLevel.Debug))
        {
            _log.Debug(Name, $"cannot send {count} datagram(s) to {destination}: {SharpTun.Netlink.ErrnoText.Describe(errno)}");
        }
    }
}

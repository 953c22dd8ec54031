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

    /// <summary>
    /// One timer round under the lock: load state, then only the peers that need it: those something happened
    /// to since the last round (the core's timer-work queue) and those whose armed deadline has come (a
    /// priority queue keyed by the core's <see cref="WireGuardDevice.TimerDueIn"/>). An idle peer (no session,
    /// nothing in flight, no keepalive) is in neither and costs nothing; an established idle peer wakes only
    /// at its next deadline (key expiry, zeroing). With the host's transport care on (<see cref="ConfigureTransports"/>,
    /// what <c>wg up</c> does), the peers that have a transport record — an endpoint, a TcpEndpoint, a host name —
    /// are looked at every round (their fallback policy, re-resolution and MTU checks run on the clock); the others
    /// as without it (issue 20: 100,000 idle peers without an endpoint cost <c>wg up</c> a quarter of a core when
    /// every peer was looked at every round).
    /// </summary>
    internal void Tick()
    {
        var now = _time.GetTimestamp();
        // Load is the handshake queue's (HandshakeStage), refreshed here too so that it ends without traffic.
        _device.UnderLoad = Handshakes.UnderLoad;
        var bind = _bind;
        var transports = _transportsEnabled;
        if (transports)
        {
            // Service adds no record for a peer that has one (nor removes any): the walk sees a stable dictionary.
            foreach (var peer in _transports.Keys)
            {
                // A record of a peer no longer on the interface (a private key change made new peer objects) is skipped.
                if (_states.TryGetValue(peer, out var s))
                {
                    Service(s, bind, now);
                }
            }
        }
        while (_device.TryTakeTimerWork(out var touched))
        {
            if (_states.TryGetValue(touched, out var state) && !(transports && _transports.ContainsKey(touched)))
            {
                ServiceAndArm(state, bind, now);
            }
        }
        while (_timerQueue.TryPeek(out var state, out var at) && at <= now)
        {
            _timerQueue.Dequeue();
            // A stale entry (the peer was re-armed or removed since) is skipped; so is one serviced above.
            if (state.TimerAt == at && _states.TryGetValue(state.Peer, out var current) && ReferenceEquals(current, state)
                && !(transports && _transports.ContainsKey(state.Peer)))
            {
                ServiceAndArm(state, bind, now);
            }
        }
    }

    /// <summary>Peers the timers looked at since the interface started (tests count wake-ups with it).</summary>
    internal long TimerServices { get; private set; }

    /// <summary>Entries in the deadline queue (live and stale).</summary>
    internal int TimerQueueLength => _timerQueue.Count;

    private readonly PriorityQueue<PeerState, long> _timerQueue = new();

    private void ServiceAndArm(PeerState state, IDatagramBind bind, long now)
    {
        Service(state, bind, now);
        if (_device.TimerDueIn(state.Peer) is not { } dueIn)
        {
            state.TimerAt = long.MinValue;
            return;
        }
        // At the earliest the next round: a peer due now again (e.g. no endpoint to send to yet) is not spun on.
        var at = Math.Max(now + 1, now + (long)(dueIn.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond));
        if (state.TimerAt != long.MinValue && state.TimerAt > now && state.TimerAt <= at)
        {
            return; // already armed as early
        }
        state.TimerAt = at;
        _timerQueue.Enqueue(state, at);
    }

    private void Service(PeerState state, IDatagramBind bind, long now)
    {
        TimerServices++;
        var peer = state.Peer;
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

    /// <summary>
    /// Sends the packets queued for a peer (while its handshake was pending, or behind other queued ones),
    /// in order, until the core says the queue is empty; one drainer per peer at a time (any thread).
    /// </summary>
    internal void SendPending(PeerState state, byte[] scratch, IDatagramBind bind, Memory<byte>[]? one = null)
    {
        one ??= scratch == _timerScratch ? _timerOne : _pendingOne;
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
                SendFromScratch(scratch, r.Length, r.Destination, state, bind, one);
            }
        }
    }


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

    internal void SendFailed(int errno, in DatagramEndpoint destination, PeerState? state, int count)
    {
        Count(DropReason.SendFailed, state, count);
        if (_log.IsEnabled(HostLogLevel.Debug))
        {
            _log.Debug(Name, $"cannot send {count} datagram(s) to {destination}: {SharpTun.Netlink.ErrnoText.Describe(errno)}");
        }
    }
}

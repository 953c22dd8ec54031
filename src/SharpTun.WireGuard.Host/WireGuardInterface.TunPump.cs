using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly TunPump _tunPump;

    /// <summary>
    /// tun → UDP. Reads a batch at offset <see cref="Headroom"/> − vnet header, encrypts each packet in
    /// place (the data header lands in the headroom, padding and tag behind the packet), then sends the
    /// batch with one <see cref="IDatagramBind.Send"/> per distinct endpoint, in read order per endpoint
    /// (the bind turns a run of equal-sized datagrams into one UDP GSO send where it can).
    /// <para>With segmentation offloads on the device a read may be a TSO/USO super-packet of up to
    /// 64 KB: it is split (<see cref="GsoSplitter"/>) into wire-sized packets in segment slots that
    /// have the same headroom, and those are sealed in place. A packet whose checksum the kernel left
    /// partial is completed where it lies.</para>
    /// <para>Runs on its own thread without the interface lock: the protocol core is thread-safe, so
    /// this direction's crypto runs on one core while the other direction's runs on another.</para>
    /// </summary>
    private sealed class TunPump
    {
        /// <summary>A segment slot: headroom, a jumbo-sized packet, padding and tag (the MTU may grow at run time).</summary>
        private const int SegmentSlotSize = 9216;

        private readonly WireGuardInterface _owner;
        private readonly TunOffloadReader _reader;
        private readonly Memory<byte>[] _out;
        private readonly DatagramEndpoint[] _outDestination;
        private readonly PeerState?[] _outPeer;
        private readonly bool[] _outSent;
        private readonly Memory<byte>[] _group;
        private readonly PeerState[] _drain;
        private int _drainCount;

        internal TunPump(WireGuardInterface owner)
        {
            _owner = owner;
            const int tail = WireGuardConstants.PaddingMultiple + WireGuardConstants.TagSize;
            // Read slots take the largest IP packet (the MTU may grow at run time); the splitter fills a
            // segment slot only up to where padding and tag still fit.
            _reader = new TunOffloadReader(owner._tun, Headroom, maxPacket: 65535, maxSegment: SegmentSlotSize - Headroom - tail, tailroom: tail,
                errors: owner._offloadErrors);
            var work = _reader.Capacity;
            _out = new Memory<byte>[work];
            _outDestination = new DatagramEndpoint[work];
            _outPeer = new PeerState?[work];
            _outSent = new bool[work];
            _group = new Memory<byte>[work];
            _drain = new PeerState[work];
        }

        internal void Run()
        {
            while (RunOnce())
            {
            }
        }

        /// <summary>One batch: read (waits), split, encrypt, send. False once the device was shut down.</summary>
        internal bool RunOnce()
        {
            var reader = _reader;
            if (reader.Read() == 0)
            {
                return false;
            }
            // Each round is what fits in the segment slots: sealed and sent before the slots are reused.
            while (reader.Next())
            {
                Process();
            }
            if (reader.SuperPacketsSplit > 0)
            {
                _owner._offloadStats.Split(reader.SuperPacketsSplit, reader.SegmentsSplit);
            }
            if (reader.Refused > 0)
            {
                // Counted by cause in the reader's errors (the interface's); here as malformed drops.
                _owner.Count(DropReason.Malformed, null, reader.Refused);
            }
            return true;
        }

        /// <summary>Seals and sends the work list inside the pump gate (never across a core swap).</summary>
        private void Process()
        {
            _owner._pumpGate.EnterBatch();
            try
            {
                Flush(Encrypt());
                for (var i = 0; i < _drainCount; i++)
                {
                    _drain[i].DrainWanted = false;
                    _owner.SendPending(_drain[i], _owner._tunScratch, Volatile.Read(ref _owner._bind));
                    _drain[i] = null!;
                }
                _drainCount = 0;
            }
            finally
            {
                _owner._pumpGate.ExitBatch();
            }
        }

        /// <summary>Encrypts the work list in place; returns how many datagrams are ready in <see cref="_out"/>.</summary>
        private int Encrypt()
        {
            var device = _owner._device;
            var max = Math.Max(1, device.MaxQueuedPerPeer);
            var sends = 0;
            var work = _reader.Packets;
            var lengths = _reader.Lengths;
            for (var i = 0; i < work.Length; i++)
            {
                var length = lengths[i];
                var slot = work[i].Span;
                if (Headroom + length > slot.Length - WireGuardConstants.PaddingMultiple - WireGuardConstants.TagSize)
                {
                    _owner.Count(DropReason.TooBig, null);
                    continue;
                }
                var packet = slot.Slice(Headroom, length);
                var peer = device.AllowedIps.LookupPacket(packet, source: false);
                if (peer is null)
                {
                    _owner.Count(DropReason.NoRoute, null);
                    continue;
                }
                var state = _owner.State(peer);
                _owner.Captured(peer, packet);
                var queuedBefore = peer.QueuedPackets;
                var r = device.Encapsulate(peer, packet, slot);
                if (queuedBefore >= max && peer.QueuedPackets >= max && !(r.Action == WireGuardAction.WriteToNetwork && r.Length != WireGuardConstants.InitiationSize))
                {
                    // The packet went into a full queue: the core dropped the oldest one for it.
                    _owner.Count(DropReason.QueueFull, state);
                }
                if (r.Action == WireGuardAction.Done && peer.HasSession && peer.QueuedPackets > 0 && !state.DrainWanted)
                {
                    // Queued behind packets still waiting (in order): drain them after this batch is sent.
                    state.DrainWanted = true;
                    _drain[_drainCount++] = state;
                }
                switch (r.Action)
                {
                    case WireGuardAction.WriteToNetwork when !r.Endpoint.IsSet:
                        _owner.Count(DropReason.NoEndpoint, state);
                        break;
                    case WireGuardAction.WriteToNetwork:
                        _out[sends] = work[i][..r.Length];
                        _outDestination[sends] = state.Destination(r.Endpoint);
                        _outPeer[sends] = state;
                        sends++;
                        break;
                    case WireGuardAction.Error:
                        _owner.CountError(r);
                        break;
                }
            }
            return sends;
        }

        /// <summary>One send per distinct destination, datagrams in read order within each.</summary>
        private void Flush(int sends)
        {
            if (sends == 0)
            {
                return;
            }
            var bind = Volatile.Read(ref _owner._bind);
            Array.Clear(_outSent, 0, sends);
            for (var i = 0; i < sends; i++)
            {
                if (_outSent[i])
                {
                    continue;
                }
                var destination = _outDestination[i];
                var n = 0;
                for (var j = i; j < sends; j++)
                {
                    if (!_outSent[j] && _outDestination[j] == destination)
                    {
                        _group[n++] = _out[j];
                        _outSent[j] = true;
                    }
                }
                var errno = bind.Send(_group.AsSpan(0, n), 0, destination);
                if (errno != 0)
                {
                    _owner.SendFailed(errno, destination, _outPeer[i], n);
                }
            }
            Array.Clear(_outPeer, 0, sends);
        }
    }

    /// <summary><paramref name="count"/> slots of <paramref name="size"/> bytes in one pinned block.</summary>
    private static Memory<byte>[] Slots(int count, int size)
    {
        var slots = new Memory<byte>[count];
        var block = GC.AllocateUninitializedArray<byte>(count * size, pinned: true);
        for (var i = 0; i < count; i++)
        {
            slots[i] = block.AsMemory(i * size, size);
        }
        return slots;
    }
}

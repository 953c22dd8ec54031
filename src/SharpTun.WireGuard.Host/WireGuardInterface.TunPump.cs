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
        /// <summary>Super-packets per read batch with offloads (each up to 64 KB).</summary>
        private const int OffloadReadBatch = 8;

        /// <summary>Segment slots: with 8 × 64 KB read, enough for segments of ≥ 2 KB; a full set is flushed and reused.</summary>
        private const int SegmentSlots = 256;

        /// <summary>A segment slot: headroom, a jumbo-sized packet, padding and tag.</summary>
        private const int SegmentSlotSize = 9216;

        private readonly WireGuardInterface _owner;
        private readonly Memory<byte>[] _buffers;
        private readonly int[] _sizes;
        private readonly Memory<byte>[] _segments;
        private readonly Memory<byte>[] _segmentTargets;
        private readonly int[] _segmentSizes;
        private readonly Memory<byte>[] _work;
        private readonly int[] _workLength;
        private readonly Memory<byte>[] _out;
        private readonly DatagramEndpoint[] _outDestination;
        private readonly PeerState?[] _outPeer;
        private readonly bool[] _outSent;
        private readonly Memory<byte>[] _group;
        private readonly int _readOffset;
        private readonly int _vnet;
        private readonly bool _offloads;
        private readonly PeerState[] _drain;
        private int _drainCount;
        private int _workCount;
        private int _segmentsUsed;

        internal TunPump(WireGuardInterface owner)
        {
            _owner = owner;
            var tun = owner._tun;
            _vnet = tun.VnetHeaderSize;
            _offloads = _vnet > 0 && tun.Offloads != SharpTun.IO.PacketOffloads.None;
            var batch = _offloads ? OffloadReadBatch : Math.Max(1, tun.BatchSize);
            _readOffset = Headroom - _vnet;
            _buffers = Slots(batch, SlotSize, SlotSize);
            _sizes = new int[batch];
            if (_offloads)
            {
                _segments = Slots(SegmentSlots, SegmentSlotSize, SegmentSlotSize);
                // The splitter may fill a segment slot only up to where padding and tag still fit.
                _segmentTargets = Slots(SegmentSlots, SegmentSlotSize, SegmentSlotSize - WireGuardConstants.PaddingMultiple - WireGuardConstants.TagSize, _segments);
                _segmentSizes = new int[SegmentSlots];
            }
            else
            {
                _segments = _segmentTargets = [];
                _segmentSizes = [];
            }
            var work = batch + _segments.Length;
            _work = new Memory<byte>[work];
            _workLength = new int[work];
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
            var count = _owner._tun.Read(_buffers, _sizes, _readOffset);
            if (count == 0)
            {
                return false;
            }
            _workCount = 0;
            _segmentsUsed = 0;
            for (var i = 0; i < count; i++)
            {
                var length = _sizes[i] - _vnet;
                if (length <= 0)
                {
                    if (length < 0)
                    {
                        _owner.Offload(OffloadError.HeaderTooShort);
                    }
                    continue;
                }
                if (_vnet == 0)
                {
                    Add(_buffers[i], length);
                }
                else
                {
                    Take(i, length);
                }
            }
            Process();
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

        /// <summary>A read with a virtio-net header: plain, checksum to complete, or a super-packet to split.</summary>
        private void Take(int i, int length)
        {
            var slot = _buffers[i];
            var span = slot.Span;
            if (!VirtioNetHeader.TryRead(span[_readOffset..], out var header))
            {
                _owner.Offload(OffloadError.HeaderTooShort);
                return;
            }
            if (TunOffload.IsPlain(header))
            {
                Add(slot, length);
                return;
            }
            var packet = span.Slice(Headroom, length);
            if (!header.IsGso)
            {
                var error = GsoSplitter.CompleteChecksum(packet, header);
                if (error != OffloadError.None)
                {
                    _owner.Offload(error);
                    return;
                }
                Add(slot, length);
                return;
            }
            var result = Split(packet, header);
            if (result == OffloadError.TooFewBuffers && _segmentsUsed > 0)
            {
                // The segment slots are full: seal and send what is ready, then reuse them.
                Process();
                _workCount = 0;
                _segmentsUsed = 0;
                result = Split(packet, header);
            }
            if (result != OffloadError.None)
            {
                _owner.Offload(result);
            }
        }

        private OffloadError Split(ReadOnlySpan<byte> packet, in VirtioNetHeader header)
        {
            var error = GsoSplitter.Split(packet, header, _segmentTargets.AsSpan(_segmentsUsed), _segmentSizes.AsSpan(_segmentsUsed), Headroom, out var n);
            if (error != OffloadError.None)
            {
                return error;
            }
            for (var s = 0; s < n; s++)
            {
                Add(_segments[_segmentsUsed + s], _segmentSizes[_segmentsUsed + s]);
            }
            _segmentsUsed += n;
            _owner._offloadStats.SuperPacketRead(n);
            return OffloadError.None;
        }

        private void Add(Memory<byte> slot, int length)
        {
            _work[_workCount] = slot;
            _workLength[_workCount] = length;
            _workCount++;
        }

        /// <summary>Encrypts the work list in place; returns how many datagrams are ready in <see cref="_out"/>.</summary>
        private int Encrypt()
        {
            var device = _owner._device;
            var max = Math.Max(1, device.MaxQueuedPerPeer);
            var sends = 0;
            for (var i = 0; i < _workCount; i++)
            {
                var length = _workLength[i];
                var slot = _work[i].Span;
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
                        _out[sends] = _work[i][..r.Length];
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

    /// <summary>
    /// <paramref name="count"/> slots of <paramref name="stride"/> bytes in one block, each seen as
    /// <paramref name="length"/> bytes; over the block of <paramref name="sameAs"/> when given.
    /// </summary>
    private static Memory<byte>[] Slots(int count, int stride, int length, Memory<byte>[]? sameAs = null)
    {
        var slots = new Memory<byte>[count];
        if (sameAs is not null)
        {
            for (var i = 0; i < count; i++)
            {
                slots[i] = sameAs[i][..length];
            }
            return slots;
        }
        var block = GC.AllocateUninitializedArray<byte>(count * stride, pinned: true);
        for (var i = 0; i < count; i++)
        {
            slots[i] = block.AsMemory(i * stride, length);
        }
        return slots;
    }
}

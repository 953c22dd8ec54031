using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// tun → UDP, in four stages (see <see cref="WireGuardInterface"/> for the picture of both directions):
/// <list type="number">
/// <item><b>tun reader</b> (<see cref="RunOnce"/>): reads a batch at offset <see cref="WireGuardInterface.Headroom"/> − vnet
/// header into the next <see cref="OutboundBatch"/> of the ring. With segmentation offloads a read may be a TSO/USO
/// super-packet of up to 64 KB: it is split (<see cref="GsoSplitter"/>) into wire-sized packets in segment slots
/// that have the same headroom; a packet whose checksum the kernel left partial is completed where it lies.</item>
/// <item><b>per-peer outbound</b> (<see cref="Reserve"/>, on the reader's thread, so in read order): route lookup,
/// session, and the message counter reserved in order (<see cref="WireGuardDevice.TryReserve"/>); without a
/// session the packet is queued in the core and an initiation may take its place.</item>
/// <item><b>parallel seal</b> (<see cref="OutboundBatch.Work"/> on the <see cref="CryptoWorkers"/>): each chunk
/// of the batch sealed in place (the data header lands in the headroom, padding and tag behind the packet).</item>
/// <item><b>in-order send</b> (<see cref="Send"/>, released by the <see cref="ReleaseRing{TBatch}"/> in batch
/// order): one <see cref="IDatagramBind.Send"/> per distinct endpoint, in read order per endpoint (the bind
/// turns a run of equal-sized datagrams into one UDP GSO send where it can); then the packets queued behind
/// the batch's are drained.</item>
/// </list>
/// Without workers (Workers = 1, or a test driving <see cref="RunOnce"/>) the ring has one batch and the reader
/// seals and sends it itself: the single-threaded pump as it always was.
/// </summary>
internal sealed class OutboundPipeline : IDisposable
{
    /// <summary>Super-packets per read batch with offloads (each up to 64 KB).</summary>
    private const int OffloadReadBatch = 8;

    /// <summary>Segment slots: with 8 × 64 KB read, enough for segments of ≥ 2 KB; a full set is flushed and reused.</summary>
    private const int SegmentSlots = 256;

    /// <summary>A segment slot: headroom, a jumbo-sized packet, padding and tag.</summary>
    private const int SegmentSlotSize = 9216;

    private const int Headroom = WireGuardInterface.Headroom;

    private readonly WireGuardInterface _owner;
    private readonly CryptoWorkers? _workers;
    private readonly ReleaseRing<OutboundBatch> _ring;
    private readonly int _readOffset;
    private readonly int _vnet;
    private readonly bool _offloads;
    private readonly byte[] _drainScratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _drainOne = new Memory<byte>[1];

    // The reader's view of the batch it fills (Take and Split work on these).
    private OutboundBatch _batch = null!;
    private Memory<byte>[] _buffers = [];
    private Memory<byte>[] _segments = [];
    private Memory<byte>[] _segmentTargets = [];
    private int[] _segmentSizes = [];
    private int _workCount;
    private int _segmentsUsed;

    internal OutboundPipeline(WireGuardInterface owner, CryptoWorkers? workers)
    {
        _owner = owner;
        _workers = workers;
        var tun = owner.Tun;
        _vnet = tun.VnetHeaderSize;
        _offloads = _vnet > 0 && tun.Offloads != SharpTun.IO.PacketOffloads.None;
        var batch = _offloads ? OffloadReadBatch : Math.Max(1, tun.BatchSize);
        _readOffset = Headroom - _vnet;
        // One batch per worker, one queued behind them (a woken worker finds work at once), one being read.
        var batches = new OutboundBatch[workers is null ? 1 : workers.Count + 2];
        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = new OutboundBatch(this, batch, _offloads, SegmentSlots, SegmentSlotSize);
        }
        _ring = new ReleaseRing<OutboundBatch>(batches, Send);
    }

    /// <summary>Batches in the ring (1 without workers).</summary>
    internal int Depth => _ring.Depth;

    /// <summary>The tun reader thread's body: batches until the device is shut down, then waits for those in flight.</summary>
    internal void Run()
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (RunOnce())
        {
        }
        _ring.WaitIdle();
        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
    }

    /// <summary>Bytes the reader thread allocated in <c>Run</c> (set when it ends; for the zero-allocation tests).</summary>
    internal long AllocatedBytes { get; private set; }

    /// <summary>One batch: read (waits), split, reserve, hand to the sealers. False once the device was shut down.</summary>
    internal bool RunOnce()
    {
        Use(_ring.Acquire());
        var count = _owner.Tun.Read(_buffers, _batch.Sizes, _readOffset);
        if (count == 0)
        {
            // Shut down: the slot passes through empty, so the ring stays in sequence.
            _batch.WorkCount = 0;
            _batch.Device = null;
            _ring.Finished(_batch);
            return false;
        }
        _workCount = 0;
        _segmentsUsed = 0;
        for (var i = 0; i < count; i++)
        {
            var length = _batch.Sizes[i] - _vnet;
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
        Submit();
        return true;
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>Called by the worker that sealed a batch's last chunk.</summary>
    internal void Sealed(OutboundBatch batch) => _ring.Finished(batch);

    private void Use(OutboundBatch batch)
    {
        _batch = batch;
        _buffers = batch.Buffers;
        _segments = batch.Segments;
        _segmentTargets = batch.SegmentTargets;
        _segmentSizes = batch.SegmentSizes;
    }

    /// <summary>
    /// The segment slots are full in the middle of a read: the batch so far is sealed and sent, and the same
    /// batch (whose read slots hold the rest of the read) is taken again once nothing is in flight.
    /// </summary>
    private void Process()
    {
        Submit();
        _ring.WaitIdle();
        Use(_ring.AcquireAgain(_batch));
    }

    /// <summary>The per-peer outbound stage for the whole batch, then the seal stage (workers, or here).</summary>
    private void Submit()
    {
        var batch = _batch;
        batch.WorkCount = _workCount;
        _owner.Gate.EnterBatch(); // left by Send, on whichever thread releases the batch
        batch.Device = _owner.Device;
        int seals;
        try
        {
            seals = Reserve(batch);
        }
        catch
        {
            // Still released in sequence (and out of the gate), with nothing to send.
            batch.WorkCount = 0;
            batch.DrainCount = 0;
            _ring.Finished(batch);
            throw;
        }
        if (_workers is null || seals == 0)
        {
            batch.Work(0, batch.WorkCount);
            _ring.Finished(batch);
        }
        else
        {
            _workers.Post(batch, batch.WorkCount);
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
        _owner.OffloadStats.SuperPacketRead(n);
        return OffloadError.None;
    }

    private void Add(Memory<byte> slot, int length)
    {
        _batch.Elements[_workCount] = slot;
        _batch.WorkLength[_workCount] = length;
        _workCount++;
    }

    /// <summary>
    /// The per-peer outbound stage: route lookup, session and counter per element, in read order (so each
    /// peer's counters follow its packets' order). Returns how many elements the seal stage has to seal.
    /// </summary>
    private int Reserve(OutboundBatch batch)
    {
        var device = batch.Device!;
        var max = Math.Max(1, device.MaxQueuedPerPeer);
        var seals = 0;
        for (var i = 0; i < batch.WorkCount; i++)
        {
            batch.Tickets[i] = default;
            batch.Results[i] = default;
            batch.States[i] = null;
            var length = batch.WorkLength[i];
            var slot = batch.Elements[i].Span;
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
            batch.States[i] = state;
            _owner.Captured(peer, packet);
            var queuedBefore = peer.QueuedPackets;
            if (device.TryReserve(peer, packet, slot, out batch.Tickets[i], out var r))
            {
                seals++;
                continue;
            }
            batch.Results[i] = r;
            if (queuedBefore >= max && peer.QueuedPackets >= max && !(r.Action == WireGuardAction.WriteToNetwork && r.Length != WireGuardConstants.InitiationSize))
            {
                // The packet went into a full queue: the core dropped the oldest one for it.
                _owner.Count(DropReason.QueueFull, state);
            }
            if (r.Action == WireGuardAction.Done && peer.HasSession && peer.QueuedPackets > 0 && Interlocked.Exchange(ref state.DrainNoted, 1) == 0)
            {
                // Queued behind packets still waiting (in order): drain them after this batch is sent.
                batch.Drain[batch.DrainCount++] = state;
            }
        }
        return seals;
    }

    /// <summary>The in-order send stage: the release callback of the ring, one batch at a time, in sequence.</summary>
    private void Send(OutboundBatch batch)
    {
        if (batch.Device is null)
        {
            return; // the empty batch of a shutdown
        }
        try
        {
            var sends = 0;
            for (var i = 0; i < batch.WorkCount; i++)
            {
                var r = batch.Results[i];
                var state = batch.States[i];
                batch.States[i] = null;
                switch (r.Action)
                {
                    case WireGuardAction.WriteToNetwork when !r.Endpoint.IsSet:
                        _owner.Count(DropReason.NoEndpoint, state);
                        break;
                    case WireGuardAction.WriteToNetwork:
                        batch.Out[sends] = batch.Elements[i][..r.Length];
                        batch.OutDestination[sends] = state!.Destination(r.Endpoint);
                        batch.OutPeer[sends] = state;
                        sends++;
                        break;
                    case WireGuardAction.Error:
                        _owner.CountError(r);
                        break;
                }
            }
            Flush(batch, sends);
            for (var i = 0; i < batch.DrainCount; i++)
            {
                Interlocked.Exchange(ref batch.Drain[i].DrainNoted, 0);
                _owner.SendPending(batch.Drain[i], _drainScratch, _owner.Bind, _drainOne);
                batch.Drain[i] = null!;
            }
            batch.DrainCount = 0;
            Array.Clear(batch.Results, 0, batch.WorkCount);
        }
        finally
        {
            batch.Device = null;
            _owner.Gate.ExitBatch();
        }
    }

    /// <summary>One send per distinct destination, datagrams in read order within each.</summary>
    private void Flush(OutboundBatch batch, int sends)
    {
        if (sends == 0)
        {
            return;
        }
        var bind = _owner.Bind;
        Array.Clear(batch.OutSent, 0, sends);
        for (var i = 0; i < sends; i++)
        {
            if (batch.OutSent[i])
            {
                continue;
            }
            var destination = batch.OutDestination[i];
            var n = 0;
            for (var j = i; j < sends; j++)
            {
                if (!batch.OutSent[j] && batch.OutDestination[j] == destination)
                {
                    batch.Group[n++] = batch.Out[j];
                    batch.OutSent[j] = true;
                }
            }
            var errno = bind.Send(batch.Group.AsSpan(0, n), 0, destination);
            if (errno != 0)
            {
                _owner.SendFailed(errno, destination, batch.OutPeer[i], n);
            }
        }
        Array.Clear(batch.OutPeer, 0, sends);
    }
}

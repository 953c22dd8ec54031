using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// tun → UDP, in four stages (see <see cref="WireGuardInterface"/> for the picture of both directions):
/// <list type="number">
/// <item><b>tun reader</b> (<see cref="RunOnce"/>): reads a batch through the <see cref="TunOffloadReader"/> of the next
/// <see cref="OutboundBatch"/> of the ring, each packet at <see cref="WireGuardInterface.Headroom"/>. With segmentation
/// offloads a read may be a TSO/USO super-packet of up to 64 KB: the reader splits it into wire-sized packets in
/// segment slots with the same headroom and completes partial checksums where they lie; when a read overflows the
/// segment slots, what fits is sealed and sent first (the batch is taken again once nothing is in flight).</item>
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
    /// <summary>A segment slot: headroom, a jumbo-sized packet, padding and tag (the MTU may grow at run time).</summary>
    private const int SegmentSlotSize = 9216;

    private const int Headroom = WireGuardInterface.Headroom;

    private readonly WireGuardInterface _owner;
    private readonly CryptoWorkers? _workers;
    private readonly ReleaseRing<OutboundBatch> _ring;
    private readonly byte[] _drainScratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _drainOne = new Memory<byte>[1];

    internal OutboundPipeline(WireGuardInterface owner, CryptoWorkers? workers)
    {
        _owner = owner;
        _workers = workers;
        const int tail = WireGuardConstants.PaddingMultiple + WireGuardConstants.TagSize;
        // One batch per worker, one queued behind them (a woken worker finds work at once), one being read.
        // Each has its own reader (slots): read slots take the largest IP packet (the MTU may grow at run
        // time); the splitter fills a segment slot only up to where padding and tag still fit.
        var batches = new OutboundBatch[workers is null ? 1 : workers.Count + 2];
        for (var i = 0; i < batches.Length; i++)
        {
            var reader = new TunOffloadReader(owner.Tun, Headroom, maxPacket: 65535, maxSegment: SegmentSlotSize - Headroom - tail, tailroom: tail,
                errors: owner.OffloadErrors);
            batches[i] = new OutboundBatch(this, reader);
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
        var batch = _ring.Acquire();
        var reader = batch.Reader;
        if (reader.Read() == 0)
        {
            // Shut down: the slot passes through empty, so the ring stays in sequence.
            batch.WorkCount = 0;
            batch.Device = null;
            _ring.Finished(batch);
            return false;
        }
        while (true)
        {
            // Each round is what fits in the segment slots (the whole read unless a super-packet of a small
            // MSS overflows them): reserved, sealed and sent before the slots are reused.
            reader.Next();
            var packets = reader.Packets;
            packets.CopyTo(batch.Elements);
            reader.Lengths.CopyTo(batch.WorkLength);
            batch.WorkCount = packets.Length;
            Submit(batch);
            if (reader.Remaining == 0)
            {
                break;
            }
            _ring.WaitIdle();
            batch = _ring.AcquireAgain(batch);
        }
        if (reader.SuperPacketsSplit > 0)
        {
            _owner.OffloadStats.Split(reader.SuperPacketsSplit, reader.SegmentsSplit);
        }
        if (reader.Refused > 0)
        {
            // Counted by cause in the reader's errors (the interface's); here as malformed drops.
            _owner.Count(DropReason.Malformed, null, reader.Refused);
        }
        return true;
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>Called by the worker that sealed a batch's last chunk.</summary>
    internal void Sealed(OutboundBatch batch) => _ring.Finished(batch);

    /// <summary>The per-peer outbound stage for the whole batch, then the seal stage (workers, or here).</summary>
    private void Submit(OutboundBatch batch)
    {
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
                        batch.OutDestination[sends] = r.Destination;
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

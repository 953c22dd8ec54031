using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// tun → UDP, in four stages (see <see cref="WireGuardInterface"/> for the picture of both directions), run by
/// <see cref="Threads"/> identical threads (leader/follower): one at a time holds the <b>read turn</b> and runs the
/// first two stages on the next batch of the ring, passes the turn on, then seals and releases that same batch
/// itself, so a packet is read, sealed and sent from one core's cache and no thread waits on a hand-off per packet.
/// <list type="number">
/// <item><b>tun reader</b> (in the turn): reads a batch through the <see cref="TunOffloadReader"/> of the next
/// <see cref="OutboundBatch"/> of the ring, each packet at <see cref="WireGuardInterface.Headroom"/>. With segmentation
/// offloads a read may be a TSO/USO super-packet of up to 64 KB: the reader splits it into wire-sized packets in
/// segment slots with the same headroom and completes partial checksums where they lie; when a read overflows the
/// segment slots, what fits is sealed and sent first (the batch is taken again once nothing is in flight).</item>
/// <item><b>per-peer outbound</b> (<see cref="Reserve"/>, in the turn, so in read order): route lookup,
/// session, and the message counter reserved in order (<see cref="WireGuardDevice.TryReserve"/>); without a
/// session the packet is queued in the core and an initiation may take its place.</item>
/// <item><b>seal</b> (<see cref="OutboundBatch.Work"/>, after the turn, in parallel with the other threads' batches):
/// each element sealed in place (the data header lands in the headroom, padding and tag behind the packet).</item>
/// <item><b>in-order send</b> (<see cref="Send"/>, released by the <see cref="ReleaseRing{TBatch}"/> in batch
/// order): one <see cref="IDatagramBind.Send"/> per distinct endpoint, in read order per endpoint (the bind
/// turns a run of equal-sized datagrams into one UDP GSO send where it can); then the packets queued behind
/// the batch's are drained.</item>
/// </list>
/// With one thread (Workers = 1, or a test driving <see cref="RunOnce"/>) the ring has one batch: the
/// single-threaded pump as it always was.
/// </summary>
internal sealed class OutboundPipeline : IDisposable
{
    /// <summary>A segment slot: headroom, a jumbo-sized packet, padding and tag (the MTU may grow at run time).</summary>
    private const int SegmentSlotSize = 9216;

    private const int Headroom = WireGuardInterface.Headroom;

    private readonly WireGuardInterface _owner;
    private readonly ReleaseRing<OutboundBatch> _ring;
    private readonly Lock _turn = new();
    private readonly byte[] _drainScratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _drainOne = new Memory<byte>[1];
    private bool _ended; // under _turn: the device was shut down
    private long _allocated;

    /// <param name="owner">The interface.</param>
    /// <param name="threads">How many threads run <see cref="Run"/> (the ring holds a batch for each, and two more).</param>
    internal OutboundPipeline(WireGuardInterface owner, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _owner = owner;
        Threads = threads;
        const int tail = WireGuardConstants.PaddingMultiple + WireGuardConstants.TagSize;
        // One batch per thread, and with several threads two more (a thread that finished sealing reads the
        // next at once while earlier batches wait for their release). Each has its own reader (slots): read slots
        // take the largest IP packet (the MTU may grow at run time); the splitter fills a segment slot only up
        // to where padding and tag still fit.
        var batches = new OutboundBatch[threads == 1 ? 1 : threads + 2];
        for (var i = 0; i < batches.Length; i++)
        {
            var reader = new TunOffloadReader(owner.Tun, Headroom, maxPacket: 65535, maxSegment: SegmentSlotSize - Headroom - tail, tailroom: tail,
                errors: owner.OffloadErrors);
            batches[i] = new OutboundBatch(reader);
        }
        _ring = new ReleaseRing<OutboundBatch>(batches, Send, e => owner.Failed(e, "tun → UDP send"));
    }

    /// <summary>Threads the pipeline was made for.</summary>
    internal int Threads { get; }

    /// <summary>Batches in the ring (1 with one thread).</summary>
    internal int Depth => _ring.Depth;

    /// <summary>A pipeline thread's body: batches until the device is shut down, then waits for those in flight.</summary>
    internal void Run()
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (RunOnce())
        {
        }
        _ring.WaitIdle();
        Interlocked.Add(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>Bytes the pipeline's threads allocated in <c>Run</c> (added as each ends; for the zero-allocation tests).</summary>
    internal long AllocatedBytes => Interlocked.Read(ref _allocated);

    /// <summary>
    /// One batch: in the read turn read (waits), split and reserve; then seal and release it. False once the
    /// device was shut down.
    /// </summary>
    internal bool RunOnce()
    {
        OutboundBatch? batch;
        lock (_turn)
        {
            batch = _ended ? null : ReadAndReserve();
        }
        if (batch is null)
        {
            return false;
        }
        Seal(batch);
        return true;
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>The read turn: the tun reader and the per-peer outbound stage for the next batch; null once shut down.</summary>
    private OutboundBatch? ReadAndReserve()
    {
        var batch = _ring.Acquire();
        var reader = batch.Reader;
        if (reader.Read() == 0)
        {
            // Shut down: the slot passes through empty, so the ring stays in sequence; the other threads end too.
            _ended = true;
            batch.WorkCount = 0;
            batch.Seals = 0;
            batch.Device = null;
            _ring.Finished(batch);
            return null;
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
            Prepare(batch);
            if (reader.Remaining == 0)
            {
                break;
            }
            Seal(batch);
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
        return batch;
    }

    /// <summary>Enters the pump gate (left by <see cref="Send"/>) and runs the per-peer outbound stage for the batch.</summary>
    private void Prepare(OutboundBatch batch)
    {
        _owner.Gate.EnterBatch(); // left by Send, on whichever thread releases the batch
        batch.Device = _owner.Device;
        try
        {
            batch.Seals = Reserve(batch);
        }
        catch
        {
            // Still released in sequence (and out of the gate), with nothing to send.
            batch.WorkCount = 0;
            batch.Seals = 0;
            batch.DrainCount = 0;
            _ring.Finished(batch);
            throw;
        }
    }

    /// <summary>The seal stage for one batch, then its release (now, or by whoever releases the batch before it).</summary>
    private void Seal(OutboundBatch batch)
    {
        try
        {
            batch.Work();
        }
        finally
        {
            _ring.Finished(batch);
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

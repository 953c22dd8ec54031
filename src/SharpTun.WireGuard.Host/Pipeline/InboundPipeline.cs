using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// UDP → tun, in four stages (see <see cref="WireGuardInterface"/> for the picture of both directions), run by
/// <see cref="Threads"/> identical threads (leader/follower, as <see cref="OutboundPipeline"/>): one at a time holds
/// the <b>read turn</b> (receive and classify the next batch), passes it on, then opens and releases that batch itself.
/// <list type="number">
/// <item><b>socket reader</b> (in the turn): receives a batch into the next <see cref="InboundBatch"/>.</item>
/// <item><b>classify</b> (in the turn): data messages are marked for the open stage; handshake
/// messages have their mac1 checked and go to the <see cref="HandshakeStage"/> (its doc draws its threads),
/// whose workers are woken after the batch's data is opened; cookie replies and junk are dealt with here (cheap).</item>
/// <item><b>open</b> (<see cref="InboundBatch.Work"/>, after the turn, in parallel with the other threads' batches):
/// each data message decrypted in place; the replay window takes any order within its width.</item>
/// <item><b>in-order tun write</b> (<see cref="Write"/>, released by the <see cref="ReleaseRing{TBatch}"/> in batch
/// order): endpoint roaming, capture, then one tun write for the batch, or with TSO on the device the
/// decrypted TCP segments (and UDP datagrams with USO) coalesced into super-packets first, as GRO would;
/// then packets queued for a peer that now has a session are sent.</item>
/// </list>
/// Each bind gets its own pipeline and threads (a rebind starts a new one).
/// </summary>
internal sealed class InboundPipeline : IDisposable
{
    private const int Headroom = WireGuardInterface.Headroom;

    private readonly WireGuardInterface _owner;
    private readonly ReleaseRing<InboundBatch> _ring;
    private readonly Lock _turn = new();
    private readonly int _batchSize;
    private readonly byte[] _scratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _one = new Memory<byte>[1];
    private bool _ended; // under _turn: the socket was shut down
    private long _allocated;

    // The tun writer's (one release at a time).
    private readonly Memory<byte>[] _tunOut;
    private readonly byte[] _pendingScratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _pendingOne = new Memory<byte>[1];
    private readonly int _writeOffset;
    private readonly int _vnet;
    private readonly TunCoalescingWriter? _coalescer;
    private readonly Memory<byte>[] _plain;
    private int _plainCount;

    /// <param name="owner">The interface.</param>
    /// <param name="threads">How many threads run <see cref="Run"/> (the ring holds a batch for each, and two more).</param>
    /// <param name="batchSize">The bind's batch size (each bind gets its own pipeline); at most 128.</param>
    internal InboundPipeline(WireGuardInterface owner, int threads, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _owner = owner;
        Threads = threads;
        _batchSize = Math.Clamp(batchSize, 1, 128);
        var batches = new InboundBatch[threads == 1 ? 1 : threads + 2];
        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = new InboundBatch(_batchSize);
        }
        _ring = new ReleaseRing<InboundBatch>(batches, Write, e => owner.Failed(e, "UDP → tun write"));
        _tunOut = new Memory<byte>[_batchSize];
        _vnet = owner.Tun.VnetHeaderSize;
        _writeOffset = Headroom - _vnet;
        var offloads = _vnet > 0 ? owner.Tun.Offloads : PacketOffloads.None;
        if ((offloads & PacketOffloads.TcpSegmentation) != 0)
        {
            // GRO in user space: decrypted packets are merged into super-packets for the tun.
            _coalescer = new TunCoalescingWriter(owner.Tun);
            _plain = new Memory<byte>[_batchSize];
        }
        else
        {
            _plain = [];
        }
    }

    /// <summary>Threads the pipeline was made for.</summary>
    internal int Threads { get; }

    /// <summary>A pipeline thread's body: batches until the socket is shut down, then waits for those in flight.</summary>
    internal void Run(IDatagramBind bind)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (RunOnce(bind))
        {
        }
        _ring.WaitIdle();
        Interlocked.Add(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    /// <summary>Bytes the pipeline's threads allocated in <c>Run</c> (added as each ends; for the zero-allocation tests).</summary>
    internal long AllocatedBytes => Interlocked.Read(ref _allocated);

    /// <summary>
    /// One batch: in the read turn receive (waits) and classify; then open and release it, and wake the
    /// handshake stage. False once the socket was shut down.
    /// </summary>
    internal bool RunOnce(IDatagramBind bind)
    {
        InboundBatch? batch;
        lock (_turn)
        {
            batch = _ended ? null : ReceiveAndClassify(bind);
        }
        if (batch is null)
        {
            return false;
        }
        try
        {
            batch.Work();
        }
        finally
        {
            _ring.Finished(batch);
        }
        // The batch's handshakes, after its data: the handshake workers are woken once; without them (tests
        // drive the pumps batch by batch) they are done here.
        _owner.Handshakes.Signal();
        _owner.Handshakes.Drain();
        return true;
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>The read turn: the socket reader and the classify stage for the next batch; null once shut down.</summary>
    private InboundBatch? ReceiveAndClassify(IDatagramBind bind)
    {
        var batch = _ring.Acquire();
        var take = Math.Clamp(bind.BatchSize, 1, _batchSize);
        var count = bind.Receive(batch.Buffers.AsSpan(0, take), batch.Sizes, batch.Endpoints, 0);
        batch.Count = count;
        batch.Data = 0;
        if (count == 0)
        {
            // Shut down: the slot passes through empty, so the ring stays in sequence; the other threads end too.
            _ended = true;
            batch.Device = null;
            _ring.Finished(batch);
            return null;
        }
        _owner.Gate.EnterBatch(); // left by Write, on whichever thread releases the batch
        batch.Device = _owner.Device;
        try
        {
            batch.Data = Classify(batch, bind);
        }
        catch
        {
            // Still released in sequence (and out of the gate), with nothing to write.
            batch.Count = 0;
            batch.Data = 0;
            _ring.Finished(batch);
            throw;
        }
        return batch;
    }

    /// <summary>The classify stage: marks data for the open stage, admits handshakes, handles the rest. Returns the data count.</summary>
    private int Classify(InboundBatch batch, IDatagramBind bind)
    {
        var device = batch.Device!;
        var data = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            batch.IsData[i] = false;
            batch.Results[i] = default;
            var size = batch.Sizes[i];
            if (size < 0)
            {
                _owner.Count(DropReason.TooBig, null);
                continue;
            }
            var datagram = batch.Buffers[i].Span[..size];
            var source = batch.Endpoints[i];
            var type = size >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(datagram) : 0;
            if ((type == 1 && size == WireGuardConstants.InitiationSize) || (type == 2 && size == WireGuardConstants.ResponseSize))
            {
                _owner.AdmitHandshake(device, datagram, source);
                continue;
            }
            if (size >= WireGuardConstants.DataMinimumSize && type == 4)
            {
                batch.IsData[i] = true;
                data++;
                continue;
            }
            // Cookie replies (consumed by the core) and junk.
            var r = device.Decapsulate(source, datagram, _scratch);
            PeerState? state = r.Peer is null ? null : _owner.State(r.Peer);
            switch (r.Action)
            {
                case WireGuardAction.WriteToNetwork:
                    _one[0] = _scratch.AsMemory(0, r.Length);
                    var destination = r.Destination;
                    var errno = bind.Send(_one, 0, destination);
                    if (errno != 0)
                    {
                        _owner.SendFailed(errno, destination, state, 1);
                    }
                    break;
                case WireGuardAction.Error:
                    _owner.CountError(r);
                    break;
            }
        }
        return data;
    }

    /// <summary>The in-order tun write stage: the release callback of the ring, one batch at a time, in sequence.</summary>
    private void Write(InboundBatch batch)
    {
        if (batch.Device is null)
        {
            return; // the empty batch of a shutdown
        }
        try
        {
            _plainCount = 0;
            var writes = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (!batch.IsData[i])
                {
                    continue;
                }
                var r = batch.Results[i];
                batch.Results[i] = default;
                var slot = batch.Buffers[i].Span;
                PeerState? state = null;
                if (r.Peer is not null)
                {
                    state = _owner.State(r.Peer); // the core already roamed the endpoint (with its local address)
                }
                switch (r.Action)
                {
                    case WireGuardAction.WriteToTunnel when _coalescer is not null:
                        _owner.Captured(r.Peer!, slot.Slice(Headroom, r.Length));
                        _plain[_plainCount++] = batch.Buffers[i].Slice(Headroom, r.Length);
                        break;
                    case WireGuardAction.WriteToTunnel:
                        _owner.Captured(r.Peer!, slot.Slice(Headroom, r.Length));
                        if (_vnet > 0)
                        {
                            slot.Slice(_writeOffset, _vnet).Clear();
                        }
                        _tunOut[writes++] = batch.Buffers[i][..(Headroom + r.Length)];
                        break;
                    case WireGuardAction.Error:
                        _owner.CountError(r);
                        break;
                }
                if (r.Peer is not null && r.Peer.QueuedPackets > 0 && r.Peer.HasSession)
                {
                    _owner.SendPending(state!, _pendingScratch, _owner.Bind, _pendingOne);
                }
            }
            if (_coalescer is not null)
            {
                WriteCoalesced();
            }
            else if (writes > 0)
            {
                var accepted = _owner.Tun.Write(_tunOut.AsSpan(0, writes), _writeOffset);
                if (accepted < writes)
                {
                    _owner.Count(DropReason.TunWriteFailed, null, writes - accepted);
                }
            }
        }
        finally
        {
            batch.Device = null;
            _owner.Gate.ExitBatch();
        }
    }

    /// <summary>Merges the batch's decrypted packets into super-packets (GRO) and writes them.</summary>
    private void WriteCoalesced()
    {
        if (_plainCount == 0)
        {
            return;
        }
        var r = _coalescer!.Write(_plain.AsSpan(0, _plainCount), 0);
        _owner.OffloadStats.Coalesced(r.SuperPackets, r.PacketsCoalesced);
        if (r.TooBig > 0)
        {
            _owner.Count(DropReason.TooBig, null, r.TooBig);
        }
        if (r.OutputsRefused > 0)
        {
            _owner.Count(DropReason.TunWriteFailed, null, r.OutputsRefused);
        }
    }
}

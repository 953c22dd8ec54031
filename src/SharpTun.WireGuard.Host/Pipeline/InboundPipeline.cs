using System.Buffers.Binary;
using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// UDP → tun, in four stages (see <see cref="WireGuardInterface"/> for the picture of both directions):
/// <list type="number">
/// <item><b>socket reader</b> (<see cref="RunOnce"/>): receives a batch into the next <see cref="InboundBatch"/>.</item>
/// <item><b>classify</b> (on the reader's thread): data messages are marked for the open stage; handshake
/// messages have their mac1 checked and go to the <see cref="HandshakeStage"/> (its doc draws its threads)
/// after the batch's data is handed on; cookie replies and junk are dealt with here (cheap).</item>
/// <item><b>parallel open</b> (<see cref="InboundBatch.Work"/> on the <see cref="CryptoWorkers"/>): each chunk
/// decrypted in place; the replay window takes any order within its width.</item>
/// <item><b>in-order tun write</b> (<see cref="Write"/>, released by the <see cref="ReleaseRing{TBatch}"/> in batch
/// order): endpoint roaming, capture, then one tun write for the batch, or with TSO on the device the
/// decrypted TCP segments (and UDP datagrams with USO) coalesced into super-packets first, as GRO would;
/// then packets queued for a peer that now has a session are sent.</item>
/// </list>
/// Each bind gets its own pipeline (a rebind starts a new one); the workers are the interface's.
/// </summary>
internal sealed class InboundPipeline : IDisposable
{
    private const int Headroom = WireGuardInterface.Headroom;

    private readonly WireGuardInterface _owner;
    private readonly CryptoWorkers? _workers;
    private readonly ReleaseRing<InboundBatch> _ring;
    private readonly int _batchSize;
    private readonly byte[] _scratch = new byte[WireGuardInterface.SlotSize];
    private readonly Memory<byte>[] _one = new Memory<byte>[1];

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
    /// <param name="workers">The interface's crypto workers; null: open and write on the reader's thread.</param>
    /// <param name="batchSize">The bind's batch size (each bind gets its own pipeline); at most 128.</param>
    internal InboundPipeline(WireGuardInterface owner, CryptoWorkers? workers, int batchSize)
    {
        _owner = owner;
        _workers = workers;
        _batchSize = Math.Clamp(batchSize, 1, 128);
        // One batch per worker, one queued behind them (a woken worker finds work at once), one being received.
        var batches = new InboundBatch[workers is null ? 1 : workers.Count + 2];
        for (var i = 0; i < batches.Length; i++)
        {
            batches[i] = new InboundBatch(this, _batchSize);
        }
        _ring = new ReleaseRing<InboundBatch>(batches, Write);
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

    /// <summary>The socket reader thread's body: batches until the socket is shut down, then waits for those in flight.</summary>
    internal void Run(IDatagramBind bind)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (RunOnce(bind))
        {
        }
        _ring.WaitIdle();
        AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
    }

    /// <summary>Bytes the reader thread allocated in <c>Run</c> (set when it ends; for the zero-allocation tests).</summary>
    internal long AllocatedBytes { get; private set; }

    /// <summary>One batch: receive (waits), classify, hand the data to the openers. False once the socket was shut down.</summary>
    internal bool RunOnce(IDatagramBind bind)
    {
        var batch = _ring.Acquire();
        var take = Math.Clamp(bind.BatchSize, 1, _batchSize);
        var count = bind.Receive(batch.Buffers.AsSpan(0, take), batch.Sizes, batch.Endpoints, 0);
        batch.Count = count;
        if (count == 0)
        {
            batch.Device = null;
            _ring.Finished(batch);
            return false;
        }
        _owner.Gate.EnterBatch(); // left by Write, on whichever thread releases the batch
        batch.Device = _owner.Device;
        int data;
        try
        {
            data = Classify(batch, bind);
        }
        catch
        {
            // Still released in sequence (and out of the gate), with nothing to write.
            batch.Count = 0;
            _ring.Finished(batch);
            throw;
        }
        if (_workers is null || data == 0)
        {
            batch.Work(0, count);
            _ring.Finished(batch);
        }
        else
        {
            _workers.Post(batch, count);
        }
        // The batch's handshakes: the workers are woken once; without workers (tests drive the pumps
        // batch by batch) they are done here, after the batch's data.
        _owner.Handshakes.Signal();
        _owner.Handshakes.Drain();
        return true;
    }

    public void Dispose() => _ring.Dispose();

    /// <summary>Called by the worker that opened a batch's last chunk.</summary>
    internal void Opened(InboundBatch batch) => _ring.Finished(batch);

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

using System.Runtime.CompilerServices;
using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Packets.Offload;

namespace SharpTun.Tunnel;

/// <summary>
/// The tunnel engine: ONE event loop per side, on the caller's thread.
/// <code>
///        ┌──────────── poll(device, transport handles, timers) ◀──────────┐
///        ▼                                                                │
///  device readable ─TryRead batch─▶ transport.Send ─▶ peer                │
///  socket readable ─transport.Process─▶ DeviceWriter.Write ─▶ device ─────┘
///                     └─▶ then one TryRead: the kernel's immediate answer (an echo reply)
///                         goes out in the same wake-up
/// </code>
/// A ping costs one wake-up per side and direction, no thread hop. While the transport is
/// backlogged (a stalled TCP peer) the device is not read, so pending output stays bounded by
/// one batch and the kernel's device queue (txqueuelen) drops beyond that. Stop wakes the loop
/// through the poller's eventfd; nothing polls on a timer to notice it.
/// Memory is fixed at start: one batch of device buffers; transports own theirs.
/// <para>A tun device opened with a virtio-net header and offloads (<see cref="IPacketQueue.Offloads"/>)
/// hands over TSO/USO super-packets of up to 64 KB: they are split (<see cref="GsoSplitter"/>) into
/// wire-sized packets before they reach the transport, and packets from the peer are merged
/// (<see cref="DeviceWriter"/>) into super-packets on the way back. The wire carries plain IP packets
/// either way: simpletun's format does not change.</para>
/// </summary>
internal sealed class Relay
{
    /// <summary>Bytes kept free in front of every packet read from the device: a TCP length prefix is written there.</summary>
    internal const int Headroom = 2;

    // Batches read from the device per wake-up before the socket gets its turn again.
    private const int MaxBatchesPerWake = 4;

    /// <summary>Super-packets (each up to 64 KB) per device read with offloads.</summary>
    private const int OffloadReadBatch = 4;

    /// <summary>
    /// Wire-sized packets split out of one read batch with offloads: 4 × 64 KB of 1448-byte segments
    /// is ~180. A super-packet of more (a tiny MSS) is split after what came before has been sent.
    /// </summary>
    internal const int OffloadSegmentSlots = 256;

    // Offload state (null/empty without a virtio-net header): segment slots with the same headroom as reads.
    private readonly int _vnet;
    private readonly int _readOffset;
    private readonly int _packetOffset;
    private readonly Memory<byte>[] _segments = [];
    private readonly int[] _segmentSizes = [];
    private readonly Memory<byte>[] _work = [];
    private readonly int[] _workSizes = [];
    private int _workCount;
    private int _segmentsUsed;

    private readonly IPacketQueue _device;
    private readonly IRelayTransport _transport;
    private readonly TunnelCounters _counters;
    private readonly PacketObserver? _observer;
    private readonly DeviceWriter _writer;
    private readonly TimeProvider _time;
    private readonly Memory<byte>[] _buffers;
    private readonly int[] _sizes;
    private readonly Lock _pollerLock = new();
    private Poller? _poller;
    private volatile bool _stopping;

    /// <param name="device">The device queue; with a virtio-net header it must be a tun (IP packets).</param>
    /// <param name="transport">The peer link.</param>
    /// <param name="counters">Counted into.</param>
    /// <param name="observer">Sees every packet carried, or null.</param>
    /// <param name="time">The clock (tests pass a fake one).</param>
    /// <param name="wirePacketSize">With offloads: the largest packet on the wire (the device MTU), the size of a segment slot.</param>
    internal Relay(IPacketQueue device, IRelayTransport transport, TunnelCounters counters, PacketObserver? observer = null, TimeProvider? time = null,
        int wirePacketSize = 0)
    {
        _vnet = device.VnetHeaderSize;
        if (_vnet != 0 && device.IsEthernet)
        {
            throw new ArgumentException($"device '{device.Name}' is a tap with virtio-net headers; the relay takes offloads on a tun only", nameof(device));
        }
        _device = device;
        _transport = transport;
        _counters = counters;
        _observer = observer;
        _time = time ?? TimeProvider.System;
        _writer = new DeviceWriter(device, counters, observer);
        // Packets start _packetOffset bytes into a slot, with at least Headroom bytes free in front (a TCP length prefix).
        _packetOffset = Math.Max(Headroom, _vnet);
        _readOffset = _packetOffset - _vnet;
        var batch = _vnet > 0 ? OffloadReadBatch : Math.Max(1, Math.Min(device.BatchSize, transport.MaxBatch));
        _buffers = Slots(batch, _packetOffset + device.MaxPacketSize);
        _sizes = new int[batch];
        if (_vnet > 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wirePacketSize, 68);
            _segments = Slots(OffloadSegmentSlots, _packetOffset + wirePacketSize);
            _segmentSizes = new int[OffloadSegmentSlots];
            _work = new Memory<byte>[batch + OffloadSegmentSlots];
            _workSizes = new int[batch + OffloadSegmentSlots];
        }
    }

    /// <summary>The most packets one send to the transport may carry with this device (its batch, or the offload work list).</summary>
    internal static int SendBatch(IPacketQueue device) => device.VnetHeaderSize > 0 ? OffloadReadBatch + OffloadSegmentSlots : device.BatchSize;

    private static Memory<byte>[] Slots(int count, int size)
    {
        var slots = new Memory<byte>[count];
        var memory = new byte[count * size];
        for (var i = 0; i < count; i++)
        {
            slots[i] = memory.AsMemory(i * size, size);
        }
        return slots;
    }

    /// <summary>The current peer, or null.</summary>
    internal string? PeerName => _transport.PeerName;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or <see cref="Stop"/> is called. Throws for a failure of the device.</summary>
    // Optimized at once: this loop is entered once and would run as tier-0 code until on-stack
    // replacement (after ~1000 iterations, i.e. ~500 idle pings) - measured as +0.02-0.05 ms RTT.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Run(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Stop);
        var version = int.MinValue;
        var deviceIndex = 0;
        try
        {
            while (!_stopping)
            {
                if (version != _transport.HandleVersion)
                {
                    version = _transport.HandleVersion;
                    deviceIndex = Rebuild();
                    if (deviceIndex < 0)
                    {
                        break;
                    }
                }
                var poller = _poller!;
                var backlogged = _transport.IsBacklogged;
                poller.SetEvents(deviceIndex, backlogged ? PollEvents.None : PollEvents.Readable);
                _transport.UpdateInterest(poller);
                var timeout = _transport.HasPending ? 0 : _transport.MillisecondsToNextTimer(NowMs());
                poller.Wait(timeout < 0 ? -1 : (int)Math.Min(timeout, int.MaxValue));
                if (_stopping)
                {
                    break;
                }
                var deviceReady = poller.IsReadable(deviceIndex);
                _writer.Wrote = false;
                _transport.Process(poller, NowMs(), _writer);
                if ((deviceReady || _writer.Wrote) && !_transport.IsBacklogged)
                {
                    FromDevice();
                }
            }
        }
        finally
        {
            lock (_pollerLock)
            {
                _poller?.Dispose();
                _poller = null;
            }
        }
    }

    /// <summary>Makes <see cref="Run"/> return soon. Any thread; idempotent.</summary>
    internal void Stop()
    {
        lock (_pollerLock)
        {
            _stopping = true;
            _poller?.Wake();
        }
    }

    private int Rebuild()
    {
        lock (_pollerLock)
        {
            if (_stopping)
            {
                return -1;
            }
            _poller?.Dispose();
            _poller = new Poller();
            var index = _poller.Add(_device.PollHandle);
            _transport.Register(_poller);
            return index;
        }
    }

    // Reads what the device has queued (a few batches at most) and hands it to the transport.
    private void FromDevice()
    {
        for (var round = 0; round < MaxBatchesPerWake; round++)
        {
            var n = _device.TryRead(_buffers, _sizes, _readOffset);
            if (n <= 0)
            {
                return;
            }
            if (_vnet == 0)
            {
                Send(_buffers.AsSpan(0, n), _sizes.AsSpan(0, n));
            }
            else
            {
                Expand(n);
            }
            if (n < _buffers.Length || _transport.IsBacklogged)
            {
                return;
            }
        }
    }

    // Hands packets (each at _packetOffset in its buffer) to the transport; counts and observes them.
    private void Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes)
    {
        var n = packets.Length;
        if (n == 0)
        {
            return;
        }
        if (!_transport.CanSend)
        {
            _counters.AddDropNoPeer(n);
        }
        else if (_transport.Send(packets, sizes, _packetOffset, NowMs()))
        {
            long bytes = 0;
            foreach (var size in sizes)
            {
                bytes += size;
            }
            _counters.AddDeviceToNet(n, bytes);
            if (_observer is { } observer)
            {
                for (var i = 0; i < n; i++)
                {
                    observer(PacketDirection.DeviceToPeer, packets[i].Span.Slice(_packetOffset, sizes[i]));
                }
            }
        }
        else
        {
            _counters.AddDropSendFailed(n);
        }
    }

    // Reads with a virtio-net header: plain packets go as they are, a partial checksum is completed
    // in place, a super-packet is split into segment slots; then all of it goes in one send.
    private void Expand(int n)
    {
        _workCount = 0;
        _segmentsUsed = 0;
        for (var i = 0; i < n; i++)
        {
            var length = _sizes[i] - _vnet;
            var slot = _buffers[i];
            if (length <= 0 || !VirtioNetHeader.TryRead(slot.Span[_readOffset..], out var header))
            {
                if (length != 0)
                {
                    _counters.AddDropOffload();
                }
                continue;
            }
            if (TunOffload.IsPlain(header))
            {
                AddWork(slot, length);
                continue;
            }
            var packet = slot.Span.Slice(_packetOffset, length);
            if (!header.IsGso)
            {
                if (GsoSplitter.CompleteChecksum(packet, header) != OffloadError.None)
                {
                    _counters.AddDropOffload();
                    continue;
                }
                AddWork(slot, length);
                continue;
            }
            var result = Split(packet, header);
            if (result == OffloadError.TooFewBuffers && _segmentsUsed > 0)
            {
                // The segment slots are full (a small MSS): send what is ready and reuse them, unless
                // the transport is now backlogged (a TCP peer that stopped reading): then the rest of
                // this batch is dropped, as the device's own queue would drop it.
                FlushWork();
                if (_transport.IsBacklogged)
                {
                    _counters.AddDropSendFailed(n - i);
                    return;
                }
                result = Split(packet, header);
            }
            if (result != OffloadError.None)
            {
                _counters.AddDropOffload();
            }
        }
        FlushWork();
    }

    private OffloadError Split(ReadOnlySpan<byte> packet, in VirtioNetHeader header)
    {
        var error = GsoSplitter.Split(packet, header, _segments.AsSpan(_segmentsUsed), _segmentSizes.AsSpan(_segmentsUsed), _packetOffset, out var count);
        if (error != OffloadError.None)
        {
            return error;
        }
        for (var s = 0; s < count; s++)
        {
            AddWork(_segments[_segmentsUsed + s], _segmentSizes[_segmentsUsed + s]);
        }
        _segmentsUsed += count;
        _counters.AddSuperPacketsSplit(1);
        return OffloadError.None;
    }

    private void AddWork(Memory<byte> slot, int length)
    {
        _work[_workCount] = slot;
        _workSizes[_workCount++] = length;
    }

    private void FlushWork()
    {
        Send(_work.AsSpan(0, _workCount), _workSizes.AsSpan(0, _workCount));
        _workCount = 0;
        _segmentsUsed = 0;
    }

    private long NowMs() => (long)_time.GetElapsedTime(0, _time.GetTimestamp()).TotalMilliseconds;
}

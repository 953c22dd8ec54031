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
/// hands over TSO/USO super-packets of up to 64 KB: they are split (<see cref="TunOffloadReader"/>) into
/// wire-sized packets before they reach the transport, and packets from the peer are merged
/// (<see cref="DeviceWriter"/> with <see cref="TunCoalescingWriter"/>) into super-packets on the way back. The wire carries plain IP packets
/// either way: simpletun's format does not change.</para>
/// </summary>
internal sealed class Relay
{
    /// <summary>Bytes kept free in front of every packet read from the device: a TCP length prefix is written there.</summary>
    internal const int Headroom = 2;

    // Batches read from the device per wake-up before the socket gets its turn again.
    private const int MaxBatchesPerWake = 4;

    // Reads, splits and completes checksums (with a virtio-net header); packets at PacketOffset >= Headroom.
    private readonly TunOffloadReader _reader;

    private readonly IPacketQueue _device;
    private readonly IRelayTransport _transport;
    private readonly TunnelCounters _counters;
    private readonly PacketObserver? _observer;
    private readonly DeviceWriter _writer;
    private readonly TimeProvider _time;
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
        if (device.VnetHeaderSize != 0 && device.IsEthernet)
        {
            throw new ArgumentException($"device '{device.Name}' is a tap with virtio-net headers; the relay takes offloads on a tun only", nameof(device));
        }
        _device = device;
        _transport = transport;
        _counters = counters;
        _observer = observer;
        _time = time ?? TimeProvider.System;
        _writer = new DeviceWriter(device, counters, observer);
        _reader = new TunOffloadReader(device, Headroom, device.MaxPacketSize, maxSegment: wirePacketSize,
            plainBatch: Math.Min(device.BatchSize, transport.MaxBatch), errors: counters.OffloadErrors);
    }

    /// <summary>The most packets one send to the transport may carry with this device (its batch, or the offload work list).</summary>
    internal static int SendBatch(IPacketQueue device) => TunOffloadReader.CapacityFor(device);

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
        var reader = _reader;
        for (var round = 0; round < MaxBatchesPerWake; round++)
        {
            var n = reader.TryRead();
            if (n <= 0)
            {
                return;
            }
            while (reader.Next())
            {
                Send(reader.Packets, reader.Lengths);
                if (reader.Remaining > 0 && _transport.IsBacklogged)
                {
                    // The segment slots were full (a small MSS) and the transport is now backlogged (a TCP peer
                    // that stopped reading): the rest of this batch is dropped, as the device's own queue would drop it.
                    _counters.AddDropSendFailed(reader.Abandon());
                }
            }
            _counters.AddSuperPacketsSplit(reader.SuperPacketsSplit);
            _counters.AddDropOffload(reader.Refused);
            if (n < reader.BatchSize || _transport.IsBacklogged)
            {
                return;
            }
        }
    }

    // Hands packets (each at the reader's PacketOffset in its buffer) to the transport; counts and observes them.
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
        else if (_transport.Send(packets, sizes, _reader.PacketOffset, NowMs()))
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
                    observer(PacketDirection.DeviceToPeer, packets[i].Span.Slice(_reader.PacketOffset, sizes[i]));
                }
            }
        }
        else
        {
            _counters.AddDropSendFailed(n);
        }
    }

    private long NowMs() => (long)_time.GetElapsedTime(0, _time.GetTimestamp()).TotalMilliseconds;
}

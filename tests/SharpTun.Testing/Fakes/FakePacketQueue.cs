using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// One end of an in-memory pair of <see cref="IPacketQueue"/>s (like wireguard-go's tuntest): what
/// one end writes, the other reads, packet by packet. Each direction is a <see cref="SlotRing"/>
/// bounded by <see cref="FakeQueueOptions.QueueBytes"/>; <see cref="PollHandle"/> is its eventfd, so
/// an event loop (<c>Poller</c>) waits on it like a tun fd: readable while packets are queued and
/// after <see cref="Shutdown"/>. Read waits (as a blocking tun read); TryRead does not. A packet
/// that does not fit is dropped and counted (<see cref="Dropped"/>), as a full device queue drops;
/// so is an empty packet. Reading after the other end was disposed (and what it wrote was read)
/// throws <see cref="PacketIOException"/>, like a deleted device. Allocation-free after construction.
/// </summary>
public sealed class FakePacketQueue : IPacketQueue
{
    // The kernel charges every queued skb far more than this; it only sizes the ring's entry table.
    private const int MinBytesPerPacket = 256;

    private readonly SlotRing _inbound;
    private readonly SlotRing _outbound;
    private long _written;
    private long _dropped;

    private FakePacketQueue(SlotRing inbound, SlotRing outbound, string name, FakeQueueOptions options)
    {
        _inbound = inbound;
        _outbound = outbound;
        Name = name;
        IsEthernet = options.IsEthernet;
        MaxPacketSize = options.MaxPacketSize;
        VnetHeaderSize = options.VnetHeaderSize;
        BatchSize = options.BatchSize;
    }

    /// <summary>Two connected queues: <c>A.Write</c> arrives at <c>B.Read</c> and the other way round.</summary>
    public static (FakePacketQueue A, FakePacketQueue B) CreatePair(string nameA = "fake0", string nameB = "fake1", FakeQueueOptions? options = null)
    {
        options ??= new FakeQueueOptions();
        var aToB = NewRing(options);
        var bToA = NewRing(options);
        return (new FakePacketQueue(bToA, aToB, nameA, options), new FakePacketQueue(aToB, bToA, nameB, options));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool IsEthernet { get; }

    /// <inheritdoc/>
    public int MaxPacketSize { get; }

    /// <inheritdoc/>
    public int VnetHeaderSize { get; }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public SafeHandle PollHandle => _inbound.WakeHandle;

    /// <summary>Packets this end wrote that reached the other end.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Packets this end wrote that were dropped (the other end's queue was full or closed, or the packet empty).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc/>
    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        while (!buffers.IsEmpty && !sizes.IsEmpty && !_inbound.IsShutdown)
        {
            var n = TryRead(buffers, sizes, offset);
            if (n > 0)
            {
                return n;
            }
            _inbound.WaitReadable(Timeout.Infinite);
        }
        return 0;
    }

    /// <inheritdoc/>
    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var max = Math.Min(buffers.Length, sizes.Length);
        var count = 0;
        while (count < max && !_inbound.IsShutdown && _inbound.TryPop(buffers[count].Span[offset..], out var n, out _, out _))
        {
            // A packet longer than the buffer is cut to it, as a tun read cuts.
            sizes[count] = n < 0 ? buffers[count].Length - offset : n;
            count++;
        }
        if (count == 0 && _inbound.IsWritingCompleted && !_inbound.IsShutdown && _inbound.Count == 0)
        {
            throw new PacketIOException($"cannot read from fake device '{Name}': the other end was closed", Name, 0);
        }
        return count;
    }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        var accepted = 0;
        foreach (var p in packets)
        {
            var packet = p.Span[offset..];
            // tun refuses an empty write too
            if (!packet.IsEmpty && _outbound.TryPush(packet, default, default))
            {
                accepted++;
            }
        }
        Interlocked.Add(ref _written, accepted);
        Interlocked.Add(ref _dropped, packets.Length - accepted);
        return accepted;
    }

    /// <inheritdoc/>
    public void Shutdown() => _inbound.Shutdown();

    /// <inheritdoc/>
    public void Dispose()
    {
        Shutdown();
        _outbound.CompleteWriting();
        _inbound.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static SlotRing NewRing(FakeQueueOptions options)
    {
        var bytes = Math.Max(1, options.QueueBytes);
        return new SlotRing(Math.Max(16, bytes / MinBytesPerPacket), Math.Min(bytes, 65536 + options.VnetHeaderSize), bytes);
    }
}

using SharpTun.IO;

namespace SharpTun.Packets.Offload;

/// <summary>
/// The read side of a tun device, with or without a virtio-net header, for every engine (the
/// relay and WireGuard): reads a batch and turns it into a list of wire-sized IP packets, each at
/// <see cref="PacketOffset"/> in its own slot, so the caller can put its header in front and its
/// tag behind and work in place.
/// <code>
///  device.Read ─▶ read slots [header|packet] ─┬─ no header / plain header ─▶ work list (where it lies)
///                                             ├─ NEEDS_CSUM only ─ complete in place ─▶ work list
///                                             └─ TSO/USO ─ GsoSplitter ─▶ segment slots ─▶ work list
/// </code>
/// Usage: <c>if (reader.Read() &gt; 0) while (reader.Next()) send(reader.Packets, reader.Lengths);</c>.
/// <see cref="Next"/> stops early when the segment slots are full (a super-packet of a small MSS):
/// the caller sends what is ready, then calls <see cref="Next"/> again, which reuses the slots and
/// goes on with the packet that did not fit (or calls <see cref="Abandon"/> to drop the rest).
/// A packet the offload code refuses is dropped and counted by cause in <see cref="Errors"/>.
/// <para>Not thread-safe: one reader per reading thread. Buffers are allocated once, at
/// construction; reading and expanding allocate nothing.</para>
/// </summary>
public sealed class TunOffloadReader
{
    /// <summary>
    /// Reads per batch with a virtio-net header: each may be a 64 KB super-packet. 4 × 64 KB of
    /// 1448-byte segments is ~180 packets, inside <see cref="SegmentSlots"/>: a full batch of
    /// common-MSS super-packets needs no mid-batch flush.
    /// </summary>
    public const int SuperPacketBatch = 4;

    /// <summary>Segment slots per reader (with a virtio-net header); a full set is handed over and reused.</summary>
    public const int SegmentSlots = 256;

    private readonly IPacketQueue _device;
    private readonly int _vnet;
    private readonly Memory<byte>[] _buffers;
    private readonly int[] _sizes;
    private readonly Memory<byte>[] _segments;
    private readonly Memory<byte>[] _segmentTargets;
    private readonly int[] _segmentSizes;
    private readonly Memory<byte>[] _work;
    private readonly int[] _workLengths;
    private int _workCount;
    private int _segmentsUsed;
    private int _count;
    private int _next;

    /// <summary>Creates a reader of <paramref name="device"/> with its slots.</summary>
    /// <param name="device">The tun queue (its <see cref="IPacketQueue.VnetHeaderSize"/> says whether reads carry a header).</param>
    /// <param name="headroom">Bytes kept free in front of every packet (a protocol header); the packet offset is at least the virtio-net header size.</param>
    /// <param name="maxPacket">The largest packet a read slot takes (without the header): the device's MTU, or 65535 for super-packets or an MTU that may grow.</param>
    /// <param name="maxSegment">With a header: the largest packet a segment slot takes (the wire MTU); a larger segment is refused (<see cref="OffloadError.BufferTooSmall"/>).</param>
    /// <param name="tailroom">Bytes kept free behind the largest packet in every slot (padding, an authentication tag).</param>
    /// <param name="plainBatch">Reads per batch without a header; 0 for the device's <see cref="IPacketQueue.BatchSize"/>.</param>
    /// <param name="errors">Where refusals are counted by cause (shared with the caller's statistics), or null for a counter of its own.</param>
    public TunOffloadReader(IPacketQueue device, int headroom, int maxPacket, int maxSegment = 0, int tailroom = 0, int plainBatch = 0,
        OffloadErrorCounters? errors = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        ArgumentOutOfRangeException.ThrowIfNegative(tailroom);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacket, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacket, TunOffload.MaxSuperPacket);
        _device = device;
        _vnet = device.VnetHeaderSize;
        PacketOffset = Math.Max(headroom, _vnet);
        ReadOffset = PacketOffset - _vnet;
        Errors = errors ?? new OffloadErrorCounters();
        var batch = _vnet > 0 ? SuperPacketBatch : Math.Max(1, plainBatch > 0 ? plainBatch : device.BatchSize);
        _buffers = Slots(batch, PacketOffset + maxPacket + tailroom, 0);
        _sizes = new int[batch];
        if (_vnet > 0)
        {
            if (maxSegment is < 68 or > TunOffload.MaxSuperPacket)
            {
                throw new ArgumentOutOfRangeException(nameof(maxSegment), maxSegment,
                    $"device '{device.Name}' has a virtio-net header: a segment slot takes 68 (the IPv4 minimum MTU) to 65535 bytes");
            }
            _segments = Slots(SegmentSlots, PacketOffset + maxSegment + tailroom, 0);
            // The splitter fills a segment slot only up to where the tailroom starts.
            _segmentTargets = Slots(SegmentSlots, 0, tailroom, _segments);
            _segmentSizes = new int[SegmentSlots];
        }
        else
        {
            _segments = _segmentTargets = [];
            _segmentSizes = [];
        }
        _work = new Memory<byte>[batch + _segments.Length];
        _workLengths = new int[_work.Length];
    }

    /// <summary>The most packets one read can become (<see cref="Packets"/> never holds more): a batch plus the segment slots.</summary>
    public int Capacity => _work.Length;

    /// <summary>The same as <see cref="Capacity"/> for a reader of <paramref name="device"/> with <paramref name="plainBatch"/> (0: the device's batch), before one exists.</summary>
    public static int CapacityFor(IPacketQueue device, int plainBatch = 0)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.VnetHeaderSize > 0 ? SuperPacketBatch + SegmentSlots : Math.Max(1, plainBatch > 0 ? plainBatch : device.BatchSize);
    }

    /// <summary>Reads per batch: <see cref="SuperPacketBatch"/> with a virtio-net header, else the plain batch.</summary>
    public int BatchSize => _buffers.Length;

    /// <summary>Where each packet starts in its slot: at least the headroom asked for.</summary>
    public int PacketOffset { get; }

    /// <summary>Where a read is placed in a read slot: <see cref="PacketOffset"/> less the virtio-net header.</summary>
    public int ReadOffset { get; }

    /// <summary>Refusals by cause, over the reader's life.</summary>
    public OffloadErrorCounters Errors { get; }

    /// <summary>The packets ready to send, in read order: packet <c>i</c> is <c>Packets[i].Span.Slice(PacketOffset, Lengths[i])</c>; the slot goes on behind it (tailroom).</summary>
    public ReadOnlySpan<Memory<byte>> Packets => _work.AsSpan(0, _workCount);

    /// <summary>The lengths of <see cref="Packets"/>.</summary>
    public ReadOnlySpan<int> Lengths => _workLengths.AsSpan(0, _workCount);

    /// <summary>Reads of the current batch not taken yet: the one that did not fit in the segment slots and those behind it.</summary>
    public int Remaining => _count - _next;

    /// <summary>Super-packets split in the current batch.</summary>
    public int SuperPacketsSplit { get; private set; }

    /// <summary>Segments those super-packets became.</summary>
    public int SegmentsSplit { get; private set; }

    /// <summary>Reads of the current batch refused (malformed header or packet), each counted by cause in <see cref="Errors"/>.</summary>
    public int Refused { get; private set; }

    /// <summary>Waits for a batch from the device and starts it (see <see cref="Next"/>); returns how many reads came, 0 once the device was shut down.</summary>
    public int Read() => Start(_device.Read(_buffers, _sizes, ReadOffset));

    /// <summary>Like <see cref="Read"/> without waiting: 0 when nothing is queued.</summary>
    public int TryRead() => Start(_device.TryRead(_buffers, _sizes, ReadOffset));

    private int Start(int count)
    {
        _count = Math.Max(0, count);
        _next = 0;
        _workCount = 0;
        _segmentsUsed = 0;
        SuperPacketsSplit = SegmentsSplit = Refused = 0;
        return count;
    }

    /// <summary>
    /// Frees the packets handed out last and fills <see cref="Packets"/> with the next ones: up to the
    /// end of the batch, or until the segment slots are full. False when the batch is done and nothing is left.
    /// </summary>
    public bool Next()
    {
        _workCount = 0;
        _segmentsUsed = 0;
        while (_next < _count)
        {
            if (!Take(_next))
            {
                // The segment slots are full: hand over what is ready, this read is taken again next time.
                return true;
            }
            _next++;
        }
        return _workCount > 0;
    }

    /// <summary>Ends the current batch without taking the rest; returns how many reads that dropped (the caller counts them).</summary>
    public int Abandon()
    {
        var dropped = Remaining;
        _next = _count;
        _workCount = 0;
        _segmentsUsed = 0;
        return dropped;
    }

    /// <summary>Takes read <paramref name="i"/> into the work list; false (nothing taken) when its segments do not fit behind those already there.</summary>
    private bool Take(int i)
    {
        var length = _sizes[i] - _vnet;
        var slot = _buffers[i];
        if (length <= 0)
        {
            if (length < 0)
            {
                Refuse(OffloadError.HeaderTooShort);
            }
            return true;
        }
        if (_vnet == 0)
        {
            Add(slot, length);
            return true;
        }
        var span = slot.Span;
        if (!VirtioNetHeader.TryRead(span[ReadOffset..], out var header))
        {
            Refuse(OffloadError.HeaderTooShort);
            return true;
        }
        if (TunOffload.IsPlain(header))
        {
            Add(slot, length);
            return true;
        }
        var packet = span.Slice(PacketOffset, length);
        if (!header.IsGso)
        {
            var error = GsoSplitter.CompleteChecksum(packet, header);
            if (error != OffloadError.None)
            {
                Refuse(error);
                return true;
            }
            Add(slot, length);
            return true;
        }
        var result = GsoSplitter.Split(packet, header, _segmentTargets.AsSpan(_segmentsUsed), _segmentSizes.AsSpan(_segmentsUsed), PacketOffset, out var n);
        if (result == OffloadError.TooFewBuffers && _segmentsUsed > 0)
        {
            return false;
        }
        if (result != OffloadError.None)
        {
            Refuse(result);
            return true;
        }
        for (var s = 0; s < n; s++)
        {
            Add(_segments[_segmentsUsed + s], _segmentSizes[_segmentsUsed + s]);
        }
        _segmentsUsed += n;
        SuperPacketsSplit++;
        SegmentsSplit += n;
        return true;
    }

    private void Add(Memory<byte> slot, int length)
    {
        _work[_workCount] = slot;
        _workLengths[_workCount++] = length;
    }

    private void Refuse(OffloadError error)
    {
        Errors.Add(error);
        Refused++;
    }

    /// <summary>
    /// <paramref name="count"/> slots of <paramref name="length"/> bytes, 16-byte aligned in one pinned block; or, given
    /// <paramref name="sameAs"/>, views of its slots without their last <paramref name="cut"/> bytes.
    /// </summary>
    private static Memory<byte>[] Slots(int count, int length, int cut, Memory<byte>[]? sameAs = null)
    {
        var slots = new Memory<byte>[count];
        if (sameAs is not null)
        {
            for (var i = 0; i < count; i++)
            {
                slots[i] = sameAs[i][..(sameAs[i].Length - cut)];
            }
            return slots;
        }
        var stride = (length + 15) & ~15;
        var block = GC.AllocateUninitializedArray<byte>(count * stride, pinned: true);
        for (var i = 0; i < count; i++)
        {
            slots[i] = block.AsMemory(i * stride, length);
        }
        return slots;
    }
}

using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// Packets read from the device back to back in one buffer, each with 2 bytes of headroom in
/// front: a stream transport writes its length prefixes there and sends the whole run with one
/// send(2); a datagram transport sends each packet as it lies. Allocated once per relay.
/// </summary>
public sealed class PacketBatch
{
    /// <summary>Room reserved in front of every packet.</summary>
    public const int Headroom = LengthPrefixFraming.HeaderSize;

    // Every read offers a whole 65535-byte slot, so the kernel never truncates a packet.
    private const int SlotSize = LengthPrefixFraming.MaxPacketLength;

    private readonly byte[] _buffer;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private int _end;

    /// <summary>Creates a batch of at most <paramref name="maxPackets"/> packets in a buffer of <paramref name="bufferSize"/> bytes (at least one slot).</summary>
    public PacketBatch(int maxPackets = 64, int bufferSize = 4 * (SlotSize + Headroom))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPackets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, SlotSize + Headroom);
        _buffer = new byte[bufferSize];
        _offsets = new int[maxPackets];
        _lengths = new int[maxPackets];
    }

    /// <summary>The packets held.</summary>
    public int Count { get; private set; }

    /// <summary>Total packet bytes held (without headroom).</summary>
    public long Bytes { get; private set; }

    /// <summary>True when another full-size read fits.</summary>
    public bool HasRoom => Count < _offsets.Length && _buffer.Length - _end - Headroom >= SlotSize;

    /// <summary>Where the next packet goes.</summary>
    public Span<byte> NextSlot => _buffer.AsSpan(_end + Headroom, SlotSize);

    /// <summary>Takes the <paramref name="length"/> bytes just read into <see cref="NextSlot"/>.</summary>
    public void Commit(int length)
    {
        _offsets[Count] = _end + Headroom;
        _lengths[Count] = length;
        Count++;
        Bytes += length;
        _end += Headroom + length;
    }

    /// <summary>Packet <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Packet(int index) => _buffer.AsSpan(_offsets[index], _lengths[index]);

    /// <summary>Packet <paramref name="index"/> with its headroom in front (for writing a prefix).</summary>
    public Span<byte> PacketWithHeadroom(int index) => _buffer.AsSpan(_offsets[index] - Headroom, _lengths[index] + Headroom);

    /// <summary>Everything from the first headroom to the end of the last packet.</summary>
    public ReadOnlySpan<byte> Contiguous => _buffer.AsSpan(0, _end);

    internal ReadOnlySpan<byte> Buffer => _buffer;

    internal ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, Count);

    internal ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

    /// <summary>Empties the batch.</summary>
    public void Clear()
    {
        Count = 0;
        Bytes = 0;
        _end = 0;
    }
}

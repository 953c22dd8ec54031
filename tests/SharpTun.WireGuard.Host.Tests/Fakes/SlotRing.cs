namespace SharpTun.WireGuard.Host.Tests;

/// <summary>A fixed ring of pre-allocated byte slots (no allocation after construction); single-threaded use.</summary>
internal sealed class SlotRing
{
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly NetEndpoint[] _tags;
    private int _head;

    internal SlotRing(int capacity, int slotSize)
    {
        _slots = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _slots[i] = new byte[slotSize];
        }
        _lengths = new int[capacity];
        _tags = new NetEndpoint[capacity];
    }

    internal int Count { get; private set; }

    internal void Push(ReadOnlySpan<byte> data, NetEndpoint tag = default)
    {
        if (Count == _slots.Length)
        {
            throw new InvalidOperationException("fake ring is full");
        }
        var i = (_head + Count) % _slots.Length;
        data.CopyTo(_slots[i]);
        _lengths[i] = data.Length;
        _tags[i] = tag;
        Count++;
    }

    /// <summary>Copies the oldest entry into <paramref name="destination"/>; returns its length (−1 if it did not fit).</summary>
    internal int Pop(Span<byte> destination, out NetEndpoint tag)
    {
        var n = _lengths[_head];
        tag = _tags[_head];
        var fits = n <= destination.Length;
        if (fits)
        {
            _slots[_head].AsSpan(0, n).CopyTo(destination);
        }
        _head = (_head + 1) % _slots.Length;
        Count--;
        return fits ? n : -1;
    }

    internal byte[] PopArray()
    {
        var buffer = new byte[65536];
        var n = Pop(buffer, out _);
        return buffer.AsSpan(0, n).ToArray();
    }
}

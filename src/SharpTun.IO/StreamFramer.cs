namespace SharpTun.IO;

/// <summary>
/// Framed output waiting for a stream: messages are appended as <see cref="StreamFraming"/> frames
/// into one bounded buffer; the caller writes <see cref="Pending"/> to the stream and reports what
/// it took with <see cref="Consumed"/>. What the stream did not take stays, in order, until it does;
/// when the buffer is full an append says no (the caller drops, like a full datagram queue).
/// The buffer is the caller's (a relay's, reused by connection after connection) or allocated on the
/// first append and dropped by <see cref="Release"/> (a connection that never sends costs nothing).
/// Pure; one thread at a time (the caller locks when several send); allocates only that first buffer.
/// </summary>
public sealed class StreamFramer
{
    private readonly int _capacity;
    private readonly bool _owned;
    private byte[]? _buffer;
    private int _start;
    private int _end;

    /// <summary>Output in <paramref name="buffer"/> (at least one frame's worth).</summary>
    public StreamFramer(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, StreamFraming.HeaderSize + 1, nameof(buffer));
        _buffer = buffer;
        _capacity = buffer.Length;
    }

    /// <summary>Output in a buffer of <paramref name="capacity"/> bytes, allocated by the first <see cref="TryAppend"/>.</summary>
    public StreamFramer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, StreamFraming.HeaderSize + 1);
        _capacity = capacity;
        _owned = true;
    }

    /// <summary>The most bytes of frames that can wait.</summary>
    public int Capacity => _capacity;

    /// <summary>True while framed bytes wait for the stream.</summary>
    public bool HasPending => _end > _start;

    /// <summary>The framed bytes waiting, oldest first.</summary>
    public ReadOnlySpan<byte> Pending => _buffer.AsSpan(_start, _end - _start);

    /// <summary>
    /// Appends <paramref name="message"/> (1..<see cref="StreamFraming.MaxMessage"/> bytes) as one frame;
    /// false, and nothing appended, when the frame does not fit behind what waits.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> message)
    {
        var need = StreamFraming.HeaderSize + message.Length;
        if ((uint)(message.Length - 1) >= StreamFraming.MaxMessage)
        {
            StreamFraming.ThrowBadLength(message.Length);
        }
        var buffer = _buffer ??= new byte[_capacity];
        if (buffer.Length - _end < need)
        {
            if (buffer.Length - (_end - _start) < need)
            {
                return false;
            }
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }
        _end += StreamFraming.Encode(message, buffer.AsSpan(_end));
        return true;
    }

    /// <summary>Records that the stream took the first <paramref name="count"/> bytes of <see cref="Pending"/>.</summary>
    public void Consumed(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)(_end - _start), nameof(count));
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    /// <summary>Forgets what waits (the connection is gone).</summary>
    public void Clear() => _start = _end = 0;

    /// <summary>Forgets what waits and drops a buffer this framer allocated (the next append allocates again).</summary>
    public void Release()
    {
        Clear();
        if (_owned)
        {
            _buffer = null;
        }
    }
}

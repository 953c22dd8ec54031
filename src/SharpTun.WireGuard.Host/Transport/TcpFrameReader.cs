using System.Buffers.Binary;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Reassembles framed WireGuard messages (<see cref="TcpFraming"/>) from a byte stream read in
/// arbitrary pieces. The caller receives into <see cref="ReceiveSpace"/>, reports the count with
/// <see cref="Received"/>, then takes whole messages with <see cref="Next"/> until it says
/// <see cref="FrameStatus.NeedMore"/>. A frame that is not a plausible WireGuard message makes
/// <see cref="Next"/> return <see cref="FrameStatus.Invalid"/> (with <see cref="Problem"/>) for good:
/// the connection must be closed. Memory: the buffer given at construction until <see cref="Grow"/>
/// (a connection not yet answered keeps a small one: it may only carry handshake messages).
/// Pure; one thread; allocates only in <see cref="Grow"/>.
/// </summary>
internal sealed class TcpFrameReader
{
    /// <summary>Enough for one unanswered connection's traffic: a few handshake frames.</summary>
    internal const int UnansweredCapacity = 4 * (TcpFraming.HeaderSize + TcpFraming.MaxUnansweredMessage);

    /// <summary>Two largest frames: after compaction a partial frame always has room to complete.</summary>
    internal const int AnsweredCapacity = 2 * (TcpFraming.HeaderSize + TcpFraming.MaxMessage);

    private byte[] _buffer;
    private int _start;
    private int _end;

    internal TcpFrameReader(bool answered)
    {
        Answered = answered;
        _buffer = new byte[answered ? AnsweredCapacity : UnansweredCapacity];
    }

    /// <summary>Whether full-size data frames are accepted (we have sent on this connection).</summary>
    internal bool Answered { get; private set; }

    /// <summary>Why <see cref="Next"/> said <see cref="FrameStatus.Invalid"/>; null before.</summary>
    internal string? Problem { get; private set; }

    /// <summary>Bytes received but not yet taken as frames.</summary>
    internal int Buffered => _end - _start;

    /// <summary>Bytes of buffer this reader holds (the memory an idle connection costs).</summary>
    internal int Capacity => _buffer.Length;

    /// <summary>Accept data frames from now on and make room for the largest frame.</summary>
    internal void Grow()
    {
        if (Answered)
        {
            return;
        }
        Answered = true;
        var bigger = new byte[AnsweredCapacity];
        _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        _end -= _start;
        _start = 0;
        _buffer = bigger;
    }

    /// <summary>Where the next read goes (never empty while the reader is valid).</summary>
    internal Span<byte> ReceiveSpace()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && _buffer.Length - _end < _buffer.Length / 2)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        return _buffer.AsSpan(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into <see cref="ReceiveSpace"/>.</summary>
    internal void Received(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)(_buffer.Length - _end), nameof(count));
        _end += count;
    }

    /// <summary>Takes the next whole message: valid until the next call on this reader.</summary>
    internal FrameStatus Next(out ReadOnlySpan<byte> message)
    {
        message = default;
        if (Problem is not null)
        {
            return FrameStatus.Invalid;
        }
        var have = _end - _start;
        if (have < TcpFraming.HeaderSize)
        {
            return FrameStatus.NeedMore;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start));
        var body = _buffer.AsSpan(_start + TcpFraming.HeaderSize, Math.Min(have - TcpFraming.HeaderSize, length));
        if (TcpFraming.Check(length, body, Answered) is { } problem)
        {
            Problem = problem;
            return FrameStatus.Invalid;
        }
        if (body.Length < length)
        {
            return FrameStatus.NeedMore;
        }
        message = body;
        _start += TcpFraming.HeaderSize + length;
        return FrameStatus.Message;
    }
}

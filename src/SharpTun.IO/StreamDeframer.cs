using System.Buffers.Binary;

namespace SharpTun.IO;

/// <summary>
/// Takes <see cref="StreamFraming"/> frames out of a byte stream received in arbitrary pieces: several
/// frames per receive, a frame split across receives, a prefix split in two. The caller receives into
/// <see cref="ReceiveSpace"/>, reports the count with <see cref="Received"/>, then takes messages with
/// <see cref="Next"/> until it says <see cref="StreamFrameStatus.NeedMore"/>; only then does it receive again.
/// A length of 0 or above <see cref="MaxMessage"/>, or a frame the optional <see cref="IStreamFrameCheck"/>
/// refuses, is judged from the prefix (and the frame's first bytes) alone, before the body arrives, and
/// makes every later <see cref="Next"/> say <see cref="StreamFrameStatus.Invalid"/>: nothing after a bad
/// frame can be trusted, the connection must close. <see cref="Problem"/> names the peer and the cause.
/// <para>Memory: the caller's buffer (one per connection, or one shared by connections used in turn), at
/// least one largest frame long; twice that (<see cref="StreamFraming.TwoFrames"/>) or more keeps copies
/// rare: a partial frame moves to the front only when a largest frame would not fit behind it.
/// Pure; one thread; allocates nothing but the <see cref="Problem"/> text.</para>
/// </summary>
public sealed class StreamDeframer
{
    private readonly IStreamFrameCheck? _check;
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <summary>
    /// A deframer over <paramref name="buffer"/> accepting messages of 1..<paramref name="maxMessage"/> bytes
    /// from <paramref name="peer"/> (its name in <see cref="Problem"/>), judged further by <paramref name="check"/> when given.
    /// </summary>
    public StreamDeframer(byte[] buffer, int maxMessage, string peer, IStreamFrameCheck? check = null)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Validate(buffer, maxMessage);
        _buffer = buffer;
        _check = check;
        MaxMessage = maxMessage;
        Peer = peer;
    }

    /// <summary>The other end, as named in <see cref="Problem"/>.</summary>
    public string Peer { get; }

    /// <summary>The largest message accepted.</summary>
    public int MaxMessage { get; private set; }

    /// <summary>Why <see cref="Next"/> said <see cref="StreamFrameStatus.Invalid"/> (naming <see cref="Peer"/>); null before.</summary>
    public string? Problem { get; private set; }

    /// <summary>Bytes received but not yet taken as messages (a partial frame when the stream ends now).</summary>
    public int Buffered => _end - _start;

    /// <summary>Bytes of buffer in use (what an idle connection costs).</summary>
    public int Capacity => _buffer.Length;

    /// <summary>
    /// Accepts messages of up to <paramref name="maxMessage"/> bytes from now on, in <paramref name="buffer"/>
    /// (what is buffered moves there). Allocates nothing itself.
    /// </summary>
    public void Grow(byte[] buffer, int maxMessage)
    {
        Validate(buffer, maxMessage);
        if (buffer.Length < _end - _start)
        {
            throw new ArgumentException($"the new buffer ({buffer.Length} bytes) does not hold the {_end - _start} bytes buffered", nameof(buffer));
        }
        _buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
        _end -= _start;
        _start = 0;
        _buffer = buffer;
        MaxMessage = maxMessage;
    }

    /// <summary>Where the next receive goes. Messages taken before are no longer valid after this call.</summary>
    public Span<byte> ReceiveSpace()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0 && _buffer.Length - _end < StreamFraming.HeaderSize + MaxMessage)
        {
            // A largest frame might not fit behind the partial one: move it to the front.
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        return _buffer.AsSpan(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written at the start of <see cref="ReceiveSpace"/>.</summary>
    public void Received(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)(_buffer.Length - _end), nameof(count));
        _end += count;
    }

    /// <summary>
    /// Takes the next whole message (without its prefix), a slice of the buffer valid until the next
    /// <see cref="ReceiveSpace"/> or <see cref="Grow"/>.
    /// </summary>
    public StreamFrameStatus Next(out Memory<byte> message)
    {
        message = default;
        if (Problem is not null)
        {
            return StreamFrameStatus.Invalid;
        }
        var have = _end - _start;
        if (have < StreamFraming.HeaderSize)
        {
            return StreamFrameStatus.NeedMore;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start));
        var body = _start + StreamFraming.HeaderSize;
        var arrived = Math.Min(have - StreamFraming.HeaderSize, length);
        if (length == 0 || length > MaxMessage)
        {
            Problem = $"frame length {length} from {Peer} (valid: 1..{MaxMessage})";
            return StreamFrameStatus.Invalid;
        }
        if (_check is { } check && check.Check(length, _buffer.AsSpan(body, Math.Min(arrived, check.StartBytes))) is { } reason)
        {
            Problem = $"frame from {Peer} refused: {reason}";
            return StreamFrameStatus.Invalid;
        }
        if (arrived < length)
        {
            return StreamFrameStatus.NeedMore;
        }
        message = _buffer.AsMemory(body, length);
        _start = body + length;
        return StreamFrameStatus.Message;
    }

    /// <summary>What the unfinished frame holds, in words (for "the stream ended inside a frame").</summary>
    public string DescribePartial()
    {
        var held = _end - _start;
        return held switch
        {
            0 => "no partial frame",
            1 => "1 byte of a length prefix",
            _ => $"length {BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start))}, {held - StreamFraming.HeaderSize} bytes received",
        };
    }

    private static void Validate(byte[] buffer, int maxMessage)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessage, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessage, StreamFraming.MaxMessage);
        if (buffer.Length < StreamFraming.HeaderSize + maxMessage)
        {
            throw new ArgumentException($"a {buffer.Length}-byte buffer cannot hold a frame of {maxMessage} bytes and its prefix", nameof(buffer));
        }
    }
}

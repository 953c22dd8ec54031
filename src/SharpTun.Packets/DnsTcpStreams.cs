using System.Buffers;
using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// DNS over TCP (RFC 1035 §4.2.2: each message after its 16-bit length) carried across segments, in
/// order, per direction: what tshark's reassembly shows, the segment that completes a message is that
/// message. A direct-mapped table of <see cref="Slots"/> directions, each with at most one message in
/// progress; a colliding direction drops it. After a gap (bytes not captured) the bytes that fall inside
/// the message in progress are taken as part of it, and reading goes on from its end; any other
/// segment out of order is read from its own start, as for a connection joined mid-stream. Memory is bounded: a slot's buffer grows to
/// with the bytes that arrive, to at most one message (2 + 65535 bytes), pooled, plus one message-sized
/// scratch: at most 64 × 64 KiB + 64 KiB. Not thread-safe.
/// </summary>
internal sealed class DnsTcpStreams
{
    private const int SlotBits = 6;
    private const int Slots = 1 << SlotBits;
    private const int MaxFramed = 2 + ushort.MaxValue;

    private readonly ulong[] _keys = new ulong[Slots];
    private readonly uint[] _next = new uint[Slots];
    private readonly int[] _filled = new int[Slots];
    private readonly uint[] _end = new uint[Slots];
    private readonly bool[] _skipping = new bool[Slots];
    private readonly byte[]?[] _buffers = new byte[Slots][];
    private byte[]? _message;

    /// <summary>
    /// Feeds one segment (non-empty payload, sequence number <paramref name="seq"/>) of the direction
    /// <paramref name="key"/>: <paramref name="completed"/> is the message it completes (valid until the
    /// next call), <paramref name="last"/> the last message it holds whole after that, and whether its
    /// first bytes belong to a message that lost bytes to a gap (tshark then summarizes it as TCP).
    /// </summary>
    internal DnsSegment Feed(ulong key, uint seq, ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> completed, out ReadOnlySpan<byte> last)
    {
        var result = DnsSegment.None;
        completed = default;
        last = default;
        // Fibonacci hashing: the key's low bits alone tell flows of neighbouring ports apart poorly.
        var slot = (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - SlotBits));
        var data = payload;
        if (_keys[slot] == key && (_filled[slot] > 0 || _skipping[slot]))
        {
            if (_next[slot] == seq && !_skipping[slot])
            {
                if (!Continue(slot, seq, ref data, out var length))
                {
                    _next[slot] = seq + (uint)payload.Length;
                    return result; // still short of a whole message: nothing more in this segment
                }
                completed = _message.AsSpan(0, length);
                result |= DnsSegment.Completed;
            }
            else if (_skipping[slot] || _filled[slot] >= 2)
            {
                // A gap (bytes not captured) inside a message of known length: tshark holds what falls
                // inside it as part of that message, and reads on from its end.
                var inside = _end[slot] - seq;
                _filled[slot] = 0;
                _skipping[slot] = false;
                if (inside is > 0 and <= MaxFramed)
                {
                    result |= DnsSegment.GapPart;
                    if (inside >= (uint)payload.Length)
                    {
                        _skipping[slot] = true;
                        return result;
                    }
                    data = payload[(int)inside..];
                }
            }
        }
        // From a message boundary: whole messages, then perhaps the start of one more.
        while (data.Length >= 2 && 2 + BinaryPrimitives.ReadUInt16BigEndian(data) <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(data);
            last = data.Slice(2, length);
            result |= DnsSegment.Whole;
            data = data[(2 + length)..];
        }
        _keys[slot] = key;
        _filled[slot] = data.Length;
        _skipping[slot] = false;
        if (!data.IsEmpty)
        {
            var start = seq + (uint)(payload.Length - data.Length);
            var buffer = Grow(slot, Math.Max(data.Length, 2));
            data.CopyTo(buffer);
            _next[slot] = seq + (uint)payload.Length;
            if (data.Length >= 2)
            {
                _end[slot] = start + 2u + BinaryPrimitives.ReadUInt16BigEndian(data);
            }
        }
        return result;
    }

    /// <summary>
    /// Appends the in-order segment to the slot's message; true when it completes it: the message is then
    /// in <see cref="_message"/> (<paramref name="length"/> bytes) and <paramref name="data"/> is what follows it.
    /// </summary>
    private bool Continue(int slot, uint seq, ref ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        var buffer = _buffers[slot]!;
        var filled = _filled[slot];
        var start = seq - (uint)filled;
        if (filled < 2)
        {
            var take = Math.Min(2 - filled, data.Length);
            data[..take].CopyTo(buffer.AsSpan(filled));
            filled += take;
            data = data[take..];
            _filled[slot] = filled;
            if (filled < 2)
            {
                return false;
            }
        }
        var need = 2 + BinaryPrimitives.ReadUInt16BigEndian(buffer);
        _end[slot] = start + (uint)need;
        var more = Math.Min(need - filled, data.Length);
        buffer = Grow(slot, filled + more); // as the bytes arrive, not as the length claims
        data[..more].CopyTo(buffer.AsSpan(filled));
        filled += more;
        data = data[more..];
        _filled[slot] = filled;
        if (filled < need)
        {
            return false;
        }
        // Copied out: the slot's buffer may take the next message's first bytes.
        _message ??= new byte[ushort.MaxValue];
        buffer.AsSpan(2, need - 2).CopyTo(_message);
        length = need - 2;
        _filled[slot] = 0;
        return true;
    }

    private byte[] Grow(int slot, int length)
    {
        var buffer = _buffers[slot];
        if (buffer is null || buffer.Length < length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxFramed, Math.Max(length, Math.Max(512, (buffer?.Length ?? 0) * 2))));
            if (buffer is not null)
            {
                buffer.AsSpan(0, Math.Min(buffer.Length, _filled[slot])).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
            }
            _buffers[slot] = buffer = bigger;
        }
        return buffer;
    }
}

/// <summary>What a DNS-port segment holds, for its summary.</summary>
[Flags]
internal enum DnsSegment
{
    /// <summary>Only part of a message.</summary>
    None = 0,
    /// <summary>The end of a message begun in earlier segments.</summary>
    Completed = 1,
    /// <summary>At least one whole message (after the completed one, if any).</summary>
    Whole = 2,
    /// <summary>First bytes of a message that lost bytes to a gap.</summary>
    GapPart = 4,
}

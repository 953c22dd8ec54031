using System.Buffers.Binary;

namespace SharpTun.IO;

/// <summary>
/// The one stream framing of SharpTun: every message travels as a 2-byte big-endian length
/// followed by exactly that many bytes (simpletun's framing, and the WireGuard TCP fallback's,
/// which frames each WireGuard message unchanged). No handshake, type field or padding; a length
/// of 0 never occurs (no packet or message is empty) and is a protocol error. Pure.
/// <see cref="StreamFramer"/> queues framed output, <see cref="StreamDeframer"/> takes frames out of a received stream.
/// </summary>
public static class StreamFraming
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int HeaderSize = 2;

    /// <summary>The largest message the 16-bit prefix can announce.</summary>
    public const int MaxMessage = ushort.MaxValue;

    /// <summary>Writes prefix and <paramref name="message"/> (1..<see cref="MaxMessage"/> bytes) at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        if ((uint)(message.Length - 1) >= MaxMessage)
        {
            ThrowBadLength(message.Length);
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)message.Length);
        message.CopyTo(destination[HeaderSize..]);
        return HeaderSize + message.Length;
    }

    /// <summary>Bytes of buffer that always hold a partial frame of up to <paramref name="maxMessage"/> bytes and one more whole frame.</summary>
    public static int TwoFrames(int maxMessage) => 2 * (HeaderSize + maxMessage);

    internal static void ThrowBadLength(int length) =>
        throw new ArgumentOutOfRangeException("message", length, $"a framed message is 1..{MaxMessage} bytes, got {length}");
}

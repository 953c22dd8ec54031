using System.Buffers.Binary;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The encrypted TCP fallback's wire format: each WireGuard message, unchanged, behind a 2-byte
/// big-endian length. Only whole, plausible WireGuard messages pass <see cref="Check"/>: a length
/// of a real message kind (initiation 148, response 92, cookie reply 64, data ≥ 32 in steps of 16)
/// with that kind's type word; anything else is a reason to close the connection. Pure.
/// </summary>
internal static class TcpFraming
{
    /// <summary>Bytes of the length prefix.</summary>
    internal const int HeaderSize = 2;

    /// <summary>The largest message a frame carries (the length field's range).</summary>
    internal const int MaxMessage = ushort.MaxValue;

    /// <summary>
    /// The largest frame a connection not yet answered or confirmed may carry: a handshake, or one data
    /// message of a tunnel MTU up to ~2000 (a client with a live session reconnecting sends data first).
    /// </summary>
    internal const int MaxUnansweredMessage = 2048;

    /// <summary>Writes <paramref name="message"/> framed at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    internal static int Write(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        if ((uint)message.Length > MaxMessage)
        {
            throw new ArgumentException($"a framed WireGuard message is at most {MaxMessage} bytes, got {message.Length}", nameof(message));
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)message.Length);
        message.CopyTo(destination[HeaderSize..]);
        return HeaderSize + message.Length;
    }

    /// <summary>
    /// Judges a frame from its length and (when at least 4 bytes of it are known) its type word.
    /// <paramref name="answered"/>: whether we have sent on this connection or the interface authenticated
    /// a message from it (before that frames are at most <see cref="MaxUnansweredMessage"/> bytes). Returns null when plausible, else the reason in words.
    /// </summary>
    internal static string? Check(int length, ReadOnlySpan<byte> start, bool answered)
    {
        var handshakeLength = length is WireGuardConstants.InitiationSize or WireGuardConstants.ResponseSize or WireGuardConstants.CookieReplySize;
        var dataLength = length >= WireGuardConstants.DataMinimumSize && length % WireGuardConstants.PaddingMultiple == 0;
        if (!handshakeLength && !dataLength)
        {
            return $"frame length {length} is not the length of any WireGuard message";
        }
        if (!answered && length > MaxUnansweredMessage)
        {
            return $"a {length}-byte frame before the connection was answered (at most {MaxUnansweredMessage} bytes until then)";
        }
        if (start.Length < 4)
        {
            return null;
        }
        var type = BinaryPrimitives.ReadUInt32LittleEndian(start);
        var fits = type switch
        {
            1 => length == WireGuardConstants.InitiationSize,
            2 => length == WireGuardConstants.ResponseSize,
            3 => length == WireGuardConstants.CookieReplySize,
            4 => dataLength,
            _ => false,
        };
        return fits ? null : $"a {length}-byte frame carries type word 0x{type:x8}, not a WireGuard message of that length";
    }
}

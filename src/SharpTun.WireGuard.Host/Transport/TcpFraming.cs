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

    /// <summary>The largest frame a connection not yet answered by us may carry: a handshake initiation.</summary>
    internal const int MaxUnansweredMessage = WireGuardConstants.InitiationSize;

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
    /// <paramref name="answered"/>: whether we have sent on this connection (before that only handshake
    /// messages are accepted). Returns null when plausible, else the reason in words.
    /// </summary>
    internal static string? Check(int length, ReadOnlySpan<byte> start, bool answered)
    {
        var handshakeLength = length is WireGuardConstants.InitiationSize or WireGuardConstants.ResponseSize or WireGuardConstants.CookieReplySize;
        var dataLength = length >= WireGuardConstants.DataMinimumSize && length % WireGuardConstants.PaddingMultiple == 0;
        if (!handshakeLength && !dataLength)
        {
            return $"frame length {length} is not the length of any WireGuard message";
        }
        if (!answered && !handshakeLength)
        {
            return $"a {length}-byte frame before any handshake was answered on this connection (only handshake messages may come first)";
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
            4 => dataLength && answered,
            _ => false,
        };
        return fits ? null : $"a {length}-byte frame carries type word 0x{type:x8}, not a WireGuard message of that length{(type == 4 && !answered ? " (data before any handshake was answered)" : "")}";
    }
}

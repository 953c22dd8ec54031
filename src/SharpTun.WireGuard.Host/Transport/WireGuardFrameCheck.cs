using System.Buffers.Binary;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The encrypted TCP fallback's frames are <see cref="StreamFraming"/> frames, each holding one WireGuard
/// message unchanged. Beyond the deframer's length bound, only plausible WireGuard messages pass: a length
/// of a real message kind (initiation 148, response 92, cookie reply 64, data ≥ 32 in steps of 16) with
/// that kind's type word; anything else is a reason to close the connection. Pure, stateless.
/// </summary>
internal sealed class WireGuardFrameCheck : IStreamFrameCheck
{
    /// <summary>
    /// The largest frame a connection not yet answered or confirmed may carry: a handshake, or one data
    /// message of a tunnel MTU up to ~2000 (a client with a live session reconnecting sends data first).
    /// </summary>
    internal const int MaxUnansweredMessage = 2048;

    /// <summary>Two of the largest frames an unanswered connection may carry (its deframer's buffer).</summary>
    internal const int UnansweredCapacity = 2 * (StreamFraming.HeaderSize + MaxUnansweredMessage);

    /// <summary>Two largest frames (an answered connection's deframer buffer): a partial frame always has room to complete.</summary>
    internal const int AnsweredCapacity = 2 * (StreamFraming.HeaderSize + StreamFraming.MaxMessage);

    /// <summary>The one instance every connection shares.</summary>
    internal static readonly WireGuardFrameCheck Instance = new();

    private WireGuardFrameCheck()
    {
    }

    /// <summary>The type word.</summary>
    public int StartBytes => 4;

    /// <summary>Null when plausible, else the reason in words. Judged from the length and (once 4 bytes are in) the type word.</summary>
    public string? Check(int length, ReadOnlySpan<byte> start)
    {
        var handshakeLength = length is WireGuardConstants.InitiationSize or WireGuardConstants.ResponseSize or WireGuardConstants.CookieReplySize;
        var dataLength = length >= WireGuardConstants.DataMinimumSize && length % WireGuardConstants.PaddingMultiple == 0;
        if (!handshakeLength && !dataLength)
        {
            return $"frame length {length} is not the length of any WireGuard message";
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

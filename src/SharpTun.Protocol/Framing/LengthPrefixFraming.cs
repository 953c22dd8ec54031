using System.Buffers.Binary;

namespace SharpTun.Protocol.Framing;

/// <summary>
/// simpletun's stream framing: every packet travels as a 2-byte big-endian length followed by
/// exactly that many packet bytes; there is no handshake, no type field and no padding.
/// A length of 0 never occurs (a device never yields an empty packet) and is a protocol error.
/// </summary>
public static class LengthPrefixFraming
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int HeaderSize = 2;

    /// <summary>The largest length the 16-bit prefix can express.</summary>
    public const int MaxPacketLength = ushort.MaxValue;

    /// <summary>Writes the prefix for a packet of <paramref name="length"/> bytes into the first two bytes of <paramref name="destination"/>.</summary>
    public static void WriteHeader(Span<byte> destination, int length)
    {
        if ((uint)(length - 1) >= MaxPacketLength)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "a framed packet is 1..65535 bytes");
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
    }

    /// <summary>Writes prefix and packet into <paramref name="destination"/>; returns the bytes written (2 + packet length).</summary>
    public static int Encode(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        WriteHeader(destination, packet.Length);
        packet.CopyTo(destination[HeaderSize..]);
        return HeaderSize + packet.Length;
    }
}

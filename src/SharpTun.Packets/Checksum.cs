using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// The Internet checksum (RFC 1071): one's-complement sum of 16-bit big-endian words, an odd
/// trailing byte padded with zero, folded and complemented. Sums are accumulated in a
/// <see cref="uint"/>; every chunk passed to <see cref="Add"/> except the last must have even length.
/// </summary>
public static class Checksum
{
    /// <summary>Adds the 16-bit words of <paramref name="data"/> to <paramref name="sum"/> (unfolded).</summary>
    public static uint Add(ReadOnlySpan<byte> data, uint sum = 0)
    {
        ulong acc = sum;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            acc += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
        }
        if (i + 2 <= data.Length)
        {
            acc += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            i += 2;
        }
        if (i < data.Length)
        {
            acc += (uint)data[i] << 8;
        }
        // Fold 64 → 16 bits: end-around carry keeps the one's-complement sum intact.
        acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        var s = (uint)acc;
        s = (s & 0xFFFF) + (s >> 16);
        s = (s & 0xFFFF) + (s >> 16);
        return s;
    }

    /// <summary>Folds a running sum to 16 bits and complements it: the value to store in a checksum field.</summary>
    public static ushort Finish(uint sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    /// <summary>The checksum of <paramref name="data"/> (with its checksum field zeroed, for computing; as is, 0 means valid).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(data));

    /// <summary>The IPv4 pseudo-header sum (source, destination, zero, protocol, upper-layer length) for UDP/TCP.</summary>
    public static uint PseudoHeaderV4(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, int length)
    {
        var sum = Add(source[..4]);
        sum = Add(destination[..4], sum);
        return sum + protocol + (uint)length;
    }

    /// <summary>The IPv6 pseudo-header sum (RFC 8200 §8.1: source, destination, 32-bit length, next header) for UDP/TCP/ICMPv6.</summary>
    public static uint PseudoHeaderV6(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte nextHeader, int length)
    {
        var sum = Add(source[..16]);
        sum = Add(destination[..16], sum);
        return sum + (uint)(length >> 16) + (uint)(length & 0xFFFF) + nextHeader;
    }

    /// <summary>Checksum of an upper-layer message over the v4 (4-byte addresses) or v6 (16-byte) pseudo-header.</summary>
    public static ushort ComputeTransport(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, byte protocol, ReadOnlySpan<byte> message)
    {
        var pseudo = source.Length == 16
            ? PseudoHeaderV6(source, destination, protocol, message.Length)
            : PseudoHeaderV4(source, destination, protocol, message.Length);
        return Finish(Add(message, pseudo));
    }
}

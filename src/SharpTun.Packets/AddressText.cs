using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>Formats IPv4/IPv6 addresses from their wire bytes into a span (no <see cref="System.Net.IPAddress"/> per packet).</summary>
internal static class AddressText
{
    /// <summary>Dotted quad from 4 bytes.</summary>
    public static bool TryFormatIpv4(ReadOnlySpan<byte> address, Span<char> destination, out int written)
    {
        // Byte by byte rather than an interpolated TryWrite, which allocated on this path.
        var w = new CharWriter(destination);
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
            {
                w.Append('.');
            }
            w.Append(address[i]);
        }
        written = w.Ok ? w.Length : 0;
        return w.Ok;
    }

    /// <summary>RFC 5952 text from 16 bytes: lower-case hex, longest run (≥ 2) of zero groups as <c>::</c>, IPv4-mapped as <c>::ffff:a.b.c.d</c>.</summary>
    public static bool TryFormatIpv6(ReadOnlySpan<byte> address, Span<char> destination, out int written)
    {
        written = 0;
        if (BinaryPrimitives.ReadUInt64BigEndian(address) == 0 && BinaryPrimitives.ReadUInt32BigEndian(address[8..]) == 0xFFFF)
        {
            if (!"::ffff:".AsSpan().TryCopyTo(destination) || !TryFormatIpv4(address[12..], destination[7..], out var n))
            {
                return false;
            }
            written = 7 + n;
            return true;
        }
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 8; i++)
        {
            groups[i] = BinaryPrimitives.ReadUInt16BigEndian(address[(2 * i)..]);
        }
        int bestStart = -1, bestLen = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            var j = i;
            while (j < 8 && groups[j] == 0)
            {
                j++;
            }
            if (j - i > bestLen && j - i >= 2)
            {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        var pos = 0;
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                if (!Append(destination, ref pos, "::"))
                {
                    return false;
                }
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen && !Append(destination, ref pos, ":"))
            {
                return false;
            }
            if (!groups[i].TryFormat(destination[pos..], out var n, "x"))
            {
                return false;
            }
            pos += n;
        }
        written = pos;
        return true;
    }

    /// <summary>IPv4 (4 bytes) or IPv6 (16 bytes) by length.</summary>
    public static bool TryFormat(ReadOnlySpan<byte> address, Span<char> destination, out int written) =>
        address.Length == 4 ? TryFormatIpv4(address, destination, out written) : TryFormatIpv6(address, destination, out written);

    /// <summary>Allocating convenience for tests and messages.</summary>
    public static string Format(ReadOnlySpan<byte> address)
    {
        Span<char> s = stackalloc char[48];
        return TryFormat(address, s, out var n) ? new string(s[..n]) : "?";
    }

    private static bool Append(Span<char> destination, ref int pos, string text)
    {
        if (!text.AsSpan().TryCopyTo(destination[pos..]))
        {
            return false;
        }
        pos += text.Length;
        return true;
    }
}

using System.Buffers.Binary;
using SharpTun.IO;

namespace SharpTun.Linux.Interop;

/// <summary>
/// <c>struct sockaddr_in</c> (16 bytes) and <c>struct sockaddr_in6</c> (28 bytes) to and from
/// <see cref="NetEndpoint"/>, without allocation. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, what a
/// dual-stack socket reports for IPv4 peers) read as IPv4.
/// </summary>
internal static class SockAddr
{
    internal const int In4Size = 16;
    internal const int In6Size = 28;

    /// <summary>Room for either (sizeof(struct sockaddr_in6), rounded to 8).</summary>
    internal const int Space = 32;

    /// <summary>Reads a sockaddr_in/in6; unset when the family is neither.</summary>
    internal static NetEndpoint Read(ReadOnlySpan<byte> sa)
    {
        var family = BinaryPrimitives.ReadUInt16LittleEndian(sa);
        var port = BinaryPrimitives.ReadUInt16BigEndian(sa[2..]);
        return family switch
        {
            Libc.AF_INET => NetEndpoint.From(sa.Slice(4, 4), port),
            Libc.AF_INET6 => FromIn6(sa.Slice(8, 16), port),
            _ => default,
        };
    }

    /// <summary>An endpoint from 16 address bytes, IPv4 when they are IPv4-mapped.</summary>
    internal static NetEndpoint FromIn6(ReadOnlySpan<byte> address, ushort port) =>
        IsV4Mapped(address) ? NetEndpoint.From(address[12..], port) : NetEndpoint.From(address, port);

    /// <summary>
    /// Writes <paramref name="endpoint"/> for a socket of <paramref name="socketFamily"/> (IPv4 as
    /// mapped on an IPv6 socket); returns the length, or 0 when it cannot be expressed (IPv6 on an IPv4 socket).
    /// </summary>
    internal static int Write(Span<byte> sa, in NetEndpoint endpoint, int socketFamily)
    {
        Span<byte> address = stackalloc byte[16];
        var n = endpoint.WriteAddress(address);
        if (socketFamily == Libc.AF_INET)
        {
            if (n != 4)
            {
                return 0;
            }
            sa[..In4Size].Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(sa, Libc.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(sa[2..], endpoint.Port);
            address[..4].CopyTo(sa[4..]);
            return In4Size;
        }
        sa[..In6Size].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(sa, Libc.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(sa[2..], endpoint.Port);
        WriteIn6Address(sa.Slice(8, 16), address[..n]);
        return In6Size;
    }

    /// <summary>16 address bytes for an IPv6 socket: IPv6 as is, IPv4 as ::ffff:a.b.c.d.</summary>
    internal static void WriteIn6Address(Span<byte> destination, ReadOnlySpan<byte> address)
    {
        if (address.Length == 16)
        {
            address.CopyTo(destination);
            return;
        }
        destination[..10].Clear();
        destination[10] = 0xff;
        destination[11] = 0xff;
        address.CopyTo(destination[12..]);
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> a) =>
        a[..10].IndexOfAnyExcept((byte)0) < 0 && a[10] == 0xff && a[11] == 0xff;
}

using System.Buffers.Binary;

namespace SharpTun.WireGuard;

/// <summary>
/// TAI64N timestamps (12 bytes: big-endian 2^62 + 10 + Unix seconds, then big-endian nanoseconds),
/// as WireGuard puts them in initiations. Compared as raw bytes: big-endian order is time order.
/// </summary>
internal static class Tai64N
{
    /// <summary>Timestamp size in bytes.</summary>
    public const int Size = 12;

    private const ulong Base = 0x400000000000000a;

    /// <summary>Writes the TAI64N label of a UTC instant.</summary>
    public static void Write(DateTimeOffset time, Span<byte> destination)
    {
        var unixTicks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = (ulong)(unixTicks / TimeSpan.TicksPerSecond);
        var nanos = (uint)(unixTicks % TimeSpan.TicksPerSecond * 100);
        BinaryPrimitives.WriteUInt64BigEndian(destination, Base + seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], nanos);
    }

    /// <summary>True when <paramref name="a"/> is strictly later than <paramref name="b"/>.</summary>
    public static bool IsAfter(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a[..Size].SequenceCompareTo(b[..Size]) > 0;
}

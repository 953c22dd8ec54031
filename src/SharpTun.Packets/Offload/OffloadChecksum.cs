using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SharpTun.Packets.Offload;

/// <summary>
/// The RFC 1071 sum at memory speed, for whole 64 KB super-packets. The one's-complement sum is
/// independent of byte order (RFC 1071 §2(B)), so words are added in native order, 32 bits at a
/// time into 64-bit lanes (no carry is lost below 2^32 words), and the folded result is swapped
/// to network order once. Results equal <see cref="Checksum.Add"/> folded to 16 bits.
/// </summary>
internal static class OffloadChecksum
{
    /// <summary>The folded (16-bit, not complemented) sum of <paramref name="data"/> plus <paramref name="initial"/> (a network-order partial sum).</summary>
    public static uint Sum(ReadOnlySpan<byte> data, uint initial = 0)
    {
        ulong acc = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated && data.Length >= 64)
        {
            var lanes = Vector256<ulong>.Zero;
            var low = Vector256.Create(0xFFFF_FFFFUL);
            var words = MemoryMarshal.Cast<byte, Vector256<ulong>>(data);
            foreach (var v in words)
            {
                lanes += (v & low) + (v >> 32);
            }
            acc = lanes[0] + lanes[1];
            // Each lane gains under 2^33 per 32 bytes: no overflow below 2^30 iterations (32 GiB).
            acc = Fold(acc) + Fold(lanes[2] + lanes[3]);
            i = words.Length * 32;
        }
        for (; i + 8 <= data.Length; i += 8)
        {
            var v = MemoryMarshal.Read<ulong>(data[i..]);
            acc += (v & 0xFFFF_FFFF) + (v >> 32);
        }
        if (i + 4 <= data.Length)
        {
            acc += MemoryMarshal.Read<uint>(data[i..]);
            i += 4;
        }
        if (i + 2 <= data.Length)
        {
            acc += MemoryMarshal.Read<ushort>(data[i..]);
            i += 2;
        }
        if (i < data.Length)
        {
            // The odd byte is the high half of a network-order word: in native order that is
            // the low byte on little-endian machines.
            acc += BitConverter.IsLittleEndian ? data[i] : (uint)data[i] << 8;
        }
        var folded = (ushort)Fold(acc);
        if (BitConverter.IsLittleEndian)
        {
            folded = BinaryPrimitives.ReverseEndianness(folded);
        }
        return Fold((ulong)folded + initial);
    }

    /// <summary>The value to store in a checksum field for <paramref name="data"/> over the partial sum <paramref name="initial"/>.</summary>
    public static ushort Compute(ReadOnlySpan<byte> data, uint initial = 0) => (ushort)~Sum(data, initial);

    /// <summary>Folds a 64-bit one's-complement accumulator to 16 bits (end-around carries kept).</summary>
    public static uint Fold(ulong acc)
    {
        acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        acc = (acc & 0xFFFF_FFFF) + (acc >> 32);
        var s = (uint)acc;
        s = (s & 0xFFFF) + (s >> 16);
        s = (s & 0xFFFF) + (s >> 16);
        return s;
    }
}

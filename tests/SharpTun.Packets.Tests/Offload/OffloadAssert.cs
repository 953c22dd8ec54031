using System.Buffers.Binary;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>Checks of an IP packet by a computation independent of the offload code.</summary>
internal static class OffloadAssert
{
    /// <summary>IPv4 header checksum and TCP/UDP checksum verify (summing to 0 with the field in place); lengths match the bytes.</summary>
    public static void ChecksumsValid(ReadOnlySpan<byte> p)
    {
        int l4;
        byte protocol;
        ReadOnlySpan<byte> src, dst;
        if (p[0] >> 4 == 4)
        {
            l4 = (p[0] & 0x0F) * 4;
            Assert.Equal(p.Length, BinaryPrimitives.ReadUInt16BigEndian(p[2..]));
            Assert.Equal(0, Build.NaiveChecksum(p[..l4].ToArray()));
            protocol = p[9];
            src = p[12..16];
            dst = p[16..20];
        }
        else
        {
            l4 = 40;
            Assert.Equal(p.Length - 40, BinaryPrimitives.ReadUInt16BigEndian(p[4..]));
            protocol = p[6];
            src = p[8..24];
            dst = p[24..40];
        }
        if (protocol == 17)
        {
            Assert.Equal(p.Length - l4, BinaryPrimitives.ReadUInt16BigEndian(p[(l4 + 4)..]));
            Assert.NotEqual(0, BinaryPrimitives.ReadUInt16BigEndian(p[(l4 + 6)..]));
        }
        Assert.Equal(0, Checksum.ComputeTransport(src, dst, protocol, p[l4..]));
    }
}

using System.Buffers.Binary;

namespace SharpTun.Linux.Tests.IO;

/// <summary>Hand-built IPv4 ICMP echo packets and Ethernet framing, written independently of SharpTun.Packets.</summary>
internal static class Icmp
{
    /// <summary>An IPv4 ICMP echo request (or reply) of <c>p.Length</c> bytes with a payload pattern; checksums filled in.</summary>
    internal static void Build(Span<byte> p, byte[] src, byte[] dst, ushort id, ushort seq, bool reply = false)
    {
        p.Clear();
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)p.Length);
        BinaryPrimitives.WriteUInt16BigEndian(p[4..], seq);
        p[6] = 0x40; // DF
        p[8] = 64;
        p[9] = 1;
        src.CopyTo(p[12..]);
        dst.CopyTo(p[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(p[10..], Checksum(p[..20]));
        p[20] = reply ? (byte)0 : (byte)8;
        BinaryPrimitives.WriteUInt16BigEndian(p[24..], id);
        BinaryPrimitives.WriteUInt16BigEndian(p[26..], seq);
        for (var i = 28; i < p.Length; i++)
        {
            p[i] = (byte)(i + seq);
        }
        BinaryPrimitives.WriteUInt16BigEndian(p[22..], Checksum(p[20..]));
    }

    /// <summary>True when <paramref name="p"/> is an IPv4 ICMP echo reply.</summary>
    internal static bool IsEchoReply(ReadOnlySpan<byte> p) => p.Length >= 28 && p[0] >> 4 == 4 && p[9] == 1 && p[20] == 0;

    /// <summary>The echo sequence number of an IPv4 ICMP packet.</summary>
    internal static ushort Sequence(ReadOnlySpan<byte> p) => BinaryPrimitives.ReadUInt16BigEndian(p[26..]);

    /// <summary>Writes an Ethernet header (IPv4 ethertype) in front of an IP packet at <c>frame[14..]</c>.</summary>
    internal static void Frame(Span<byte> frame, byte[] dstMac, byte[] srcMac)
    {
        dstMac.CopyTo(frame);
        srcMac.CopyTo(frame[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x0800);
    }

    // RFC 1071 one's-complement sum, written here independently of SharpTun.Packets (the tests' judge).
    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += (uint)(data[i] << 8 | data[i + 1]);
        }
        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}

using System.Buffers.Binary;
using System.Net;

namespace SharpTun.WireGuard.Tests;

/// <summary>Builds inner IP packets for tunnel tests.</summary>
internal static class TestPackets
{
    /// <summary>An IPv4/UDP-like packet of exactly <paramref name="length"/> bytes (≥ 20) with a payload pattern.</summary>
    internal static byte[] Ipv4(string source, string destination, int length, byte fill = 0xA5)
    {
        var p = new byte[length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)length);
        p[8] = 64;
        p[9] = 17;
        IPAddress.Parse(source).TryWriteBytes(p.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(p.AsSpan(16), out _);
        for (var i = 20; i < length; i++)
        {
            p[i] = (byte)(fill + i);
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Checksum(p.AsSpan(0, 20)));
        return p;
    }

    /// <summary>An IPv6 packet of <paramref name="length"/> bytes (≥ 40).</summary>
    internal static byte[] Ipv6(string source, string destination, int length)
    {
        var p = new byte[length];
        p[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), (ushort)(length - 40));
        p[6] = 59;
        p[7] = 64;
        IPAddress.Parse(source).TryWriteBytes(p.AsSpan(8), out _);
        IPAddress.Parse(destination).TryWriteBytes(p.AsSpan(24), out _);
        return p;
    }

    internal static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }
        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}

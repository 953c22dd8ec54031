using System.Buffers.Binary;
using System.Net;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>Test IP packets: an IPv4 ICMP echo with a payload, correct header checksum.</summary>
internal static class Packets
{
    internal static byte[] Echo(string source, string destination, int payload = 56, ushort sequence = 1, byte type = 8)
    {
        var p = new byte[20 + 8 + payload];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)p.Length);
        p[8] = 64;
        p[9] = 1;
        IPAddress.Parse(source).TryWriteBytes(p.AsSpan(12, 4), out _);
        IPAddress.Parse(destination).TryWriteBytes(p.AsSpan(16, 4), out _);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Checksum(p.AsSpan(0, 20)));
        p[20] = type;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(26), sequence);
        for (var i = 28; i < p.Length; i++)
        {
            p[i] = (byte)i;
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(22), Checksum(p.AsSpan(20)));
        return p;
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
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
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }
}

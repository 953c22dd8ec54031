using System.Buffers.Binary;
using System.Text;

namespace SharpTun.Netlink.Tests;

/// <summary>Builds kernel-side replies byte by byte for the fake socket (independent of the code under test's builder).</summary>
internal static class Msg
{
    internal static byte[] Message(ushort type, ushort flags, uint seq, byte[] payload)
    {
        var len = 16 + payload.Length;
        var b = new byte[(len + 3) & ~3];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)len);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), 1234);
        payload.CopyTo(b, 16);
        return b;
    }

    internal static byte[] Attr(ushort type, byte[] value)
    {
        var b = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), type);
        value.CopyTo(b, 4);
        return b;
    }

    internal static byte[] Str(string s) => [.. Encoding.ASCII.GetBytes(s), 0];

    internal static byte[] U32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }

    internal static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>An RTM_NEWLINK body: ifinfomsg + IFLA_IFNAME + IFLA_MTU.</summary>
    internal static byte[] LinkBody(int index, string name, uint flags = 0x1003, int mtu = 1500)
    {
        var h = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), 1);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), flags);
        return Concat(h, Attr(3, Str(name)), Attr(4, U32((uint)mtu)));
    }

    internal static byte[] Link(uint seq, int index, string name, ushort flags = 0) => Message(16, flags, seq, LinkBody(index, name));

    /// <summary>NLMSG_ERROR: error (negative errno or 0), the echoed request header, optional extended-ACK message.</summary>
    internal static byte[] Error(byte[] request, int error, string? extAck = null, bool capped = true)
    {
        var echoed = capped ? request.AsSpan(0, 16).ToArray() : request;
        var body = Concat(BitConverter.GetBytes(error), echoed, extAck is null ? [] : Attr(1, Str(extAck)));
        ushort flags = (ushort)((capped ? 0x100 : 0) | (extAck is null ? 0 : 0x200));
        return Message(2, flags, FakeNetlinkSocket.Seq(request), body);
    }

    internal static byte[] Ack(byte[] request) => Error(request, 0);

    internal static byte[] Done(uint seq) => Message(3, 2, seq, new byte[4]);

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    /// <summary>The request with its sequence number zeroed, to compare against golden bytes captured with another seq.</summary>
    internal static byte[] WithoutSeq(byte[] m)
    {
        var c = (byte[])m.Clone();
        c.AsSpan(8, 4).Clear();
        return c;
    }
}

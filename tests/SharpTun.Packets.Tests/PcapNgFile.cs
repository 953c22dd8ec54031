using System.Buffers.Binary;

namespace SharpTun.Packets.Tests;

/// <summary>Writes pcapng blocks by hand (either byte order) for the reader's vectors: no code of ours under test is used.</summary>
internal sealed class PcapNgFile
{
    private readonly List<byte> _bytes = [];
    private bool _big;

    public int Length => _bytes.Count;

    public byte[] ToArray() => [.. _bytes];

    private byte[] U16(int v)
    {
        var b = new byte[2];
        if (_big) { BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)v); } else { BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)v); }
        return b;
    }

    private byte[] U32(uint v)
    {
        var b = new byte[4];
        if (_big) { BinaryPrimitives.WriteUInt32BigEndian(b, v); } else { BinaryPrimitives.WriteUInt32LittleEndian(b, v); }
        return b;
    }

    private static byte[] Pad(byte[] b) => [.. b, .. new byte[(4 - (b.Length % 4)) % 4]];

    /// <summary>One option: code, length, value padded to 4.</summary>
    public byte[] Option(int code, params byte[] value) => [.. U16(code), .. U16(value.Length), .. Pad(value)];

    public byte[] EndOfOptions => [0, 0, 0, 0];

    /// <summary>Appends a block: type, total length, body (padded), total length.</summary>
    public PcapNgFile Block(uint type, byte[] body, uint? length = null, uint? trailer = null)
    {
        var padded = Pad(body);
        var total = length ?? (uint)(12 + padded.Length);
        _bytes.AddRange([.. U32(type), .. U32(total), .. padded, .. U32(trailer ?? total)]);
        return this;
    }

    /// <summary>Section Header Block (version 1.0, section length unknown), switching the byte order.</summary>
    public PcapNgFile Section(bool bigEndian, params byte[][] options)
    {
        _big = bigEndian;
        return Block(0x0A0D0D0A, [.. U32(0x1A2B3C4D), .. U16(1), .. U16(0), .. Enumerable.Repeat((byte)0xFF, 8), .. options.SelectMany(o => o)]);
    }

    public PcapNgFile Interface(LinkType link, uint snap = 262144, params byte[][] options) =>
        Block(1, [.. U16((int)link), 0, 0, .. U32(snap), .. options.SelectMany(o => o)]);

    public PcapNgFile Enhanced(uint iface, ulong ticks, byte[] data, uint? captured = null, uint? original = null) =>
        Block(6, [.. U32(iface), .. U32((uint)(ticks >> 32)), .. U32((uint)ticks), .. U32(captured ?? (uint)data.Length),
            .. U32(original ?? (uint)data.Length), .. Pad(data)]);

    public PcapNgFile Simple(byte[] data, uint? original = null) => Block(3, [.. U32(original ?? (uint)data.Length), .. Pad(data)]);

    public PcapNgFile Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }
}

using System.Buffers.Binary;

namespace SharpTun.Netlink;

/// <summary>
/// Walks the netlink messages in one received datagram. Each message's length must cover its
/// 16-byte header and stay within the datagram, else <see cref="NetlinkFormatException"/>.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _rest;

    internal NetlinkMessageReader(ReadOnlySpan<byte> datagram) => _rest = datagram;

    internal ushort Type { get; private set; }
    internal ushort Flags { get; private set; }
    internal uint Sequence { get; private set; }
    internal uint PortId { get; private set; }

    /// <summary>The message body after the 16-byte header.</summary>
    internal ReadOnlySpan<byte> Payload { get; private set; }

    internal bool Next()
    {
        if (_rest.IsEmpty)
        {
            return false;
        }
        if (_rest.Length < Nl.HeaderSize)
        {
            throw new NetlinkFormatException($"{_rest.Length} bytes left, less than a message header");
        }
        var len = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (len < Nl.HeaderSize || len > (uint)_rest.Length)
        {
            throw new NetlinkFormatException($"message length {len} with {_rest.Length} bytes in the datagram");
        }
        Type = BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]);
        Flags = BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]);
        Sequence = BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]);
        PortId = BinaryPrimitives.ReadUInt32LittleEndian(_rest[12..]);
        Payload = _rest[Nl.HeaderSize..(int)len];
        _rest = _rest[Math.Min(Nl.Align((int)len), _rest.Length)..];
        return true;
    }
}

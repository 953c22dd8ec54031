using System.Buffers.Binary;
using System.Text;

namespace SharpTun.Netlink;

/// <summary>
/// Builds one netlink request: the 16-byte header, a fixed family header (ifinfomsg, ifaddrmsg,
/// rtmsg, …) and attributes, each padded to 4 bytes. Nested attributes are opened with
/// <see cref="BeginNested"/> and their length is patched by <see cref="EndNested"/>.
/// The header's length and sequence number are filled in by <see cref="Finish"/>.
/// </summary>
internal sealed class NetlinkMessageBuilder
{
    private byte[] _buffer = new byte[256];
    private int _length;

    /// <summary>The message type (RTM_NEWLINK, …).</summary>
    internal ushort Type { get; }

    /// <summary>The header flags; NLM_F_REQUEST is always set.</summary>
    internal ushort Flags { get; set; }

    internal NetlinkMessageBuilder(ushort type, ushort flags)
    {
        Type = type;
        Flags = (ushort)(flags | Nl.F_REQUEST);
        _length = Nl.HeaderSize;
    }

    /// <summary>Bytes written so far (header included).</summary>
    internal int Length => _length;

    /// <summary>Reserves <paramref name="size"/> zeroed bytes (aligned) for a fixed header and returns them to fill in.</summary>
    internal Span<byte> Reserve(int size)
    {
        var aligned = Nl.Align(size);
        Ensure(aligned);
        var span = _buffer.AsSpan(_length, size);
        _length += aligned;
        return span;
    }

    /// <summary>Appends an attribute with raw value bytes.</summary>
    internal void Add(ushort type, ReadOnlySpan<byte> value)
    {
        var len = 4 + value.Length;
        var dst = Reserve(len);
        BinaryPrimitives.WriteUInt16LittleEndian(dst, (ushort)len);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[2..], type);
        value.CopyTo(dst[4..]);
    }

    internal void AddU8(ushort type, byte value) => Add(type, [value]);

    internal void AddU32(ushort type, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        Add(type, b);
    }

    internal void AddI32(ushort type, int value) => AddU32(type, unchecked((uint)value));

    /// <summary>A NUL-terminated string (IFLA_IFNAME, IFA_LABEL, IFLA_INFO_KIND).</summary>
    internal void AddString(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        Add(type, bytes);
    }

    /// <summary>A string without NUL terminator (NLA_STRING policy, e.g. IFLA_INFO_KIND as iproute2 sends it).</summary>
    internal void AddStringUnterminated(ushort type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    /// <summary>
    /// Opens a nested attribute; returns a token for <see cref="EndNested"/>. Like iproute2, the type
    /// carries no NLA_F_NESTED bit: rtnetlink parses these (IFLA_LINKINFO, …) with the legacy parser.
    /// </summary>
    internal int BeginNested(ushort type)
    {
        var start = _length;
        var dst = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(dst[2..], type);
        return start;
    }

    /// <summary>Closes a nested attribute opened at <paramref name="start"/>; its length covers everything added since.</summary>
    internal void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    /// <summary>Writes the header with <paramref name="sequence"/> and port id 0 (the kernel fills it) and returns the message.</summary>
    internal ReadOnlySpan<byte> Finish(uint sequence)
    {
        var h = _buffer.AsSpan(0, Nl.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)_length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], Flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], 0);
        return _buffer.AsSpan(0, _length);
    }

    private void Ensure(int more)
    {
        if (_length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + more));
        }
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace SharpTun.Netlink;

/// <summary>
/// Walks the attributes (struct nlattr: u16 len, u16 type, value, padding to 4) in a span.
/// A length that is shorter than the 4-byte attribute header or runs past the span is a
/// <see cref="NetlinkFormatException"/>; fewer than 4 trailing bytes are padding and end the walk.
/// </summary>
internal ref struct AttributeReader
{
    private ReadOnlySpan<byte> _rest;

    internal AttributeReader(ReadOnlySpan<byte> attributes) => _rest = attributes;

    /// <summary>The attribute type without the NESTED/NET_BYTEORDER bits.</summary>
    internal ushort Type { get; private set; }

    /// <summary>The current attribute's value (without padding).</summary>
    internal ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Advances to the next attribute; false at the end.</summary>
    internal bool Next()
    {
        if (_rest.Length < 4)
        {
            return false;
        }
        int len = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (len < 4 || len > _rest.Length)
        {
            throw new NetlinkFormatException($"attribute length {len} with {_rest.Length} bytes left");
        }
        Type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Nl.NLA_TYPE_MASK);
        Value = _rest[4..len];
        var next = Math.Min(Nl.Align(len), _rest.Length);
        _rest = _rest[next..];
        return true;
    }

    internal readonly byte U8() => Value.Length >= 1 ? Value[0] : throw Short(1);

    internal readonly ushort U16() => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : throw Short(2);

    internal readonly uint U32() => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw Short(4);

    internal readonly int I32() => unchecked((int)U32());

    /// <summary>A NUL-terminated (or unterminated) string.</summary>
    internal readonly string String()
    {
        var v = Value;
        var nul = v.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? v : v[..nul]);
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address.</summary>
    internal readonly IPAddress Address() => Value.Length is 4 or 16
        ? new IPAddress(Value)
        : throw new NetlinkFormatException($"attribute {Type}: an address of {Value.Length} bytes");

    internal readonly NetlinkFormatException Short(int need) =>
        new($"attribute {Type} has {Value.Length} bytes, needs {need}");
}

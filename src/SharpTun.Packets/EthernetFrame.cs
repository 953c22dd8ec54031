using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// An Ethernet II frame (no FCS, as tap devices deliver it) with up to two VLAN tags
/// (802.1ad S-tag then 802.1Q C-tag). A view over the caller's bytes; nothing is copied.
/// </summary>
public readonly ref struct EthernetFrame
{
    /// <summary>Destination + source + EtherType.</summary>
    public const int HeaderLength = 14;

    private readonly ReadOnlySpan<byte> _bytes;

    /// <summary>The whole frame.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Destination MAC.</summary>
    public MacAddress Destination => new(_bytes);

    /// <summary>Source MAC.</summary>
    public MacAddress Source => new(_bytes[6..]);

    /// <summary>The EtherType after any VLAN tags: what <see cref="Payload"/> holds.</summary>
    public ushort EtherType { get; }

    /// <summary>Number of VLAN tags (0–2).</summary>
    public int VlanTagCount { get; }

    /// <summary>The innermost VLAN id (12 bits), or -1 when untagged.</summary>
    public int VlanId => VlanTagCount == 0 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(_bytes[(10 + (4 * VlanTagCount))..]) & 0x0FFF;

    /// <summary>The innermost tag's priority code point (0–7), or -1 when untagged.</summary>
    public int VlanPriority => VlanTagCount == 0 ? -1 : _bytes[10 + (4 * VlanTagCount)] >> 5;

    /// <summary>The outer (S-tag) VLAN id of a double-tagged frame, else -1.</summary>
    public int OuterVlanId => VlanTagCount < 2 ? -1 : BinaryPrimitives.ReadUInt16BigEndian(_bytes[14..]) & 0x0FFF;

    /// <summary>Bytes of MAC header including VLAN tags.</summary>
    public int HeaderSize => HeaderLength + (4 * VlanTagCount);

    /// <summary>The bytes after the header (may include Ethernet padding; IPv4/IPv6 views trim it).</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderSize..];

    private EthernetFrame(ReadOnlySpan<byte> bytes, ushort etherType, int tags)
    {
        _bytes = bytes;
        EtherType = etherType;
        VlanTagCount = tags;
    }

    /// <summary>Decodes the MAC header; false with the reason for frames too short for it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out EthernetFrame frame, out Malformation error)
    {
        frame = default;
        error = default;
        if (bytes.Length < HeaderLength)
        {
            error = new Malformation(MalformationKind.EthernetTruncated, HeaderLength, bytes.Length);
            return false;
        }
        var type = BinaryPrimitives.ReadUInt16BigEndian(bytes[12..]);
        var tags = 0;
        while ((type == Packets.EtherType.Vlan || type == Packets.EtherType.QinQ) && tags < 2)
        {
            var need = HeaderLength + (4 * (tags + 1));
            if (bytes.Length < need)
            {
                error = new Malformation(MalformationKind.VlanTruncated, need, bytes.Length);
                return false;
            }
            tags++;
            type = BinaryPrimitives.ReadUInt16BigEndian(bytes[(12 + (4 * tags))..]);
        }
        frame = new EthernetFrame(bytes, type, tags);
        return true;
    }

    /// <summary>Writes an untagged 14-byte header.</summary>
    public static void WriteHeader(Span<byte> destination, MacAddress to, MacAddress from, ushort etherType)
    {
        to.WriteTo(destination);
        from.WriteTo(destination[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], etherType);
    }
}

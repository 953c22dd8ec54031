using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>An ARP packet for Ethernet/IPv4 (RFC 826: htype 1, ptype 0x0800, hlen 6, plen 4; 28 bytes).</summary>
public readonly ref struct ArpPacket
{
    /// <summary>Length of an Ethernet/IPv4 ARP packet.</summary>
    public const int Length = 28;
    /// <summary>Operation: request.</summary>
    public const ushort Request = 1;
    /// <summary>Operation: reply.</summary>
    public const ushort Reply = 2;

    private readonly ReadOnlySpan<byte> _bytes;

    private ArpPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The 28 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>1 = request, 2 = reply (others exist: RARP 3/4).</summary>
    public ushort Operation => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>Sender hardware address.</summary>
    public MacAddress SenderHardwareAddress => new(_bytes[8..]);

    /// <summary>Sender IPv4 address (4 bytes).</summary>
    public ReadOnlySpan<byte> SenderProtocolAddress => _bytes.Slice(14, 4);

    /// <summary>Target hardware address (zero in a request).</summary>
    public MacAddress TargetHardwareAddress => new(_bytes[18..]);

    /// <summary>Target IPv4 address (4 bytes).</summary>
    public ReadOnlySpan<byte> TargetProtocolAddress => _bytes.Slice(24, 4);

    /// <summary>Gratuitous / announcement: sender and target IPv4 address equal.</summary>
    public bool IsGratuitous => SenderProtocolAddress.SequenceEqual(TargetProtocolAddress);

    /// <summary>Decodes; false for short packets or non-Ethernet/IPv4 ARP.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out ArpPacket packet, out Malformation error)
    {
        packet = default;
        error = default;
        if (bytes.Length < 8)
        {
            error = new Malformation(MalformationKind.ArpTruncated, 8, bytes.Length);
            return false;
        }
        var htype = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var ptype = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (htype != 1 || ptype != EtherType.Ipv4 || bytes[4] != 6 || bytes[5] != 4)
        {
            error = new Malformation(MalformationKind.ArpUnsupported, htype, ptype);
            return false;
        }
        if (bytes.Length < Length)
        {
            error = new Malformation(MalformationKind.ArpTruncated, Length, bytes.Length);
            return false;
        }
        packet = new ArpPacket(bytes[..Length]);
        return true;
    }

    /// <summary>Writes a 28-byte Ethernet/IPv4 ARP packet.</summary>
    public static void Write(Span<byte> destination, ushort operation, MacAddress senderMac, ReadOnlySpan<byte> senderIp,
        MacAddress targetMac, ReadOnlySpan<byte> targetIp)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], EtherType.Ipv4);
        destination[4] = 6;
        destination[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], operation);
        senderMac.WriteTo(destination[8..]);
        senderIp[..4].CopyTo(destination[14..]);
        targetMac.WriteTo(destination[18..]);
        targetIp[..4].CopyTo(destination[24..]);
    }
}

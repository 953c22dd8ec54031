using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// An IPv4 packet (RFC 791). <see cref="Bytes"/> is cut to the total length, so Ethernet padding
/// after a short packet is not part of <see cref="Payload"/>.
/// </summary>
public readonly ref struct Ipv4Packet
{
    /// <summary>Header length without options.</summary>
    public const int MinHeaderLength = 20;

    private readonly ReadOnlySpan<byte> _bytes;

    private Ipv4Packet(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Header and payload, <see cref="TotalLength"/> bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Header length in bytes (IHL × 4).</summary>
    public int HeaderLength => (_bytes[0] & 0x0F) * 4;

    /// <summary>DSCP (upper 6 bits of the former TOS byte).</summary>
    public int Dscp => _bytes[1] >> 2;

    /// <summary>ECN (lower 2 bits).</summary>
    public int Ecn => _bytes[1] & 3;

    /// <summary>Total length field.</summary>
    public int TotalLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>Identification.</summary>
    public ushort Identification => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    /// <summary>DF flag.</summary>
    public bool DontFragment => (_bytes[6] & 0x40) != 0;

    /// <summary>MF flag.</summary>
    public bool MoreFragments => (_bytes[6] & 0x20) != 0;

    /// <summary>Fragment offset in bytes (the field counts 8-byte units).</summary>
    public int FragmentOffset => (BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]) & 0x1FFF) * 8;

    /// <summary>Part of a fragmented datagram (MF set or offset non-zero).</summary>
    public bool IsFragment => MoreFragments || FragmentOffset != 0;

    /// <summary>Time to live.</summary>
    public byte TimeToLive => _bytes[8];

    /// <summary>Protocol of the payload (<see cref="IpProtocol"/>).</summary>
    public byte Protocol => _bytes[9];

    /// <summary>Header checksum as carried.</summary>
    public ushort HeaderChecksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[10..]);

    /// <summary>True when the header checksum verifies.</summary>
    public bool HeaderChecksumValid => Checksum.Compute(_bytes[..HeaderLength]) == 0;

    /// <summary>Source address (4 bytes).</summary>
    public ReadOnlySpan<byte> Source => _bytes.Slice(12, 4);

    /// <summary>Destination address (4 bytes).</summary>
    public ReadOnlySpan<byte> Destination => _bytes.Slice(16, 4);

    /// <summary>Options (header bytes after the first 20).</summary>
    public ReadOnlySpan<byte> Options => _bytes[MinHeaderLength..HeaderLength];

    /// <summary>The payload: the upper-layer message, or a fragment of it.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..];

    /// <summary>Decodes the header; false (with the reason) for wrong version, bad lengths or truncation.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Ipv4Packet packet, out Malformation error)
    {
        packet = default;
        error = default;
        if (bytes.Length < MinHeaderLength)
        {
            error = new Malformation(MalformationKind.Ipv4Truncated, MinHeaderLength, bytes.Length);
            return false;
        }
        if (bytes[0] >> 4 != 4)
        {
            error = new Malformation(MalformationKind.Ipv4Version, bytes[0] >> 4);
            return false;
        }
        var ihl = (bytes[0] & 0x0F) * 4;
        if (ihl < MinHeaderLength)
        {
            error = new Malformation(MalformationKind.Ipv4HeaderLengthTooSmall, ihl);
            return false;
        }
        if (ihl > bytes.Length)
        {
            error = new Malformation(MalformationKind.Ipv4HeaderLengthExceedsCaptured, ihl, bytes.Length);
            return false;
        }
        var total = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (total < ihl)
        {
            error = new Malformation(MalformationKind.Ipv4TotalLengthTooSmall, total, ihl);
            return false;
        }
        if (total > bytes.Length)
        {
            error = new Malformation(MalformationKind.Ipv4TotalLengthExceedsCaptured, total, bytes.Length);
            return false;
        }
        packet = new Ipv4Packet(bytes[..total]);
        return true;
    }

    /// <summary>
    /// Writes a 20-byte header (no options) with its checksum: the caller has the payload of
    /// <paramref name="payloadLength"/> bytes at <c>destination[20..]</c>.
    /// </summary>
    public static void WriteHeader(Span<byte> destination, int payloadLength, ushort identification, bool dontFragment,
        byte ttl, byte protocol, ReadOnlySpan<byte> source, ReadOnlySpan<byte> target, byte tos = 0)
    {
        destination[0] = 0x45;
        destination[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(MinHeaderLength + payloadLength));
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)(dontFragment ? 0x4000 : 0));
        destination[8] = ttl;
        destination[9] = protocol;
        destination[10] = 0;
        destination[11] = 0;
        source[..4].CopyTo(destination[12..]);
        target[..4].CopyTo(destination[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], Checksum.Compute(destination[..MinHeaderLength]));
    }
}

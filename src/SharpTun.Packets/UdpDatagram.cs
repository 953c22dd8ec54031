using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>A UDP datagram (RFC 768); <see cref="Bytes"/> is cut to the length field.</summary>
public readonly ref struct UdpDatagram
{
    /// <summary>Header length.</summary>
    public const int HeaderLength = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private UdpDatagram(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Header and payload.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>Length field (header + payload).</summary>
    public int Length => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    /// <summary>Checksum as carried (0 = none, IPv4 only).</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>Payload.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..];

    /// <summary>Verifies the checksum over the pseudo-header of the given addresses (4 or 16 bytes); an absent IPv4 checksum counts as valid.</summary>
    public bool ChecksumValid(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination) =>
        (Checksum == 0 && source.Length == 4) || Packets.Checksum.ComputeTransport(source, destination, IpProtocol.Udp, _bytes) == 0;

    /// <summary>Decodes; false for short datagrams or a length field that does not fit.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out UdpDatagram datagram, out Malformation error)
    {
        datagram = default;
        error = default;
        if (bytes.Length < HeaderLength)
        {
            error = new Malformation(MalformationKind.UdpTruncated, HeaderLength, bytes.Length);
            return false;
        }
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (length < HeaderLength)
        {
            error = new Malformation(MalformationKind.UdpLengthTooSmall, length);
            return false;
        }
        if (length > bytes.Length)
        {
            error = new Malformation(MalformationKind.UdpLengthExceedsCaptured, length, bytes.Length);
            return false;
        }
        datagram = new UdpDatagram(bytes[..length]);
        return true;
    }
}

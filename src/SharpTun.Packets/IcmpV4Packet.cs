using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>An ICMP message for IPv4 (RFC 792): 8-byte header (type, code, checksum, rest) and body.</summary>
public readonly ref struct IcmpV4Packet
{
    /// <summary>Type, code, checksum and the 4 "rest of header" bytes.</summary>
    public const int HeaderLength = 8;
    /// <summary>Echo reply type.</summary>
    public const byte EchoReply = 0;
    /// <summary>Destination unreachable type.</summary>
    public const byte DestinationUnreachable = 3;
    /// <summary>Redirect type.</summary>
    public const byte Redirect = 5;
    /// <summary>Echo request type.</summary>
    public const byte EchoRequest = 8;
    /// <summary>Time exceeded type.</summary>
    public const byte TimeExceeded = 11;
    /// <summary>Parameter problem type.</summary>
    public const byte ParameterProblem = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private IcmpV4Packet(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The whole message.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Type.</summary>
    public byte Type => _bytes[0];

    /// <summary>Code.</summary>
    public byte Code => _bytes[1];

    /// <summary>Checksum as carried.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>True when the checksum over the whole message verifies.</summary>
    public bool ChecksumValid => Packets.Checksum.Compute(_bytes) == 0;

    /// <summary>Echo request or reply.</summary>
    public bool IsEcho => Type is EchoRequest or EchoReply;

    /// <summary>An error message that quotes the offending datagram.</summary>
    public bool IsError => Type is DestinationUnreachable or Redirect or TimeExceeded or ParameterProblem or 4;

    /// <summary>Echo identifier (meaningful for echo).</summary>
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    /// <summary>Echo sequence number (meaningful for echo).</summary>
    public ushort Sequence => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>Next-hop MTU of "fragmentation needed" (type 3 code 4, RFC 1191).</summary>
    public ushort NextHopMtu => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>After the 8-byte header: echo data, or the quoted IP header + 8 bytes of an error.</summary>
    public ReadOnlySpan<byte> Body => _bytes[HeaderLength..];

    /// <summary>Decodes; false when shorter than 8 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out IcmpV4Packet packet, out Malformation error)
    {
        packet = default;
        error = default;
        if (bytes.Length < HeaderLength)
        {
            error = new Malformation(MalformationKind.IcmpTruncated, HeaderLength, bytes.Length);
            return false;
        }
        packet = new IcmpV4Packet(bytes);
        return true;
    }
}

using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// An ICMPv6 message (RFC 4443) including neighbour discovery (RFC 4861). For NDP messages the
/// options are validated at parse time (no zero length, none past the end).
/// </summary>
public readonly ref struct IcmpV6Packet
{
    /// <summary>Type, code, checksum and 4 message-specific bytes.</summary>
    public const int HeaderLength = 8;
    /// <summary>Destination unreachable.</summary>
    public const byte DestinationUnreachable = 1;
    /// <summary>Packet too big.</summary>
    public const byte PacketTooBig = 2;
    /// <summary>Time exceeded.</summary>
    public const byte TimeExceeded = 3;
    /// <summary>Parameter problem.</summary>
    public const byte ParameterProblem = 4;
    /// <summary>Echo request.</summary>
    public const byte EchoRequest = 128;
    /// <summary>Echo reply.</summary>
    public const byte EchoReply = 129;
    /// <summary>Router solicitation.</summary>
    public const byte RouterSolicitation = 133;
    /// <summary>Router advertisement.</summary>
    public const byte RouterAdvertisement = 134;
    /// <summary>Neighbour solicitation.</summary>
    public const byte NeighborSolicitation = 135;
    /// <summary>Neighbour advertisement.</summary>
    public const byte NeighborAdvertisement = 136;
    /// <summary>Redirect.</summary>
    public const byte Redirect = 137;
    /// <summary>NDP option: source link-layer address.</summary>
    public const byte OptionSourceLinkLayer = 1;
    /// <summary>NDP option: target link-layer address.</summary>
    public const byte OptionTargetLinkLayer = 2;

    private readonly ReadOnlySpan<byte> _bytes;

    private IcmpV6Packet(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>The whole message.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Type.</summary>
    public byte Type => _bytes[0];

    /// <summary>Code.</summary>
    public byte Code => _bytes[1];

    /// <summary>Checksum as carried (over the IPv6 pseudo-header; verify with <see cref="ChecksumValid"/>).</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>Verifies the checksum with the packet's source and destination addresses.</summary>
    public bool ChecksumValid(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination) =>
        Packets.Checksum.Finish(Packets.Checksum.Add(_bytes, Packets.Checksum.PseudoHeaderV6(source, destination, IpProtocol.Icmpv6, _bytes.Length))) == 0;

    /// <summary>Echo identifier.</summary>
    public ushort Identifier => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    /// <summary>Echo sequence number.</summary>
    public ushort Sequence => BinaryPrimitives.ReadUInt16BigEndian(_bytes[6..]);

    /// <summary>MTU of "packet too big".</summary>
    public uint Mtu => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>After the 8-byte header.</summary>
    public ReadOnlySpan<byte> Body => _bytes[HeaderLength..];

    /// <summary>Neighbour solicitation or advertisement (24+ bytes, target address at offset 8).</summary>
    public bool IsNeighborMessage => Type is NeighborSolicitation or NeighborAdvertisement;

    /// <summary>Target address of a neighbour solicitation/advertisement (16 bytes).</summary>
    public ReadOnlySpan<byte> TargetAddress => _bytes.Slice(8, 16);

    /// <summary>NA router flag.</summary>
    public bool RouterFlag => (_bytes[4] & 0x80) != 0;

    /// <summary>NA solicited flag.</summary>
    public bool SolicitedFlag => (_bytes[4] & 0x40) != 0;

    /// <summary>NA override flag.</summary>
    public bool OverrideFlag => (_bytes[4] & 0x20) != 0;

    /// <summary>NDP options (empty for non-NDP messages).</summary>
    public ReadOnlySpan<byte> Options => _bytes[OptionsOffset(Type, _bytes.Length)..];

    /// <summary>Enumerates the NDP options.</summary>
    public NdpOptionEnumerator EnumerateOptions() => new(Options);

    /// <summary>Finds a source/target link-layer address option carrying a 6-byte MAC.</summary>
    public bool TryGetLinkLayerAddress(byte optionType, out MacAddress address)
    {
        foreach (var option in EnumerateOptions())
        {
            if (option.Type == optionType && option.Data.Length >= 6)
            {
                address = new MacAddress(option.Data);
                return true;
            }
        }
        address = default;
        return false;
    }

    /// <summary>Decodes; false when too short for its type or an NDP option is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out IcmpV6Packet packet, out Malformation error)
    {
        packet = default;
        error = default;
        if (bytes.Length < HeaderLength)
        {
            error = new Malformation(MalformationKind.Icmpv6Truncated, HeaderLength, bytes.Length);
            return false;
        }
        var start = OptionsOffset(bytes[0], -1);
        if (start > bytes.Length)
        {
            error = new Malformation(MalformationKind.Icmpv6Truncated, start, bytes.Length);
            return false;
        }
        if (start > 0)
        {
            var rest = bytes[start..];
            while (!rest.IsEmpty)
            {
                if (rest.Length < 2 || rest[1] == 0 || rest[1] * 8 > rest.Length)
                {
                    error = new Malformation(MalformationKind.Icmpv6OptionLength, rest[0], rest.Length < 2 ? 0 : rest[1]);
                    return false;
                }
                rest = rest[(rest[1] * 8)..];
            }
        }
        packet = new IcmpV6Packet(bytes);
        return true;
    }

    // Where NDP options start for each NDP type (RFC 4861 §4); non-NDP types have none.
    private static int OptionsOffset(byte type, int length) => type switch
    {
        RouterSolicitation => 8,
        RouterAdvertisement => 16,
        NeighborSolicitation or NeighborAdvertisement => 24,
        Redirect => 40,
        _ => length,
    };
}

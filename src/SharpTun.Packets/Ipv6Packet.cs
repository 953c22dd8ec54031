using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// An IPv6 packet (RFC 8200) with its extension-header chain walked at parse time: hop-by-hop,
/// routing, fragment, destination options and AH are stepped over; ESP and "no next header"
/// end the walk. <see cref="UpperLayerProtocol"/>/<see cref="UpperLayerPayload"/> is what follows.
/// </summary>
public readonly ref struct Ipv6Packet
{
    /// <summary>Fixed header length.</summary>
    public const int HeaderLength = 40;

    /// <summary>The decoder walks at most this many extension headers.</summary>
    public const int MaxExtensionHeaders = 16;

    private readonly ReadOnlySpan<byte> _bytes;
    private readonly int _upperOffset;
    private readonly int _fragmentHeaderOffset;

    private Ipv6Packet(ReadOnlySpan<byte> bytes, int upperOffset, byte upperProtocol, int fragmentHeaderOffset, int extensionCount)
    {
        _bytes = bytes;
        _upperOffset = upperOffset;
        UpperLayerProtocol = upperProtocol;
        _fragmentHeaderOffset = fragmentHeaderOffset;
        ExtensionHeaderCount = extensionCount;
    }

    /// <summary>Header, extension headers and payload: 40 + payload length bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Traffic class.</summary>
    public int TrafficClass => (BinaryPrimitives.ReadUInt16BigEndian(_bytes) >> 4) & 0xFF;

    /// <summary>Flow label (20 bits).</summary>
    public int FlowLabel => (int)(BinaryPrimitives.ReadUInt32BigEndian(_bytes) & 0xFFFFF);

    /// <summary>Payload length field (everything after the fixed header).</summary>
    public int PayloadLength => BinaryPrimitives.ReadUInt16BigEndian(_bytes[4..]);

    /// <summary>Next header of the fixed header (first extension header or upper layer).</summary>
    public byte NextHeader => _bytes[6];

    /// <summary>Hop limit.</summary>
    public byte HopLimit => _bytes[7];

    /// <summary>Source address (16 bytes).</summary>
    public ReadOnlySpan<byte> Source => _bytes.Slice(8, 16);

    /// <summary>Destination address (16 bytes).</summary>
    public ReadOnlySpan<byte> Destination => _bytes.Slice(24, 16);

    /// <summary>Number of extension headers walked.</summary>
    public int ExtensionHeaderCount { get; }

    /// <summary>The extension-header bytes between the fixed header and the upper layer.</summary>
    public ReadOnlySpan<byte> ExtensionHeaders => _bytes[HeaderLength.._upperOffset];

    /// <summary>Walks the extension headers again, yielding type and bytes of each (no allocation).</summary>
    public Ipv6ExtensionHeaderEnumerator EnumerateExtensionHeaders() => new(NextHeader, ExtensionHeaders);

    /// <summary>The protocol after the extension headers (59 = none, 50 = ESP, opaque).</summary>
    public byte UpperLayerProtocol { get; }

    /// <summary>The bytes after the extension headers (a fragment's data when <see cref="IsFragment"/>).</summary>
    public ReadOnlySpan<byte> UpperLayerPayload => _bytes[_upperOffset..];

    /// <summary>A fragment header is present.</summary>
    public bool HasFragmentHeader => _fragmentHeaderOffset > 0;

    /// <summary>Fragment header present and this is not a complete datagram (offset ≠ 0 or M set).</summary>
    public bool IsFragment => HasFragmentHeader && (FragmentOffset != 0 || MoreFragments);

    /// <summary>Fragment offset in bytes (0 without a fragment header).</summary>
    public int FragmentOffset => HasFragmentHeader ? BinaryPrimitives.ReadUInt16BigEndian(_bytes[(_fragmentHeaderOffset + 2)..]) & 0xFFF8 : 0;

    /// <summary>M flag of the fragment header.</summary>
    public bool MoreFragments => HasFragmentHeader && (_bytes[_fragmentHeaderOffset + 3] & 1) != 0;

    /// <summary>Identification of the fragment header (0 without one).</summary>
    public uint FragmentIdentification => HasFragmentHeader ? BinaryPrimitives.ReadUInt32BigEndian(_bytes[(_fragmentHeaderOffset + 4)..]) : 0;

    /// <summary>Decodes the fixed header and walks the extension headers.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out Ipv6Packet packet, out Malformation error)
    {
        packet = default;
        error = default;
        if (bytes.Length < HeaderLength)
        {
            error = new Malformation(MalformationKind.Ipv6Truncated, HeaderLength, bytes.Length);
            return false;
        }
        if (bytes[0] >> 4 != 6)
        {
            error = new Malformation(MalformationKind.Ipv6Version, bytes[0] >> 4);
            return false;
        }
        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        if (HeaderLength + payloadLength > bytes.Length)
        {
            error = new Malformation(MalformationKind.Ipv6PayloadLengthExceedsCaptured, payloadLength, bytes.Length - HeaderLength);
            return false;
        }
        bytes = bytes[..(HeaderLength + payloadLength)];
        var next = bytes[6];
        var offset = HeaderLength;
        var fragmentAt = 0;
        var count = 0;
        while (Ipv6ExtensionHeaderEnumerator.IsExtension(next))
        {
            if (count == MaxExtensionHeaders)
            {
                error = new Malformation(MalformationKind.Ipv6TooManyExtensions, MaxExtensionHeaders);
                return false;
            }
            var length = Ipv6ExtensionHeaderEnumerator.LengthAt(next, bytes[offset..]);
            if (length < 0)
            {
                error = new Malformation(MalformationKind.Ipv6ExtensionTruncated, next, bytes.Length - offset);
                return false;
            }
            if (next == IpProtocol.Fragment)
            {
                fragmentAt = offset;
            }
            next = bytes[offset];
            offset += length;
            count++;
            if (fragmentAt == offset - length && (BinaryPrimitives.ReadUInt16BigEndian(bytes[(fragmentAt + 2)..]) & 0xFFF8) != 0)
            {
                // A non-first fragment: what follows is data, not the next header's bytes.
                break;
            }
        }
        packet = new Ipv6Packet(bytes, offset, next, fragmentAt, count);
        return true;
    }

    /// <summary>Writes a 40-byte fixed header (traffic class and flow label zero).</summary>
    public static void WriteHeader(Span<byte> destination, int payloadLength, byte nextHeader, byte hopLimit,
        ReadOnlySpan<byte> source, ReadOnlySpan<byte> target)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, 0x6000_0000);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)payloadLength);
        destination[6] = nextHeader;
        destination[7] = hopLimit;
        source[..16].CopyTo(destination[8..]);
        target[..16].CopyTo(destination[24..]);
    }
}

using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>A TCP segment (RFC 9293). Options are validated at parse time.</summary>
public readonly ref struct TcpSegment
{
    /// <summary>Header length without options.</summary>
    public const int MinHeaderLength = 20;

    private readonly ReadOnlySpan<byte> _bytes;

    private TcpSegment(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    /// <summary>Header and payload.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Source port.</summary>
    public ushort SourcePort => BinaryPrimitives.ReadUInt16BigEndian(_bytes);

    /// <summary>Destination port.</summary>
    public ushort DestinationPort => BinaryPrimitives.ReadUInt16BigEndian(_bytes[2..]);

    /// <summary>Sequence number.</summary>
    public uint SequenceNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[4..]);

    /// <summary>Acknowledgment number.</summary>
    public uint AcknowledgmentNumber => BinaryPrimitives.ReadUInt32BigEndian(_bytes[8..]);

    /// <summary>Header length in bytes (data offset × 4).</summary>
    public int HeaderLength => (_bytes[12] >> 4) * 4;

    /// <summary>Flags.</summary>
    public TcpFlags Flags => (TcpFlags)(BinaryPrimitives.ReadUInt16BigEndian(_bytes[12..]) & 0x1FF);

    /// <summary>Window (unscaled).</summary>
    public ushort Window => BinaryPrimitives.ReadUInt16BigEndian(_bytes[14..]);

    /// <summary>Checksum as carried.</summary>
    public ushort Checksum => BinaryPrimitives.ReadUInt16BigEndian(_bytes[16..]);

    /// <summary>Urgent pointer.</summary>
    public ushort UrgentPointer => BinaryPrimitives.ReadUInt16BigEndian(_bytes[18..]);

    /// <summary>Option bytes.</summary>
    public ReadOnlySpan<byte> Options => _bytes[MinHeaderLength..HeaderLength];

    /// <summary>Enumerates options (End-of-list stops; NOPs are skipped).</summary>
    public TcpOptionEnumerator EnumerateOptions() => new(Options);

    /// <summary>Payload.</summary>
    public ReadOnlySpan<byte> Payload => _bytes[HeaderLength..];

    /// <summary>Verifies the checksum over the pseudo-header of the given addresses (4 or 16 bytes).</summary>
    public bool ChecksumValid(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination) =>
        Packets.Checksum.ComputeTransport(source, destination, IpProtocol.Tcp, _bytes) == 0;

    /// <summary>Decodes; false for short segments, a bad data offset or malformed options.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out TcpSegment segment, out Malformation error)
    {
        segment = default;
        error = default;
        if (bytes.Length < MinHeaderLength)
        {
            error = new Malformation(MalformationKind.TcpTruncated, MinHeaderLength, bytes.Length);
            return false;
        }
        var header = (bytes[12] >> 4) * 4;
        if (header < MinHeaderLength)
        {
            error = new Malformation(MalformationKind.TcpDataOffsetTooSmall, header);
            return false;
        }
        if (header > bytes.Length)
        {
            error = new Malformation(MalformationKind.TcpDataOffsetExceedsCaptured, header, bytes.Length);
            return false;
        }
        var options = bytes[MinHeaderLength..header];
        while (!options.IsEmpty)
        {
            var kind = options[0];
            if (kind == 0)
            {
                break;
            }
            if (kind == 1)
            {
                options = options[1..];
                continue;
            }
            if (options.Length < 2 || options[1] < 2 || options[1] > options.Length)
            {
                error = new Malformation(MalformationKind.TcpOptionLength, kind, options.Length < 2 ? 0 : options[1]);
                return false;
            }
            options = options[options[1]..];
        }
        segment = new TcpSegment(bytes);
        return true;
    }
}

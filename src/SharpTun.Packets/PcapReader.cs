using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Reads classic libpcap files (either byte order; microsecond 0xa1b2c3d4 or nanosecond
/// 0xa1b23c4d magic). Meant for tests and tools; allocates one array per record.
/// </summary>
public sealed class PcapReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;

    /// <summary>Reads the file header; throws <see cref="InvalidDataException"/> when it is not pcap.</summary>
    public PcapReader(Stream stream)
        : this(stream, [])
    {
    }

    /// <summary>For <see cref="CaptureFileReader"/>: <paramref name="consumed"/> are the stream's first bytes, already read.</summary>
    internal PcapReader(Stream stream, ReadOnlySpan<byte> consumed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        Span<byte> header = stackalloc byte[PcapWriter.FileHeaderLength];
        consumed.CopyTo(header);
        _stream.ReadExactly(header[consumed.Length..]);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        (_bigEndian, _nanoseconds) = magic switch
        {
            0xA1B2C3D4 => (false, false),
            0xA1B23C4D => (false, true),
            0xD4C3B2A1 => (true, false),
            0x4D3CB2A1 => (true, true),
            _ => throw new InvalidDataException($"not a pcap file (magic 0x{magic:x8})"),
        };
        VersionMajor = U16(header[4..]);
        VersionMinor = U16(header[6..]);
        SnapLength = (int)U32(header[16..]);
        LinkType = (LinkType)U32(header[20..]);
    }

    /// <summary>Major version (2).</summary>
    public int VersionMajor { get; }

    /// <summary>Minor version (4).</summary>
    public int VersionMinor { get; }

    /// <summary>Snapshot length.</summary>
    public int SnapLength { get; }

    /// <summary>Link type.</summary>
    public LinkType LinkType { get; }

    /// <summary>Whether the timestamps are in nanoseconds (magic 0xa1b23c4d) rather than microseconds.</summary>
    internal bool Nanoseconds => _nanoseconds;

    /// <summary>The last record's timestamp in nanoseconds (the record itself carries microseconds).</summary>
    internal long LastUnixNanoseconds { get; private set; }

    /// <summary>Reads the next record, or returns false at the end of the file.</summary>
    public bool TryRead(out PcapRecord record)
    {
        record = default;
        Span<byte> h = stackalloc byte[PcapWriter.RecordHeaderLength];
        var got = _stream.ReadAtLeast(h, h.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            return false;
        }
        if (got < h.Length)
        {
            throw new InvalidDataException($"pcap record header cut short ({got} of 16 bytes)");
        }
        var seconds = U32(h);
        var fraction = U32(h[4..]);
        var captured = (int)U32(h[8..]);
        var original = (int)U32(h[12..]);
        // The header's snapshot length is as untrusted as the record's: the array is bounded either way.
        if (captured < 0 || captured > Math.Min(Math.Max(SnapLength, PcapWriter.DefaultSnapLength), PcapNgReader.MaxBlockLength))
        {
            throw new InvalidDataException($"pcap record length {captured} exceeds the snapshot length {SnapLength}");
        }
        var data = new byte[captured];
        _stream.ReadExactly(data);
        var micros = (seconds * 1_000_000L) + (_nanoseconds ? fraction / 1000 : fraction);
        LastUnixNanoseconds = (seconds * 1_000_000_000L) + (_nanoseconds ? fraction : fraction * 1000L);
        record = new PcapRecord(micros, data, original);
        return true;
    }

    /// <summary>Closes the stream.</summary>
    public void Dispose() => _stream.Dispose();

    private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);
}

/// <summary>One pcap record: timestamp in microseconds since the Unix epoch, captured bytes, original length.</summary>
public readonly record struct PcapRecord(long UnixMicroseconds, byte[] Data, int OriginalLength);

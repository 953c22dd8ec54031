using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Writes the classic libpcap file format (magic 0xa1b2c3d4 in host order, version 2.4,
/// microsecond timestamps) that tcpdump, tshark and Wireshark read. Each record is written with
/// one <see cref="Stream.Write(ReadOnlySpan{byte})"/> from a reusable buffer: no per-packet
/// allocation. Not thread-safe.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>tcpdump's default snapshot length.</summary>
    public const int DefaultSnapLength = 262144;

    /// <summary>Size of the file header.</summary>
    public const int FileHeaderLength = 24;

    /// <summary>Size of each record header.</summary>
    public const int RecordHeaderLength = 16;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;

    /// <summary>Writes the file header for <paramref name="linkType"/> to <paramref name="stream"/>.</summary>
    public PcapWriter(Stream stream, LinkType linkType, int snapLength = DefaultSnapLength, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(snapLength, 1);
        _stream = stream;
        _leaveOpen = leaveOpen;
        LinkType = linkType;
        SnapLength = snapLength;
        _buffer = new byte[RecordHeaderLength + snapLength];
        Span<byte> header = stackalloc byte[FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone: timestamps are UTC
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], snapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _stream.Write(header);
    }

    /// <summary>The link type in the file header.</summary>
    public LinkType LinkType { get; }

    /// <summary>Packets longer than this are truncated (the record keeps the original length).</summary>
    public int SnapLength { get; }

    /// <summary>Records written.</summary>
    public long Count { get; private set; }

    /// <summary>Appends one packet stamped with <paramref name="timestamp"/>.</summary>
    public void Write(ReadOnlySpan<byte> packet, DateTimeOffset timestamp)
    {
        var micros = (timestamp.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
        Write(packet, micros);
    }

    /// <summary>Appends one packet stamped <paramref name="unixMicroseconds"/> after 1970-01-01 UTC.</summary>
    public void Write(ReadOnlySpan<byte> packet, long unixMicroseconds)
    {
        var captured = Math.Min(packet.Length, SnapLength);
        var b = _buffer.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(unixMicroseconds / 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(b[4..], (uint)(unixMicroseconds % 1_000_000));
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], captured);
        BinaryPrimitives.WriteInt32LittleEndian(b[12..], packet.Length);
        packet[..captured].CopyTo(b[RecordHeaderLength..]);
        _stream.Write(b[..(RecordHeaderLength + captured)]);
        Count++;
    }

    /// <summary>Flushes the stream (so a reader sees every record written so far).</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Flushes and, unless asked to leave it open, closes the stream.</summary>
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}

using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Reads a classic pcap or a pcapng file, told apart by the first four bytes (so a pipe will do: nothing
/// is read twice). Errors are <see cref="InvalidDataException"/> with the cause (and, for pcapng, the
/// block's offset); a stream that ends inside the pcap file header is an <see cref="EndOfStreamException"/>.
/// </summary>
public sealed class CaptureFileReader : IDisposable
{
    private readonly Stream _stream;
    private readonly byte[] _magic = new byte[4];
    private PcapReader? _pcap;
    private PcapNgReader? _pcapNg;

    /// <summary>Reads the first four bytes and tells the format from them. Owns the stream from then on.</summary>
    public CaptureFileReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        var got = stream.ReadAtLeast(_magic, 4, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw new EndOfStreamException($"the file is {got} bytes long, too short for any capture file header");
        }
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_magic);
        Format = value switch
        {
            PcapNgReader.SectionHeaderType => CaptureFileFormat.PcapNg,
            0xA1B2C3D4 or 0xA1B23C4D or 0xD4C3B2A1 or 0x4D3CB2A1 => CaptureFileFormat.Pcap,
            _ => throw new InvalidDataException($"not a pcap or pcapng file (magic 0x{value:x8})"),
        };
    }

    /// <summary>Which format the file is.</summary>
    public CaptureFileFormat Format { get; }

    /// <summary>
    /// The pcap file's link type, or that of the current pcapng section's first interface; null before
    /// <see cref="ReadHeader"/> and, for pcapng, before an interface is described.
    /// </summary>
    public LinkType? LinkType => _pcap is not null ? _pcap.LinkType : _pcapNg is { Interfaces.Count: > 0 } ng ? ng.Interfaces[0].LinkType : null;

    /// <summary>Reads the pcap file header or the first pcapng Section Header Block, once; <see cref="TryRead"/> calls it when needed.</summary>
    public void ReadHeader()
    {
        if (_pcap is not null || _pcapNg is not null)
        {
            return;
        }
        if (Format == CaptureFileFormat.Pcap)
        {
            _pcap = new PcapReader(_stream, _magic);
        }
        else
        {
            _pcapNg = new PcapNgReader(_stream, _magic);
        }
    }

    /// <summary>Reads the next packet, or returns false at the end of the file.</summary>
    public bool TryRead(out CaptureRecord record)
    {
        ReadHeader();
        if (_pcap is not null)
        {
            var more = _pcap.TryRead(out var r);
            record = more ? new CaptureRecord(_pcap.LastUnixNanoseconds, _pcap.Nanoseconds ? 9 : 6, true, r.Data, r.OriginalLength, _pcap.LinkType, 0) : default;
            return more;
        }
        var next = _pcapNg!.TryRead(out var p);
        record = next ? new CaptureRecord(p.UnixNanoseconds, _pcapNg.Interfaces[p.InterfaceId].TimestampDigits, p.HasTimestamp, p.Data, p.OriginalLength, p.LinkType, p.InterfaceId) : default;
        return next;
    }

    /// <summary>Closes the stream.</summary>
    public void Dispose() => _stream.Dispose();
}

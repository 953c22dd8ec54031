using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Reads pcapng files (draft-ietf-opsawg-pcapng), what tshark, dumpcap and Wireshark write by default:
/// sections (Section Header Block, either byte order; several sections may follow each other), their
/// interfaces (Interface Description Block: link type, snapshot length, if_tsresol, if_tsoffset) and
/// packets (Enhanced, Simple and the obsolete Packet Block); every other block is skipped by its length.
/// Reads the stream forward only (a pipe will do). Hostile input ends in an <see cref="InvalidDataException"/>
/// that names the block's offset and the cause; a block length is trusted only up to
/// <see cref="MaxBlockLength"/>, and the buffer grows only as the block's bytes actually arrive.
/// Meant for tools and tests: allocates one array per packet.
/// </summary>
public sealed partial class PcapNgReader : IDisposable
{
    /// <summary>Section Header Block type; its bytes read the same in either byte order.</summary>
    public const uint SectionHeaderType = 0x0A0D0D0A;

    /// <summary>The byte-order magic of a Section Header Block, as written by the section's byte order.</summary>
    public const uint ByteOrderMagic = 0x1A2B3C4D;

    /// <summary>
    /// Largest block accepted: 16 MiB (Wireshark bounds its blocks similarly); a packet is at most the
    /// 262144-byte snapshot length tcpdump and dumpcap use, plus options.
    /// </summary>
    public const int MaxBlockLength = 16 << 20;

    private const uint InterfaceDescriptionType = 1;
    private const uint ObsoletePacketType = 2;
    private const uint SimplePacketType = 3;
    private const uint EnhancedPacketType = 6;

    // Block header (type, total length) and trailer (total length): every block has these 12 bytes.
    private const int BlockOverhead = 12;

    private readonly Stream _stream;
    private readonly List<PcapNgInterface> _interfaces = [];
    private byte[] _body = new byte[4096];
    private byte[]? _prefix;
    private long _offset;
    private bool _bigEndian;

    /// <summary>Reads the first Section Header Block; throws <see cref="InvalidDataException"/> when the stream is not pcapng.</summary>
    public PcapNgReader(Stream stream)
        : this(stream, [])
    {
    }

    /// <summary>For <see cref="CaptureFileReader"/>: <paramref name="consumed"/> are the stream's first bytes, already read.</summary>
    internal PcapNgReader(Stream stream, ReadOnlySpan<byte> consumed)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _prefix = consumed.IsEmpty ? null : consumed.ToArray();
        if (!ReadBlock(out var type, out var length))
        {
            throw new InvalidDataException("not a pcapng file: it is empty");
        }
        if (type != SectionHeaderType)
        {
            throw new InvalidDataException($"not a pcapng file: the first block is type 0x{type:x8}, not a Section Header Block (0x0a0d0d0a)");
        }
        StartSection(length, 0);
    }

    /// <summary>The interfaces of the current section, in the order they were described (an Enhanced Packet Block names one by index).</summary>
    public IReadOnlyList<PcapNgInterface> Interfaces => _interfaces;

    /// <summary>Sections started so far (1 after construction).</summary>
    public int Sections { get; private set; }

    /// <summary>Whether the current section is big-endian.</summary>
    public bool BigEndian => _bigEndian;

    /// <summary>Reads the next packet, or returns false at the end of the stream (after a whole block).</summary>
    public bool TryRead(out PcapNgPacket packet)
    {
        while (true)
        {
            var offset = _offset;
            if (!ReadBlock(out var type, out var length))
            {
                packet = default;
                return false;
            }
            var body = _body.AsSpan(0, length - BlockOverhead);
            switch (type)
            {
                case SectionHeaderType:
                    StartSection(length, offset);
                    continue;
                case InterfaceDescriptionType:
                    _interfaces.Add(ParseInterface(body, offset));
                    continue;
                case EnhancedPacketType:
                    packet = EnhancedPacket(body, offset);
                    return true;
                case SimplePacketType:
                    packet = SimplePacket(body, offset);
                    return true;
                case ObsoletePacketType:
                    packet = ObsoletePacket(body, offset);
                    return true;
                default:
                    continue; // name resolution, statistics, custom, ... : not packets
            }
        }
    }

    /// <summary>Closes the stream.</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// Reads one whole block at <see cref="_offset"/> into <see cref="_body"/> (the bytes between the
    /// length fields); false at a clean end of the stream. Validates both length fields.
    /// </summary>
    private bool ReadBlock(out uint type, out int length)
    {
        var offset = _offset;
        Span<byte> head = stackalloc byte[12];
        var got = Fill(head[..8]);
        if (got == 0)
        {
            type = 0;
            length = 0;
            return false;
        }
        if (got < 8)
        {
            throw Truncated(offset, $"the file ends after {got} of the 8-byte block header");
        }
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(head);
        uint declared;
        if (raw == SectionHeaderType)
        {
            // A new section may change the byte order: its byte-order magic decides how to read its length.
            got = Fill(head.Slice(8, 4));
            if (got < 4)
            {
                throw Truncated(offset, $"the file ends after {8 + got} of the section header's first 12 bytes");
            }
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(head[8..]);
            _bigEndian = magic switch
            {
                ByteOrderMagic => false,
                0x4D3C2B1A => true,
                _ => throw new InvalidDataException($"section header at offset {offset} has byte-order magic 0x{magic:x8}, not 0x1a2b3c4d in either byte order"),
            };
        }
        type = U32(head);
        declared = U32(head[4..]);
        if (declared < BlockOverhead)
        {
            throw new InvalidDataException($"block at offset {offset} has length {declared}, less than the 12-byte minimum");
        }
        if (declared % 4 != 0)
        {
            throw new InvalidDataException($"block at offset {offset} has length {declared}, not a multiple of 4");
        }
        if (declared > MaxBlockLength)
        {
            throw new InvalidDataException($"block at offset {offset} has length {declared}, more than the {MaxBlockLength}-byte limit");
        }
        length = (int)declared;
        var bodyLength = length - BlockOverhead;
        var already = type == SectionHeaderType ? 4 : 0; // the byte-order magic is the section header's first body field
        if (bodyLength < already)
        {
            throw new InvalidDataException($"section header at offset {offset} has length {length}, less than its 28-byte minimum");
        }
        head.Slice(8, already).CopyTo(_body);
        got = already + FillGrowing(already, bodyLength - already);
        Span<byte> tail = stackalloc byte[4];
        var tailGot = got == bodyLength ? Fill(tail) : 0;
        if (got < bodyLength || tailGot < 4)
        {
            throw Truncated(offset, $"length {length}, but the file ends after {8 + got + tailGot} of its bytes");
        }
        var trailer = U32(tail);
        if (trailer != declared)
        {
            throw new InvalidDataException($"block at offset {offset} ends with length {trailer}, not the {declared} it starts with");
        }
        return true;
    }

    private static InvalidDataException Truncated(long offset, string why) => new($"block at offset {offset} is truncated ({why})");

    /// <summary>Reads into <paramref name="into"/> until full or the end of the stream; returns the bytes read and advances the offset.</summary>
    private int Fill(Span<byte> into)
    {
        var got = 0;
        if (_prefix is { } prefix)
        {
            got = Math.Min(prefix.Length, into.Length);
            prefix.AsSpan(0, got).CopyTo(into);
            _prefix = got == prefix.Length ? null : prefix[got..];
        }
        if (got < into.Length)
        {
            got += _stream.ReadAtLeast(into[got..], into.Length - got, throwOnEndOfStream: false);
        }
        _offset += got;
        return got;
    }

    /// <summary>Reads <paramref name="count"/> bytes into the body at <paramref name="at"/>, growing it (at most doubling) only as bytes arrive.</summary>
    private int FillGrowing(int at, int count)
    {
        var got = 0;
        while (got < count)
        {
            if (at + got == _body.Length)
            {
                EnsureBody(Math.Min(at + count, _body.Length * 2));
            }
            var n = Fill(_body.AsSpan(at + got, Math.Min(count - got, _body.Length - at - got)));
            if (n == 0)
            {
                break;
            }
            got += n;
        }
        return got;
    }

    private void EnsureBody(int length)
    {
        if (_body.Length < length)
        {
            Array.Resize(ref _body, length);
        }
    }

    private uint U32(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b);

    private ushort U16(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private ulong U64(ReadOnlySpan<byte> b) => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b);
}

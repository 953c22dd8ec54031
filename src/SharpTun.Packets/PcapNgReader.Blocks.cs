namespace SharpTun.Packets;

/// <summary>The bodies of the blocks <see cref="PcapNgReader"/> understands (the bytes between the two length fields).</summary>
public sealed partial class PcapNgReader
{
    private const ushort EndOfOptions = 0;
    private const ushort IfTsResol = 9;
    private const ushort IfTsOffset = 14;
    private const ulong Microsecond = 1_000_000;
    private const ulong Nanosecond = 1_000_000_000;

    /// <summary>Section Header Block: byte-order magic (already checked), major 1, minor, section length, options.</summary>
    private void StartSection(int length, long offset)
    {
        if (length < 28)
        {
            throw new InvalidDataException($"section header at offset {offset} has length {length}, less than its 28-byte minimum");
        }
        var major = U16(_body.AsSpan(4));
        var minor = U16(_body.AsSpan(6));
        if (major != 1)
        {
            throw new InvalidDataException($"section header at offset {offset} has version {major}.{minor}; only version 1 is supported");
        }
        _interfaces.Clear(); // interface numbers restart in each section
        Sections++;
    }

    /// <summary>Interface Description Block: link type (16 bits), reserved, snapshot length, options.</summary>
    private PcapNgInterface ParseInterface(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 8)
        {
            throw new InvalidDataException($"interface description block at offset {offset} has length {body.Length + BlockOverhead}, less than its 20-byte minimum");
        }
        var link = (LinkType)U16(body);
        var snap = (int)Math.Min(U32(body[4..]), int.MaxValue);
        var ticks = Microsecond;
        var shift = 0L;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = U16(options);
            int len = U16(options[2..]);
            if (code == EndOfOptions)
            {
                break;
            }
            var padded = (len + 3) & ~3;
            if (4 + padded > options.Length)
            {
                throw new InvalidDataException($"interface description block at offset {offset} has an option (code {code}, {len} bytes) that runs past the block's end");
            }
            var value = options.Slice(4, len);
            if (code == IfTsResol && len >= 1)
            {
                ticks = Resolution(value[0], offset);
            }
            else if (code == IfTsOffset && len >= 8)
            {
                shift = (long)U64(value);
            }
            options = options[(4 + padded)..];
        }
        return new PcapNgInterface(link, snap, ticks, shift);
    }

    /// <summary>if_tsresol: the high bit picks base 2, else base 10; the low 7 bits are the negative exponent.</summary>
    private static ulong Resolution(byte v, long offset)
    {
        var exponent = v & 0x7F;
        if ((v & 0x80) != 0 && exponent <= 63)
        {
            return 1UL << exponent;
        }
        if ((v & 0x80) == 0 && exponent <= 19)
        {
            var t = 1UL;
            for (var i = 0; i < exponent; i++)
            {
                t *= 10;
            }
            return t;
        }
        throw new InvalidDataException($"interface description block at offset {offset} has timestamp resolution 0x{v:x2} (if_tsresol), finer than a 64-bit count can hold");
    }

    /// <summary>Enhanced Packet Block: interface, timestamp (high, low), captured and original length, data padded to 4, options.</summary>
    private PcapNgPacket EnhancedPacket(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 20)
        {
            throw new InvalidDataException($"enhanced packet block at offset {offset} has length {body.Length + BlockOverhead}, less than its 32-byte minimum");
        }
        var id = U32(body);
        var ticks = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        return Packet(id, ticks, true, U32(body[12..]), U32(body[16..]), body[20..], offset, "enhanced packet");
    }

    /// <summary>Packet Block (obsolete, written by old tools): a 16-bit interface, a drop count, then as an Enhanced Packet Block.</summary>
    private PcapNgPacket ObsoletePacket(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 20)
        {
            throw new InvalidDataException($"packet block at offset {offset} has length {body.Length + BlockOverhead}, less than its 32-byte minimum");
        }
        var ticks = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        return Packet(U16(body), ticks, true, U32(body[12..]), U32(body[16..]), body[20..], offset, "packet");
    }

    /// <summary>Simple Packet Block: original length, then the data, on the section's first interface; no timestamp.</summary>
    private PcapNgPacket SimplePacket(ReadOnlySpan<byte> body, long offset)
    {
        if (body.Length < 4)
        {
            throw new InvalidDataException($"simple packet block at offset {offset} has length {body.Length + BlockOverhead}, less than its 16-byte minimum");
        }
        var original = U32(body);
        // The captured length is not stored: the original length cut to the snapshot length and to the block.
        var captured = Math.Min(original, (uint)(body.Length - 4));
        if (_interfaces.Count > 0 && _interfaces[0].SnapLength > 0)
        {
            captured = Math.Min(captured, (uint)_interfaces[0].SnapLength);
        }
        return Packet(0, 0, false, captured, original, body[4..], offset, "simple packet");
    }

    private PcapNgPacket Packet(uint id, ulong ticks, bool stamped, uint captured, uint original, ReadOnlySpan<byte> data, long offset, string what)
    {
        if (id >= (uint)_interfaces.Count)
        {
            throw new InvalidDataException(_interfaces.Count == 0
                ? $"{what} block at offset {offset} names interface {id}, but its section describes no interface before it"
                : $"{what} block at offset {offset} names interface {id}, but its section describes {_interfaces.Count} (0 to {_interfaces.Count - 1})");
        }
        if (captured > (uint)data.Length)
        {
            throw new InvalidDataException($"{what} block at offset {offset} has captured length {captured}, more than the {data.Length} bytes the block holds");
        }
        var iface = _interfaces[(int)id];
        var nanos = 0L;
        if (stamped)
        {
            // ticks / TicksPerSecond seconds; 128-bit so that the product cannot overflow.
            var ns = (UInt128)ticks * Nanosecond / iface.TicksPerSecond;
            nanos = (long)(ulong)ns + (iface.OffsetSeconds * (long)Nanosecond);
        }
        return new PcapNgPacket((int)id, iface.LinkType, nanos, stamped, data[..(int)captured].ToArray(), (int)Math.Min(original, int.MaxValue), offset);
    }
}

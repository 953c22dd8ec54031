namespace SharpTun.Packets;

/// <summary>tshark/xxd-style hex dump lines: <c>0010  00 54 …  (16 bytes)  ascii</c>. No allocation.</summary>
public static class HexDump
{
    /// <summary>Bytes shown per line.</summary>
    public const int BytesPerLine = 16;

    /// <summary>Characters one line needs.</summary>
    public const int LineLength = 6 + (BytesPerLine * 3) + 1 + 2 + BytesPerLine;

    /// <summary>
    /// Writes the line for <c>data[offset..offset+16]</c>: a 4-digit hex offset, hex bytes with an
    /// extra space after the eighth, and the printable-ASCII column ('.' for others).
    /// </summary>
    public static bool TryFormatLine(ReadOnlySpan<byte> data, int offset, Span<char> destination, out int written)
    {
        written = 0;
        if (destination.Length < LineLength || offset < 0 || offset >= data.Length)
        {
            return false;
        }
        const string hex = "0123456789abcdef";
        var w = new CharWriter(destination);
        w.AppendHex((uint)offset, 4, prefix: false);
        w.Append("  ");
        var line = data.Slice(offset, Math.Min(BytesPerLine, data.Length - offset));
        for (var i = 0; i < BytesPerLine; i++)
        {
            if (i == 8)
            {
                w.Append(' ');
            }
            if (i < line.Length)
            {
                w.Append(hex[line[i] >> 4]);
                w.Append(hex[line[i] & 0xF]);
                w.Append(' ');
            }
            else
            {
                w.Append("   ");
            }
        }
        w.Append(' ');
        foreach (var b in line)
        {
            w.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }
        written = w.Length;
        return w.Ok;
    }
}

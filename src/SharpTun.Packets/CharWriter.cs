namespace SharpTun.Packets;

/// <summary>Appends text to a caller's span; once something does not fit, <see cref="Ok"/> stays false.</summary>
internal ref struct CharWriter
{
    private readonly Span<char> _destination;
    private int _position;

    public CharWriter(Span<char> destination)
    {
        _destination = destination;
        _position = 0;
        Ok = true;
    }

    public bool Ok { get; private set; }

    public readonly int Length => _position;

    public void Append(ReadOnlySpan<char> text)
    {
        if (Ok && text.TryCopyTo(_destination[_position..]))
        {
            _position += text.Length;
        }
        else
        {
            Ok = false;
        }
    }

    public void Append(char c)
    {
        if (Ok && _position < _destination.Length)
        {
            _destination[_position++] = c;
        }
        else
        {
            Ok = false;
        }
    }

    public void Append(long value) => Formatted(value.TryFormat(Rest, out var n, default, null), n);

    public void Append(ulong value) => Formatted(value.TryFormat(Rest, out var n, default, null), n);

    /// <summary>0x-prefixed lower-case hex with <paramref name="digits"/> digits.</summary>
    public void AppendHex(uint value, int digits, bool prefix = true)
    {
        if (prefix)
        {
            Append("0x");
        }
        Formatted(value.TryFormat(Rest, out var n, digits == 2 ? "x2" : digits == 8 ? "x8" : "x4", null), n);
    }

    public void AppendFixed(double value, string format) => Formatted(value.TryFormat(Rest, out var n, format, System.Globalization.CultureInfo.InvariantCulture), n);

    public void AppendAddress(ReadOnlySpan<byte> address) => Formatted(AddressText.TryFormat(address, Rest, out var n), n);

    public void AppendMac(MacAddress mac)
    {
        if (mac.IsBroadcast)
        {
            Append("Broadcast");
            return;
        }
        Formatted(mac.TryFormat(Rest, out var n), n);
    }

    public void AppendMalformation(Malformation error) => Formatted(error.TryFormat(Rest, out var n), n);

    /// <summary>Pads with spaces to column <paramref name="column"/> counted from <paramref name="start"/>.</summary>
    public void PadTo(int start, int column)
    {
        while (Ok && _position - start < column)
        {
            Append(' ');
        }
    }

    /// <summary>Right-aligns what was written since <paramref name="start"/> in a field of <paramref name="width"/>.</summary>
    public void RightAlign(int start, int width)
    {
        var len = _position - start;
        if (!Ok || len >= width)
        {
            return;
        }
        var pad = width - len;
        if (_position + pad > _destination.Length)
        {
            Ok = false;
            return;
        }
        _destination.Slice(start, len).CopyTo(_destination[(start + pad)..]);
        _destination.Slice(start, pad).Fill(' ');
        _position += pad;
    }

    private readonly Span<char> Rest => Ok ? _destination[_position..] : default;

    private void Formatted(bool ok, int written)
    {
        if (Ok && ok)
        {
            _position += written;
        }
        else
        {
            Ok = false;
        }
    }
}

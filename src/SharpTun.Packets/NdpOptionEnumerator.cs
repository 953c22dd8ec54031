namespace SharpTun.Packets;

/// <summary>Enumerates neighbour-discovery options (type, length in 8-byte units, data); stops at the first invalid one.</summary>
public ref struct NdpOptionEnumerator
{
    private ReadOnlySpan<byte> _rest;

    internal NdpOptionEnumerator(ReadOnlySpan<byte> options)
    {
        _rest = options;
        Current = default;
    }

    /// <summary>The current option.</summary>
    public NdpOption Current { get; private set; }

    /// <summary>Support for <c>foreach</c>.</summary>
    public readonly NdpOptionEnumerator GetEnumerator() => this;

    /// <summary>Steps to the next option.</summary>
    public bool MoveNext()
    {
        if (_rest.Length < 2 || _rest[1] == 0 || _rest[1] * 8 > _rest.Length)
        {
            return false;
        }
        var length = _rest[1] * 8;
        Current = new NdpOption(_rest[0], _rest[2..length]);
        _rest = _rest[length..];
        return true;
    }
}

/// <summary>One NDP option.</summary>
public readonly ref struct NdpOption
{
    /// <summary>Creates the view.</summary>
    public NdpOption(byte type, ReadOnlySpan<byte> data)
    {
        Type = type;
        Data = data;
    }

    /// <summary>Option type (1 source link-layer address, 2 target link-layer address, 3 prefix, 5 MTU…).</summary>
    public byte Type { get; }

    /// <summary>Bytes after type and length.</summary>
    public ReadOnlySpan<byte> Data { get; }
}

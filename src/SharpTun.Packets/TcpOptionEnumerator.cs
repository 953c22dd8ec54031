using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>Enumerates TCP options of a validated header: kind and data (NOPs skipped, End-of-list stops).</summary>
public ref struct TcpOptionEnumerator
{
    private ReadOnlySpan<byte> _rest;

    internal TcpOptionEnumerator(ReadOnlySpan<byte> options)
    {
        _rest = options;
        Current = default;
    }

    /// <summary>The current option.</summary>
    public TcpOption Current { get; private set; }

    /// <summary>Support for <c>foreach</c>.</summary>
    public readonly TcpOptionEnumerator GetEnumerator() => this;

    /// <summary>Steps to the next option.</summary>
    public bool MoveNext()
    {
        while (!_rest.IsEmpty && _rest[0] == TcpOption.Nop)
        {
            _rest = _rest[1..];
        }
        if (_rest.IsEmpty || _rest[0] == TcpOption.EndOfList || _rest.Length < 2 || _rest[1] < 2 || _rest[1] > _rest.Length)
        {
            return false;
        }
        Current = new TcpOption(_rest[0], _rest[2.._rest[1]]);
        _rest = _rest[_rest[1]..];
        return true;
    }
}

/// <summary>One TCP option.</summary>
public readonly ref struct TcpOption
{
    /// <summary>End of option list.</summary>
    public const byte EndOfList = 0;
    /// <summary>No operation (padding).</summary>
    public const byte Nop = 1;
    /// <summary>Maximum segment size (2 bytes).</summary>
    public const byte MaximumSegmentSize = 2;
    /// <summary>Window scale shift (1 byte).</summary>
    public const byte WindowScale = 3;
    /// <summary>SACK permitted (no data).</summary>
    public const byte SackPermitted = 4;
    /// <summary>SACK blocks.</summary>
    public const byte Sack = 5;
    /// <summary>Timestamps (TSval, TSecr).</summary>
    public const byte Timestamps = 8;

    /// <summary>Creates the view.</summary>
    public TcpOption(byte kind, ReadOnlySpan<byte> data)
    {
        Kind = kind;
        Data = data;
    }

    /// <summary>Option kind.</summary>
    public byte Kind { get; }

    /// <summary>Bytes after kind and length.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>MSS value (valid when <see cref="Kind"/> is MSS and data is 2 bytes).</summary>
    public ushort MssValue => Data.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Data) : (ushort)0;
}

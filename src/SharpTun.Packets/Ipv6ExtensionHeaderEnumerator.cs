namespace SharpTun.Packets;

/// <summary>Enumerates IPv6 extension headers of a chain that <see cref="Ipv6Packet.TryParse"/> already validated.</summary>
public ref struct Ipv6ExtensionHeaderEnumerator
{
    private ReadOnlySpan<byte> _rest;
    private byte _next;

    internal Ipv6ExtensionHeaderEnumerator(byte first, ReadOnlySpan<byte> chain)
    {
        _next = first;
        _rest = chain;
        Current = default;
    }

    /// <summary>The current header: its type (the previous next-header value) and its bytes.</summary>
    public Ipv6ExtensionHeader Current { get; private set; }

    /// <summary>Support for <c>foreach</c>.</summary>
    public readonly Ipv6ExtensionHeaderEnumerator GetEnumerator() => this;

    /// <summary>Steps to the next header.</summary>
    public bool MoveNext()
    {
        if (_rest.IsEmpty || !IsExtension(_next))
        {
            return false;
        }
        var length = LengthAt(_next, _rest);
        if (length < 0)
        {
            return false;
        }
        Current = new Ipv6ExtensionHeader(_next, _rest[..length]);
        _next = _rest[0];
        _rest = _rest[length..];
        return true;
    }

    /// <summary>True for the next-header values the walk steps over.</summary>
    public static bool IsExtension(byte nextHeader) => nextHeader is IpProtocol.HopByHop or IpProtocol.Routing
        or IpProtocol.Fragment or IpProtocol.DestinationOptions or IpProtocol.Ah;

    /// <summary>Length in bytes of the header of type <paramref name="type"/> at the start of <paramref name="bytes"/>, or -1 if it does not fit.</summary>
    internal static int LengthAt(byte type, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 8)
        {
            return -1;
        }
        // Fragment: fixed 8 bytes. AH: (len + 2) × 4 bytes (RFC 4302). Others: (len + 1) × 8 bytes.
        var length = type switch
        {
            IpProtocol.Fragment => 8,
            IpProtocol.Ah => (bytes[1] + 2) * 4,
            _ => (bytes[1] + 1) * 8,
        };
        return length <= bytes.Length ? length : -1;
    }
}

/// <summary>One IPv6 extension header: its type and its bytes (including the next-header and length bytes).</summary>
public readonly ref struct Ipv6ExtensionHeader
{
    /// <summary>Creates the view.</summary>
    public Ipv6ExtensionHeader(byte type, ReadOnlySpan<byte> bytes)
    {
        Type = type;
        Bytes = bytes;
    }

    /// <summary>Header type (<see cref="IpProtocol.HopByHop"/>, <see cref="IpProtocol.Routing"/>, …).</summary>
    public byte Type { get; }

    /// <summary>The header bytes.</summary>
    public ReadOnlySpan<byte> Bytes { get; }
}

namespace SharpTun.Packets;

/// <summary>
/// Why a packet could not be decoded, without allocating: a kind plus up to two numbers that
/// <see cref="ToString"/> / <see cref="TryFormat"/> turn into one line such as
/// "IPv4 total length 1500 exceeds captured 84 bytes". <c>default</c> means "no problem".
/// </summary>
public readonly struct Malformation : IEquatable<Malformation>
{
    /// <summary>What is wrong.</summary>
    public MalformationKind Kind { get; }

    /// <summary>The offending value (a length, a version, an option kind…), meaning depends on <see cref="Kind"/>.</summary>
    public int Value { get; }

    /// <summary>The limit it violated (bytes captured, minimum length…), meaning depends on <see cref="Kind"/>.</summary>
    public int Limit { get; }

    /// <summary>True when this describes a problem (not <c>default</c>).</summary>
    public bool IsMalformed => Kind != MalformationKind.None;

    /// <summary>Creates a description of a problem.</summary>
    public Malformation(MalformationKind kind, int value = 0, int limit = 0)
    {
        Kind = kind;
        Value = value;
        Limit = limit;
    }

    /// <summary>Formats the message into <paramref name="destination"/> without allocating.</summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        var v = Value;
        var l = Limit;
        return Kind switch
        {
            MalformationKind.None => destination.TryWrite($"not malformed", out written),
            MalformationKind.EthernetTruncated => destination.TryWrite($"Ethernet header needs {v} bytes, captured {l}", out written),
            MalformationKind.VlanTruncated => destination.TryWrite($"802.1Q tag needs {v} bytes, captured {l}", out written),
            MalformationKind.ArpTruncated => destination.TryWrite($"ARP packet needs {v} bytes, captured {l}", out written),
            MalformationKind.ArpUnsupported => destination.TryWrite($"ARP hardware type {v} / protocol 0x{l:x4} with these address lengths is not Ethernet/IPv4", out written),
            MalformationKind.Ipv4Truncated => destination.TryWrite($"IPv4 header needs {v} bytes, captured {l}", out written),
            MalformationKind.Ipv4Version => destination.TryWrite($"IPv4 version field is {v}, expected 4", out written),
            MalformationKind.Ipv4HeaderLengthTooSmall => destination.TryWrite($"IPv4 header length {v} is less than 20", out written),
            MalformationKind.Ipv4HeaderLengthExceedsCaptured => destination.TryWrite($"IPv4 header length {v} exceeds captured {l} bytes", out written),
            MalformationKind.Ipv4TotalLengthExceedsCaptured => destination.TryWrite($"IPv4 total length {v} exceeds captured {l} bytes", out written),
            MalformationKind.Ipv4TotalLengthTooSmall => destination.TryWrite($"IPv4 total length {v} is less than its header length {l}", out written),
            MalformationKind.Ipv6Truncated => destination.TryWrite($"IPv6 header needs {v} bytes, captured {l}", out written),
            MalformationKind.Ipv6Version => destination.TryWrite($"IPv6 version field is {v}, expected 6", out written),
            MalformationKind.Ipv6PayloadLengthExceedsCaptured => destination.TryWrite($"IPv6 payload length {v} exceeds captured {l} bytes", out written),
            MalformationKind.Ipv6ExtensionTruncated => destination.TryWrite($"IPv6 extension header {v} exceeds the {l} bytes left", out written),
            MalformationKind.Ipv6TooManyExtensions => destination.TryWrite($"IPv6 has more than {v} extension headers", out written),
            MalformationKind.IcmpTruncated => destination.TryWrite($"ICMP message needs {v} bytes, captured {l}", out written),
            MalformationKind.Icmpv6Truncated => destination.TryWrite($"ICMPv6 message needs {v} bytes, captured {l}", out written),
            MalformationKind.Icmpv6OptionLength => destination.TryWrite($"ICMPv6 option of type {v} has length {l}", out written),
            MalformationKind.UdpTruncated => destination.TryWrite($"UDP header needs {v} bytes, captured {l}", out written),
            MalformationKind.UdpLengthTooSmall => destination.TryWrite($"UDP length {v} is less than 8", out written),
            MalformationKind.UdpLengthExceedsCaptured => destination.TryWrite($"UDP length {v} exceeds captured {l} bytes", out written),
            MalformationKind.TcpTruncated => destination.TryWrite($"TCP header needs {v} bytes, captured {l}", out written),
            MalformationKind.TcpDataOffsetTooSmall => destination.TryWrite($"TCP header length {v} is less than 20", out written),
            MalformationKind.TcpDataOffsetExceedsCaptured => destination.TryWrite($"TCP header length {v} exceeds captured {l} bytes", out written),
            MalformationKind.TcpOptionLength => destination.TryWrite($"TCP option {v} has invalid length {l}", out written),
            MalformationKind.PacketInfoTruncated => destination.TryWrite($"packet information header needs 4 bytes, captured {l}", out written),
            MalformationKind.UnknownNetworkVersion => destination.TryWrite($"IP version field is {v}, neither 4 nor 6", out written),
            MalformationKind.Empty => destination.TryWrite($"empty packet", out written),
            _ => destination.TryWrite($"malformed ({(int)Kind}: {v}, {l})", out written),
        };
    }

    /// <summary>The message, e.g. "IPv4 total length 1500 exceeds captured 84 bytes" (allocates).</summary>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[160];
        return TryFormat(buffer, out var n) ? new string(buffer[..n]) : Kind.ToString();
    }

    /// <inheritdoc/>
    public bool Equals(Malformation other) => Kind == other.Kind && Value == other.Value && Limit == other.Limit;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Malformation m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Value, Limit);

    /// <summary>Equality of kind and numbers.</summary>
    public static bool operator ==(Malformation left, Malformation right) => left.Equals(right);

    /// <summary>Inequality of kind or numbers.</summary>
    public static bool operator !=(Malformation left, Malformation right) => !left.Equals(right);
}

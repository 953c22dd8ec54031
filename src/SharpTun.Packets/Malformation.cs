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
        return Kind switch
        {
            MalformationKind.None => Fill(destination, "not malformed", out written),
            MalformationKind.EthernetTruncated => Fill(destination, "Ethernet header needs {0} bytes, captured {1}", out written),
            MalformationKind.VlanTruncated => Fill(destination, "802.1Q tag needs {0} bytes, captured {1}", out written),
            MalformationKind.ArpTruncated => Fill(destination, "ARP packet needs {0} bytes, captured {1}", out written),
            MalformationKind.ArpUnsupported => Fill(destination, "ARP hardware type {0} / protocol 0x{2} with these address lengths is not Ethernet/IPv4", out written),
            MalformationKind.Ipv4Truncated => Fill(destination, "IPv4 header needs {0} bytes, captured {1}", out written),
            MalformationKind.Ipv4Version => Fill(destination, "IPv4 version field is {0}, expected 4", out written),
            MalformationKind.Ipv4HeaderLengthTooSmall => Fill(destination, "IPv4 header length {0} is less than 20", out written),
            MalformationKind.Ipv4HeaderLengthExceedsCaptured => Fill(destination, "IPv4 header length {0} exceeds captured {1} bytes", out written),
            MalformationKind.Ipv4TotalLengthExceedsCaptured => Fill(destination, "IPv4 total length {0} exceeds captured {1} bytes", out written),
            MalformationKind.Ipv4TotalLengthTooSmall => Fill(destination, "IPv4 total length {0} is less than its header length {1}", out written),
            MalformationKind.Ipv6Truncated => Fill(destination, "IPv6 header needs {0} bytes, captured {1}", out written),
            MalformationKind.Ipv6Version => Fill(destination, "IPv6 version field is {0}, expected 6", out written),
            MalformationKind.Ipv6PayloadLengthExceedsCaptured => Fill(destination, "IPv6 payload length {0} exceeds captured {1} bytes", out written),
            MalformationKind.Ipv6ExtensionTruncated => Fill(destination, "IPv6 extension header {0} exceeds the {1} bytes left", out written),
            MalformationKind.Ipv6TooManyExtensions => Fill(destination, "IPv6 has more than {0} extension headers", out written),
            MalformationKind.IcmpTruncated => Fill(destination, "ICMP message needs {0} bytes, captured {1}", out written),
            MalformationKind.Icmpv6Truncated => Fill(destination, "ICMPv6 message needs {0} bytes, captured {1}", out written),
            MalformationKind.Icmpv6OptionLength => Fill(destination, "ICMPv6 option of type {0} has length {1}", out written),
            MalformationKind.UdpTruncated => Fill(destination, "UDP header needs {0} bytes, captured {1}", out written),
            MalformationKind.UdpLengthTooSmall => Fill(destination, "UDP length {0} is less than 8", out written),
            MalformationKind.UdpLengthExceedsCaptured => Fill(destination, "UDP length {0} exceeds captured {1} bytes", out written),
            MalformationKind.TcpTruncated => Fill(destination, "TCP header needs {0} bytes, captured {1}", out written),
            MalformationKind.TcpDataOffsetTooSmall => Fill(destination, "TCP header length {0} is less than 20", out written),
            MalformationKind.TcpDataOffsetExceedsCaptured => Fill(destination, "TCP header length {0} exceeds captured {1} bytes", out written),
            MalformationKind.TcpOptionLength => Fill(destination, "TCP option {0} has invalid length {1}", out written),
            MalformationKind.PacketInfoTruncated => Fill(destination, "packet information header needs 4 bytes, captured {1}", out written),
            MalformationKind.UnknownNetworkVersion => Fill(destination, "IP version field is {0}, neither 4 nor 6", out written),
            MalformationKind.Empty => Fill(destination, "empty packet", out written),
            _ => Fill(destination, "malformed ({3}: {0}, {1})", out written),
        };
    }

    // Expands {0} = Value, {1} = Limit, {2} = Limit as 4 hex digits, {3} = the kind number; no
    // interpolated-string handler, whose generic paths box in unoptimised (tier-0) code.
    private bool Fill(Span<char> destination, string template, out int written)
    {
        var w = new CharWriter(destination);
        var rest = template.AsSpan();
        while (!rest.IsEmpty)
        {
            var brace = rest.IndexOf('{');
            if (brace < 0 || brace + 2 >= rest.Length)
            {
                w.Append(rest);
                break;
            }
            w.Append(rest[..brace]);
            switch (rest[brace + 1])
            {
                case '0': w.Append(Value); break;
                case '1': w.Append(Limit); break;
                case '2': w.AppendHex((uint)Limit, 4, prefix: false); break;
                default: w.Append((int)Kind); break;
            }
            rest = rest[(brace + 3)..];
        }
        written = w.Ok ? w.Length : 0;
        return w.Ok;
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

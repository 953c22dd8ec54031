namespace SharpTun.Packets.Offload;

/// <summary>
/// One super-packet being built by <see cref="PacketCoalescer"/>: its first packet was copied
/// whole into output slot <see cref="Output"/>, later ones append their payload. The first
/// packet's headers (in the output buffer) are the reference the next packet is compared to.
/// </summary>
internal struct CoalesceGroup
{
    /// <summary>Index of the output buffer (slots keep the order in which groups were opened).</summary>
    public int Output;

    /// <summary>True for TCP, false for UDP.</summary>
    public bool IsTcp;

    /// <summary>IP version, 4 or 6.</summary>
    public int Version;

    /// <summary>Offset of the transport header (20 for IPv4, 40 for IPv6: no options or extension headers).</summary>
    public int TransportOffset;

    /// <summary>IP plus transport header bytes: virtio-net hdr_len.</summary>
    public int HeaderLength;

    /// <summary>Bytes of the super-packet so far (IP header to the end).</summary>
    public int Length;

    /// <summary>Most bytes the super-packet may reach (65535 or what the output buffer holds).</summary>
    public int Capacity;

    /// <summary>Payload bytes of the first packet: gso_size; every later one but the last has as many.</summary>
    public int GsoSize;

    /// <summary>Packets merged so far.</summary>
    public int Count;

    /// <summary>The sequence number the next TCP segment must carry.</summary>
    public uint NextSequence;

    /// <summary>The IPv4 ID the next packet must carry (the first's plus the count).</summary>
    public ushort NextId;
}

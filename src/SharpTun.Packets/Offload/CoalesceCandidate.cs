namespace SharpTun.Packets.Offload;

/// <summary>What <see cref="PacketCoalescer"/> learnt about one input packet.</summary>
internal struct CoalesceCandidate
{
    /// <summary>Whether the packet may be merged, and whether its flow is known.</summary>
    public CandidateKind Kind;

    /// <summary>IP version, 4 or 6.</summary>
    public int Version;

    /// <summary>True when the transport is TCP (else UDP); meaningful for every kind but <see cref="CandidateKind.Other"/> and <see cref="CandidateKind.Malformed"/>.</summary>
    public bool IsTcp;

    /// <summary>Offset of the transport header.</summary>
    public int TransportOffset;

    /// <summary>IP plus transport header bytes.</summary>
    public int HeaderLength;

    /// <summary>Transport payload bytes.</summary>
    public int Payload;

    /// <summary>TCP sequence number.</summary>
    public uint Sequence;

    /// <summary>TCP flags byte (offset 13).</summary>
    public byte Flags;

    /// <summary>IPv4 identification.</summary>
    public ushort Id;
}

/// <summary>The classes of input packet.</summary>
internal enum CandidateKind : byte
{
    /// <summary>Not TCP/UDP over IP (or UDP while UDP is not merged), or not IP at all: passes through, orders nothing.</summary>
    Other,

    /// <summary>IP with broken lengths or headers: passes through and ends the open groups between its addresses (it may be one of their packets).</summary>
    Malformed,

    /// <summary>TCP or UDP whose flow is known but which must not be merged (SYN/FIN/RST/URG, options, fragments, bad checksum…): passes through and ends its flow's open group.</summary>
    Barrier,

    /// <summary>A TCP segment that may be merged.</summary>
    Tcp,

    /// <summary>A UDP datagram that may be merged.</summary>
    Udp,
}

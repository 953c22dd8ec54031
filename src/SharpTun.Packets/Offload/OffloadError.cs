namespace SharpTun.Packets.Offload;

/// <summary>
/// Why a virtio-net header or super-packet was refused. Callers count these (see
/// <see cref="OffloadErrorCounters"/>); the packet is dropped, as the kernel would drop it.
/// </summary>
public enum OffloadError : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Fewer bytes than the virtio-net header size.</summary>
    HeaderTooShort,

    /// <summary>A flag bit other than NEEDS_CSUM, DATA_VALID or RSC_INFO is set.</summary>
    UnknownFlags,

    /// <summary>The GSO type is not NONE, TCPV4, TCPV6 or UDP_L4 (UFO, type 3, is one of these).</summary>
    UnknownGsoType,

    /// <summary>The ECN bit on a type that is not TCP.</summary>
    EcnWithoutTcp,

    /// <summary>A GSO type with a gso_size of 0.</summary>
    GsoSizeZero,

    /// <summary>A GSO type without NEEDS_CSUM: the kernel only segments CHECKSUM_PARTIAL packets.</summary>
    GsoWithoutChecksum,

    /// <summary>csum_start (plus the 2-byte field at csum_offset) lies outside the packet.</summary>
    ChecksumOutOfRange,

    /// <summary>csum_start is not where the transport header starts.</summary>
    ChecksumStartMismatch,

    /// <summary>csum_offset is not the checksum field of the transport (16 for TCP, 6 for UDP).</summary>
    ChecksumOffsetMismatch,

    /// <summary>The packet is not IPv4 or IPv6, or is shorter than its IP header.</summary>
    NotIp,

    /// <summary>IPv4 header length below 20 bytes or beyond the packet, or an IPv6 extension header chain that is cut or not supported.</summary>
    IpHeaderInvalid,

    /// <summary>IPv4 total length or IPv6 payload length does not match the bytes read.</summary>
    IpLengthMismatch,

    /// <summary>A GSO type for the other IP version (TCPV4 on an IPv6 packet, or TCPV6 on IPv4).</summary>
    IpVersionMismatch,

    /// <summary>A fragment (IPv4 MF or offset, IPv6 fragment header) with a GSO type.</summary>
    Fragmented,

    /// <summary>The IP protocol is not the GSO type's transport (TCP for TCPV4/TCPV6, UDP for UDP_L4).</summary>
    TransportMismatch,

    /// <summary>The TCP data offset is below 5 words or the TCP/UDP header runs past the packet.</summary>
    TransportHeaderInvalid,

    /// <summary>A segment (headers plus gso_size) would exceed 65535 bytes.</summary>
    SegmentTooLarge,

    /// <summary>A GSO header where a single packet was expected (completing a checksum in place): the packet must be split.</summary>
    SplitRequired,

    /// <summary>The caller gave fewer output buffers than there are segments.</summary>
    TooFewBuffers,

    /// <summary>An output buffer is smaller than offset plus its segment.</summary>
    BufferTooSmall,
}

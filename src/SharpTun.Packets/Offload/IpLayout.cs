using System.Buffers.Binary;

namespace SharpTun.Packets.Offload;

/// <summary>Where the transport header of an IPv4/IPv6 packet starts, checked strictly (lengths must match the bytes).</summary>
internal static class IpLayout
{
    /// <summary>IPv6 next-header values of the extension headers a super-packet may carry (hop-by-hop, destination options).</summary>
    private const byte HopByHop = 0, DestinationOptions = 60, Routing = 43, Fragment = 44;

    /// <summary>Most extension headers walked before giving up (the kernel's chains are short).</summary>
    private const int MaxExtensionHeaders = 8;

    /// <summary>
    /// Parses the IP header: version 4 or 6, the transport offset and protocol. Lengths must
    /// equal the packet (tun hands over exactly one packet). Fragments are refused when
    /// <paramref name="refuseFragments"/>; IPv6 routing headers always (their pseudo-header
    /// destination is not the header's).
    /// </summary>
    public static OffloadError Parse(ReadOnlySpan<byte> p, bool refuseFragments, out int version, out int l4Offset, out byte protocol)
    {
        version = 0;
        l4Offset = 0;
        protocol = 0;
        if (p.Length < 20)
        {
            return OffloadError.NotIp;
        }
        version = p[0] >> 4;
        if (version == 4)
        {
            var ihl = (p[0] & 0x0F) * 4;
            if (ihl < 20 || ihl > p.Length)
            {
                return OffloadError.IpHeaderInvalid;
            }
            if (BinaryPrimitives.ReadUInt16BigEndian(p[2..]) != p.Length)
            {
                return OffloadError.IpLengthMismatch;
            }
            if (refuseFragments && (BinaryPrimitives.ReadUInt16BigEndian(p[6..]) & 0x3FFF) != 0)
            {
                return OffloadError.Fragmented;
            }
            l4Offset = ihl;
            protocol = p[9];
            return OffloadError.None;
        }
        if (version != 6 || p.Length < 40)
        {
            return OffloadError.NotIp;
        }
        if (BinaryPrimitives.ReadUInt16BigEndian(p[4..]) + 40 != p.Length)
        {
            return OffloadError.IpLengthMismatch;
        }
        var next = p[6];
        var at = 40;
        for (var n = 0; n <= MaxExtensionHeaders; n++)
        {
            switch (next)
            {
                case HopByHop or DestinationOptions:
                    if (at + 8 > p.Length)
                    {
                        return OffloadError.IpHeaderInvalid;
                    }
                    var length = (p[at + 1] + 1) * 8;
                    if (at + length > p.Length)
                    {
                        return OffloadError.IpHeaderInvalid;
                    }
                    next = p[at];
                    at += length;
                    continue;
                case Fragment:
                    return refuseFragments ? OffloadError.Fragmented : OffloadError.IpHeaderInvalid;
                case Routing:
                    return OffloadError.IpHeaderInvalid;
                default:
                    l4Offset = at;
                    protocol = next;
                    return OffloadError.None;
            }
        }
        return OffloadError.IpHeaderInvalid;
    }

    /// <summary>The pseudo-header sum (network order, unfolded) for a transport message of <paramref name="length"/> bytes.</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> p, int version, byte protocol, int length) =>
        version == 4
            ? Checksum.PseudoHeaderV4(p[12..16], p[16..20], protocol, length)
            : Checksum.PseudoHeaderV6(p[8..24], p[24..40], protocol, length);
}

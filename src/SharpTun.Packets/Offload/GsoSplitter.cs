using System.Buffers.Binary;

namespace SharpTun.Packets.Offload;

/// <summary>
/// The read path of a tun device opened with IFF_VNET_HDR and TSO/USO offloads: turns what one
/// read returned (virtio-net header, then an IP packet of up to 64 KB) into wire-sized IP
/// packets with complete checksums, each written at <c>buffers[i].Span[offset..]</c> so the
/// caller can encrypt it in place. Pure and allocation-free; see <see cref="TunOffload"/> for
/// how a device and a pump use it.
/// <para>Segmentation follows the kernel's tcp_gso_segment / __udp_gso_segment: every segment
/// carries the super-packet's IP and transport headers with IPv4 total length, ID (the
/// original's plus the segment index) and header checksum, IPv6 payload length, TCP sequence
/// number (advanced by gso_size per segment; CWR kept on the first only, PSH and FIN on the last
/// only), UDP length, and a transport checksum computed from scratch (UDP 0 becomes 0xFFFF).</para>
/// <para>GSO packets must be IP packets (IFF_TUN). Completing a checksum without GSO works on
/// any frame, a tap device's Ethernet frames included (csum_start counts from the frame start).</para>
/// </summary>
public static class GsoSplitter
{
    private const byte ProtocolTcp = 6, ProtocolUdp = 17;
    private const byte TcpCwr = 0x80, TcpPshFin = 0x09;

    /// <summary>
    /// Splits <paramref name="frame"/> (a <paramref name="vnetHeaderSize"/>-byte virtio-net header,
    /// then the packet) as <see cref="Split(ReadOnlySpan{byte}, in VirtioNetHeader, ReadOnlySpan{Memory{byte}}, Span{int}, int, out int)"/> does.
    /// </summary>
    public static OffloadError Split(ReadOnlySpan<byte> frame, int vnetHeaderSize, ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset, out int count, bool bigEndian = false)
    {
        if (vnetHeaderSize < VirtioNetHeader.Size || frame.Length < vnetHeaderSize || !VirtioNetHeader.TryRead(frame, out var header, bigEndian))
        {
            count = 0;
            return OffloadError.HeaderTooShort;
        }
        return Split(frame[vnetHeaderSize..], header, buffers, sizes, offset, out count);
    }

    /// <summary>
    /// Writes the packets <paramref name="packet"/> stands for into <c>buffers[i].Span[offset..]</c>
    /// and their lengths into <c>sizes[i]</c>; <paramref name="count"/> says how many. A packet
    /// without GSO is copied (its checksum completed when NEEDS_CSUM asks for it). On an error
    /// nothing usable was written and <paramref name="count"/> is 0.
    /// </summary>
    public static OffloadError Split(ReadOnlySpan<byte> packet, in VirtioNetHeader header, ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset, out int count)
    {
        count = 0;
        var error = header.Validate();
        if (error != OffloadError.None)
        {
            return error;
        }
        if (!header.IsGso)
        {
            if (header.NeedsChecksum && (error = CheckChecksumRange(packet.Length, header)) != OffloadError.None)
            {
                return error;
            }
            if (buffers.IsEmpty || sizes.IsEmpty)
            {
                return OffloadError.TooFewBuffers;
            }
            var dst = buffers[0].Span;
            if (offset < 0 || dst.Length - offset < packet.Length)
            {
                return OffloadError.BufferTooSmall;
            }
            dst = dst.Slice(offset, packet.Length);
            packet.CopyTo(dst);
            if (header.NeedsChecksum)
            {
                StoreCompletedChecksum(dst, header.ChecksumStart + header.ChecksumOffset, header.ChecksumStart);
            }
            sizes[0] = packet.Length;
            count = 1;
            return OffloadError.None;
        }
        error = ParseSuperPacket(packet, header, out var version, out var l4, out var headerLength);
        if (error != OffloadError.None)
        {
            return error;
        }
        var gso = (int)header.GsoSize;
        if (headerLength + gso > 65535)
        {
            return OffloadError.SegmentTooLarge;
        }
        var payload = packet.Length - headerLength;
        var segments = payload <= gso ? 1 : (payload + gso - 1) / gso;
        if (segments > buffers.Length || segments > sizes.Length)
        {
            return OffloadError.TooFewBuffers;
        }
        for (var i = 0; i < segments; i++)
        {
            var need = headerLength + Math.Min(gso, payload - (i * gso));
            if (offset < 0 || buffers[i].Length - offset < need)
            {
                return OffloadError.BufferTooSmall;
            }
        }
        var tcp = header.GsoKind != VirtioGsoType.UdpL4;
        var headers = packet[..headerLength];
        var id = version == 4 ? BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) : 0;
        var seq = tcp ? BinaryPrimitives.ReadUInt32BigEndian(packet[(l4 + 4)..]) : 0;
        var flags = tcp ? packet[l4 + 13] : (byte)0;
        var protocol = tcp ? ProtocolTcp : ProtocolUdp;
        for (var i = 0; i < segments; i++)
        {
            var take = Math.Min(gso, payload - (i * gso));
            var length = headerLength + take;
            var dst = buffers[i].Span.Slice(offset, length);
            headers.CopyTo(dst);
            packet.Slice(headerLength + (i * gso), take).CopyTo(dst[headerLength..]);
            if (version == 4)
            {
                BinaryPrimitives.WriteUInt16BigEndian(dst[2..], (ushort)length);
                BinaryPrimitives.WriteUInt16BigEndian(dst[4..], (ushort)(id + i));
                dst[10] = dst[11] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(dst[10..], OffloadChecksum.Compute(dst[..l4]));
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(dst[4..], (ushort)(length - 40));
            }
            var segment = dst[l4..];
            int checksumAt;
            if (tcp)
            {
                BinaryPrimitives.WriteUInt32BigEndian(segment[4..], seq + (uint)(i * gso));
                var f = flags;
                if (i != 0)
                {
                    f &= unchecked((byte)~TcpCwr);
                }
                if (i != segments - 1)
                {
                    f &= unchecked((byte)~TcpPshFin);
                }
                segment[13] = f;
                checksumAt = 16;
            }
            else
            {
                BinaryPrimitives.WriteUInt16BigEndian(segment[4..], (ushort)segment.Length);
                checksumAt = 6;
            }
            segment[checksumAt] = segment[checksumAt + 1] = 0;
            var sum = OffloadChecksum.Compute(segment, IpLayout.PseudoHeader(dst, version, protocol, segment.Length));
            if (!tcp && sum == 0)
            {
                sum = 0xFFFF;
            }
            BinaryPrimitives.WriteUInt16BigEndian(segment[checksumAt..], sum);
            sizes[i] = length;
        }
        count = segments;
        return OffloadError.None;
    }

    /// <summary>
    /// Completes a CHECKSUM_PARTIAL packet in place when the header has NEEDS_CSUM and no GSO (the
    /// field at csum_start + csum_offset holds the pseudo-header sum; the sum from csum_start to
    /// the end is folded, complemented and stored there, 0 as 0xFFFF like skb_checksum_help).
    /// Does nothing for a header without NEEDS_CSUM. A GSO header is refused: use <see cref="Split(ReadOnlySpan{byte}, in VirtioNetHeader, ReadOnlySpan{Memory{byte}}, Span{int}, int, out int)"/>.
    /// </summary>
    public static OffloadError CompleteChecksum(Span<byte> packet, in VirtioNetHeader header)
    {
        var error = header.Validate();
        if (error != OffloadError.None)
        {
            return error;
        }
        if (header.IsGso)
        {
            return OffloadError.SplitRequired;
        }
        if (!header.NeedsChecksum)
        {
            return OffloadError.None;
        }
        error = CheckChecksumRange(packet.Length, header);
        if (error == OffloadError.None)
        {
            StoreCompletedChecksum(packet, header.ChecksumStart + header.ChecksumOffset, header.ChecksumStart);
        }
        return error;
    }

    private static OffloadError CheckChecksumRange(int length, in VirtioNetHeader header) =>
        header.ChecksumStart + header.ChecksumOffset + 2 > length ? OffloadError.ChecksumOutOfRange : OffloadError.None;

    private static void StoreCompletedChecksum(Span<byte> packet, int at, int start)
    {
        var sum = OffloadChecksum.Compute(packet[start..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet[at..], sum == 0 ? (ushort)0xFFFF : sum);
    }

    /// <summary>
    /// Checks a GSO super-packet against its header and finds the transport offset and the
    /// length of all headers. hdr_len from the kernel is not trusted (on the forwarding path it
    /// can be the whole linear part); the TCP data offset or the UDP header size decides.
    /// </summary>
    private static OffloadError ParseSuperPacket(ReadOnlySpan<byte> packet, in VirtioNetHeader header, out int version, out int l4, out int headerLength)
    {
        headerLength = 0;
        var error = IpLayout.Parse(packet, refuseFragments: true, out version, out l4, out var protocol);
        if (error != OffloadError.None)
        {
            return error;
        }
        var kind = header.GsoKind;
        if ((kind == VirtioGsoType.TcpV4 && version != 4) || (kind == VirtioGsoType.TcpV6 && version != 6))
        {
            return OffloadError.IpVersionMismatch;
        }
        var tcp = kind != VirtioGsoType.UdpL4;
        if (protocol != (tcp ? ProtocolTcp : ProtocolUdp))
        {
            return OffloadError.TransportMismatch;
        }
        if (header.ChecksumStart + header.ChecksumOffset + 2 > packet.Length)
        {
            return OffloadError.ChecksumOutOfRange;
        }
        if (header.ChecksumStart != l4)
        {
            return OffloadError.ChecksumStartMismatch;
        }
        if (header.ChecksumOffset != (tcp ? 16 : 6))
        {
            return OffloadError.ChecksumOffsetMismatch;
        }
        int transportLength;
        if (tcp)
        {
            if (l4 + 20 > packet.Length)
            {
                return OffloadError.TransportHeaderInvalid;
            }
            transportLength = (packet[l4 + 12] >> 4) * 4;
            if (transportLength < 20 || l4 + transportLength > packet.Length)
            {
                return OffloadError.TransportHeaderInvalid;
            }
        }
        else
        {
            transportLength = 8;
            if (l4 + 8 > packet.Length)
            {
                return OffloadError.TransportHeaderInvalid;
            }
        }
        headerLength = l4 + transportLength;
        return OffloadError.None;
    }
}

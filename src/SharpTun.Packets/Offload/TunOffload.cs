namespace SharpTun.Packets.Offload;

/// <summary>
/// Offloads on a tun device: what the device must be opened with, and how a pump uses
/// <see cref="GsoSplitter"/> (read path) and <see cref="PacketCoalescer"/> (write path).
/// <para><b>Opening the device</b> (SharpTun.Linux; the ioctls are its business):</para>
/// <list type="number">
/// <item><c>TUNSETIFF</c> with <c>IFF_TUN | IFF_NO_PI | IFF_VNET_HDR</c> (plus IFF_MULTI_QUEUE
/// when wanted). Without IFF_VNET_HDR no header is exchanged and TUNSETOFFLOAD is refused.</item>
/// <item><c>TUNSETVNETHDRSZ</c> 10 (<see cref="VirtioNetHeader.Size"/>, the default; nothing to
/// set) or 12 (<see cref="VirtioNetHeader.MergeableSize"/>). 10 is enough: tun neither fills nor
/// reads num_buffers. Whatever is set is <c>IPacketQueue.VnetHeaderSize</c>.</item>
/// <item><c>TUNSETOFFLOAD</c> with <c>TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 |
/// TUN_F_USO6</c> (0x01|0x02|0x04|0x20|0x40). Kernels before 6.2 refuse the USO bits with
/// EINVAL: retry with <c>TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6</c>, and then the pump passes
/// <c>coalesceUdp: false</c> to <see cref="PacketCoalescer"/> (the kernel would refuse
/// UDP_L4 headers it was not offered). TUN_F_CSUM is required for any TSO/USO bit.
/// TUN_F_TSO_ECN (0x08) may be added (the splitter handles the ECN bit); without it the stack
/// segments super-packets that carry CWR itself. The byte order of the
/// header stays little-endian on x86 (no TUNSETVNETBE).</item>
/// <item>After that <c>ethtool -k</c> on the device shows tx-checksumming, TSO and
/// tx-udp-segmentation on, and the kernel hands the device up to 64 KB packets.</item>
/// </list>
/// <para>Both paths are built once, for every engine: <see cref="TunOffloadReader"/> (read path) and
/// <see cref="TunCoalescingWriter"/> (write path) do what the next two paragraphs describe.</para>
/// <para><b>Read path</b> (tun → encrypt → UDP): read a batch with <c>IPacketQueue.Read(buffers,
/// sizes, offset)</c>; each <c>buffers[i].Span[offset..(offset + sizes[i])]</c> is a header plus
/// a packet. For each: <c>VirtioNetHeader.TryRead</c>; when <see cref="IsPlain"/> the packet at
/// <c>offset + VnetHeaderSize</c> is used where it lies; when only NEEDS_CSUM is set,
/// <see cref="GsoSplitter.CompleteChecksum"/> fixes it in place; otherwise
/// <see cref="GsoSplitter.Split(ReadOnlySpan{byte}, in VirtioNetHeader, ReadOnlySpan{Memory{byte}}, Span{int}, int, out int)"/>
/// writes up to <see cref="SegmentCount"/> packets into the pump's own buffers at the offset the
/// cipher needs (WireGuard: 16 bytes of message header in front, 16 of tag plus padding behind),
/// which it seals in place and sends in one UDP GSO batch. A refused packet is dropped and its
/// <see cref="OffloadError"/> counted in an <see cref="OffloadErrorCounters"/>.</para>
/// <para><b>Write path</b> (UDP → decrypt → tun): collect the decrypted IP packets of a batch
/// as <c>Memory&lt;byte&gt;</c> slices (one packet each), call
/// <c>PacketCoalescer.Coalesce(packets, outputs, sizes, offset, written)</c> with as many output
/// buffers of <c>offset + VnetHeaderSize + 65535</c> bytes, then
/// <c>IPacketQueue.Write(written[..count], offset)</c>. Packets it could not merge are already
/// behind a NONE header, so every output is written the same way. Pass <c>coalesceUdp</c>
/// only when the device took TUN_F_USO4|TUN_F_USO6. One coalescer per writing thread.</para>
/// </summary>
public static class TunOffload
{
    /// <summary>The largest packet a tun device with TSO/USO exchanges (IP total length limit).</summary>
    public const int MaxSuperPacket = PacketCoalescer.MaxSuperPacket;

    /// <summary>True when the packet needs no work: no GSO and no checksum to complete (DATA_VALID may be set).</summary>
    public static bool IsPlain(in VirtioNetHeader header) => !header.IsGso && !header.NeedsChecksum;

    /// <summary>
    /// How many packets <see cref="GsoSplitter"/> makes of a <paramref name="packetLength"/>-byte
    /// packet with <paramref name="header"/>, given its IP plus transport header length
    /// <paramref name="headerLength"/> (an upper bound: pass the IP header length alone if unknown).
    /// </summary>
    public static int SegmentCount(in VirtioNetHeader header, int packetLength, int headerLength)
    {
        if (!header.IsGso || header.GsoSize == 0)
        {
            return 1;
        }
        var payload = packetLength - headerLength;
        return payload <= header.GsoSize ? 1 : (payload + header.GsoSize - 1) / header.GsoSize;
    }
}

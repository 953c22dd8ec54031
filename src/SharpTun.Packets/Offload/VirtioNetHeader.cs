using System.Buffers.Binary;

namespace SharpTun.Packets.Offload;

/// <summary>
/// <c>struct virtio_net_hdr</c> (10 bytes) as tun puts it in front of every packet with
/// IFF_VNET_HDR: flags, gso_type, then four 16-bit fields hdr_len, gso_size, csum_start,
/// csum_offset. With <c>TUNSETVNETHDRSZ 12</c> the header is <c>virtio_net_hdr_mrg_rxbuf</c>:
/// the same 10 bytes plus num_buffers, which tun does not fill on read and ignores on write.
/// <para>Byte order: tun uses the device's vnet endianness, little-endian unless TUNSETVNETBE
/// selected big-endian (tun_is_little_endian: TUN_VNET_LE or virtio_legacy_is_little_endian(),
/// which is true on little-endian hosts). Pass <c>bigEndian: true</c> only for a device set so.</para>
/// </summary>
/// <param name="Flags">NEEDS_CSUM / DATA_VALID.</param>
/// <param name="GsoType">The GSO type, possibly with the ECN bit.</param>
/// <param name="HeaderLength">hdr_len: on write, the bytes of IP plus transport header; on read only a hint (the kernel may put the linear length there).</param>
/// <param name="GsoSize">gso_size: transport payload bytes per segment (TCP MSS, or UDP payload per datagram).</param>
/// <param name="ChecksumStart">csum_start: offset of the transport header from the start of the IP packet.</param>
/// <param name="ChecksumOffset">csum_offset: offset of the checksum field from <paramref name="ChecksumStart"/> (16 for TCP, 6 for UDP).</param>
public readonly record struct VirtioNetHeader(
    VirtioNetFlags Flags,
    VirtioGsoType GsoType,
    ushort HeaderLength,
    ushort GsoSize,
    ushort ChecksumStart,
    ushort ChecksumOffset)
{
    /// <summary>Bytes of <c>struct virtio_net_hdr</c>, the tun default.</summary>
    public const int Size = 10;

    /// <summary>Bytes of <c>struct virtio_net_hdr_mrg_rxbuf</c> (after <c>TUNSETVNETHDRSZ 12</c>).</summary>
    public const int MergeableSize = 12;

    /// <summary>The flag bits the kernel defines (NEEDS_CSUM | DATA_VALID | RSC_INFO).</summary>
    private const byte KnownFlags = 0x07;

    /// <summary>True when the GSO type (ECN bit aside) is not NONE.</summary>
    public bool IsGso => GsoKind != VirtioGsoType.None;

    /// <summary>The GSO type without the ECN bit.</summary>
    public VirtioGsoType GsoKind => GsoType & ~VirtioGsoType.Ecn;

    /// <summary>True when the checksum at <see cref="ChecksumStart"/> + <see cref="ChecksumOffset"/> is still to be completed.</summary>
    public bool NeedsChecksum => (Flags & VirtioNetFlags.NeedsChecksum) != 0;

    /// <summary>Reads the first 10 bytes of <paramref name="source"/>; false when it is shorter.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out VirtioNetHeader header, bool bigEndian = false)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }
        header = new VirtioNetHeader(
            (VirtioNetFlags)source[0],
            (VirtioGsoType)source[1],
            Read16(source[2..], bigEndian),
            Read16(source[4..], bigEndian),
            Read16(source[6..], bigEndian),
            Read16(source[8..], bigEndian));
        return true;
    }

    /// <summary>
    /// Writes the header into the first <paramref name="size"/> bytes (10, or 12 with num_buffers = 0).
    /// Returns false when <paramref name="destination"/> is shorter or the size is neither.
    /// </summary>
    public bool TryWrite(Span<byte> destination, int size = Size, bool bigEndian = false)
    {
        if (size is not (Size or MergeableSize) || destination.Length < size)
        {
            return false;
        }
        destination[0] = (byte)Flags;
        destination[1] = (byte)GsoType;
        Write16(destination[2..], HeaderLength, bigEndian);
        Write16(destination[4..], GsoSize, bigEndian);
        Write16(destination[6..], ChecksumStart, bigEndian);
        Write16(destination[8..], ChecksumOffset, bigEndian);
        if (size == MergeableSize)
        {
            destination[10] = 0;
            destination[11] = 0;
        }
        return true;
    }

    /// <summary>
    /// Checks what the header says on its own (the packet is checked by <see cref="GsoSplitter"/>):
    /// known flags and GSO type, ECN only on TCP, a non-zero gso_size and NEEDS_CSUM with every GSO type.
    /// </summary>
    public OffloadError Validate()
    {
        if (((byte)Flags & ~KnownFlags) != 0)
        {
            return OffloadError.UnknownFlags;
        }
        var kind = GsoKind;
        if (kind is not (VirtioGsoType.None or VirtioGsoType.TcpV4 or VirtioGsoType.TcpV6 or VirtioGsoType.UdpL4))
        {
            return OffloadError.UnknownGsoType;
        }
        if ((GsoType & VirtioGsoType.Ecn) != 0 && kind is not (VirtioGsoType.TcpV4 or VirtioGsoType.TcpV6))
        {
            return OffloadError.EcnWithoutTcp;
        }
        if (kind != VirtioGsoType.None)
        {
            if (GsoSize == 0)
            {
                return OffloadError.GsoSizeZero;
            }
            if (!NeedsChecksum)
            {
                return OffloadError.GsoWithoutChecksum;
            }
        }
        return OffloadError.None;
    }

    private static ushort Read16(ReadOnlySpan<byte> b, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b);

    private static void Write16(Span<byte> b, ushort v, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        }
    }
}

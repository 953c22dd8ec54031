namespace SharpTun.Packets.Offload;

/// <summary>The <c>flags</c> byte of <c>struct virtio_net_hdr</c> (include/uapi/linux/virtio_net.h).</summary>
[Flags]
public enum VirtioNetFlags : byte
{
    /// <summary>No flags: the packet's checksums are complete (or not the device's business).</summary>
    None = 0,

    /// <summary>
    /// VIRTIO_NET_HDR_F_NEEDS_CSUM (CHECKSUM_PARTIAL): the checksum over the bytes from
    /// <see cref="VirtioNetHeader.ChecksumStart"/> to the end still has to be computed and stored at
    /// <c>ChecksumStart + ChecksumOffset</c>; that field already holds the folded pseudo-header sum.
    /// </summary>
    NeedsChecksum = 1,

    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID (CHECKSUM_UNNECESSARY): the kernel already verified the checksum (read path only).</summary>
    DataValid = 2,

    /// <summary>VIRTIO_NET_HDR_F_RSC_INFO: coalescing information in <c>csum_start</c>/<c>csum_offset</c> (virtio devices; tun never sets it).</summary>
    RscInfo = 4,
}

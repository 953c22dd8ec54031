namespace SharpTun.IO;

/// <summary>
/// Segmentation and checksum offloads a packet device took (a tun device opened with
/// IFF_VNET_HDR and TUNSETOFFLOAD). With any of them on, a read may return a packet whose
/// transport checksum is only partial (NEEDS_CSUM in its virtio-net header) or, with the
/// segmentation bits, one super-packet of up to 64 KB that stands for many wire-sized packets;
/// and a writer may hand the device such super-packets (GRO done in user space).
/// </summary>
[Flags]
public enum PacketOffloads
{
    /// <summary>No offloads: every packet is a complete wire-sized packet.</summary>
    None = 0,

    /// <summary>Checksums may be left for the reader to complete (TUN_F_CSUM).</summary>
    Checksum = 1,

    /// <summary>TCP segmentation over IPv4 and IPv6 (TUN_F_TSO4 | TUN_F_TSO6).</summary>
    TcpSegmentation = 2,

    /// <summary>UDP segmentation over IPv4 and IPv6 (TUN_F_USO4 | TUN_F_USO6, Linux 6.2 and later).</summary>
    UdpSegmentation = 4,
}

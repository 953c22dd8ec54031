namespace SharpTun.Packets.Offload;

/// <summary>The <c>gso_type</c> byte of <c>struct virtio_net_hdr</c> (include/uapi/linux/virtio_net.h).</summary>
public enum VirtioGsoType : byte
{
    /// <summary>VIRTIO_NET_HDR_GSO_NONE: one ordinary packet.</summary>
    None = 0,

    /// <summary>VIRTIO_NET_HDR_GSO_TCPV4: an IPv4 TCP super-packet to cut at <see cref="VirtioNetHeader.GsoSize"/> payload bytes (TSO).</summary>
    TcpV4 = 1,

    /// <summary>VIRTIO_NET_HDR_GSO_UDP: UDP fragmentation offload (UFO), removed from Linux 4.14; rejected here.</summary>
    Udp = 3,

    /// <summary>VIRTIO_NET_HDR_GSO_TCPV6: an IPv6 TCP super-packet (TSO).</summary>
    TcpV6 = 4,

    /// <summary>VIRTIO_NET_HDR_GSO_UDP_L4: a UDP super-packet cut into datagrams of <see cref="VirtioNetHeader.GsoSize"/> payload bytes (USO, Linux 6.2+ on tun).</summary>
    UdpL4 = 5,

    /// <summary>VIRTIO_NET_HDR_GSO_ECN: or-ed into a TCP type when the super-packet carries CWR (SKB_GSO_TCP_ECN).</summary>
    Ecn = 0x80,
}

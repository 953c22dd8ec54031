namespace SharpTun.Linux.Interop;

/// <summary>
/// Socket option levels and names (asm-generic/socket.h, linux/in.h, linux/in6.h, linux/udp.h),
/// and the control-message layout of LP64 (x86_64, aarch64): <c>struct cmsghdr</c> is a size_t
/// length, an int level and an int type (16 bytes), data aligned to 8.
/// </summary>
internal static class SockOpt
{
    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_SNDBUFFORCE = 32;
    internal const int SO_RCVBUFFORCE = 33;
    internal const int SO_MARK = 36;

    internal const int SOL_IP = 0;
    internal const int IP_PKTINFO = 8;

    internal const int SOL_IPV6 = 41;
    internal const int IPV6_V6ONLY = 26;
    internal const int IPV6_RECVPKTINFO = 49;
    internal const int IPV6_PKTINFO = 50;

    internal const int SOL_UDP = 17;
    internal const int UDP_SEGMENT = 103;
    internal const int UDP_GRO = 104;

    /// <summary>
    /// Most segments one UDP_SEGMENT send may carry: UDP_MAX_SEGMENTS, 64 before Linux 6.6 (128 since);
    /// more is EINVAL, so the lower value is used everywhere.
    /// </summary>
    internal const int UdpMaxSegments = 64;

    /// <summary>Largest UDP payload over IPv4: 65535 minus the IPv4 (20) and UDP (8) headers; also the bound of one GSO send.</summary>
    internal const int UdpMaxPayloadV4 = 65507;

    /// <summary>Largest UDP payload over IPv6 without jumbograms: the 16-bit payload length (65535) minus the UDP header (8).</summary>
    internal const int UdpMaxPayloadV6 = 65527;

    /// <summary>Largest payload of one UDP_GRO message (the kernel coalesces up to 65535 bytes of IP payload): a receive buffer this big never truncates one.</summary>
    internal const int GroMaxMessage = 65535;

    internal const int NETLINK_EXT_ACK = 11;
    internal const int SOL_NETLINK = 270;

    /// <summary>sizeof(struct cmsghdr).</summary>
    internal const int CmsgHeaderSize = 16;

    /// <summary>sizeof(struct in_pktinfo): ifindex, spec_dst, addr.</summary>
    internal const int InPktInfoSize = 12;

    /// <summary>sizeof(struct in6_pktinfo): addr, ifindex.</summary>
    internal const int In6PktInfoSize = 20;

    /// <summary>CMSG_SPACE(length): header plus data rounded up to 8 bytes.</summary>
    internal static int CmsgSpace(int length) => CmsgHeaderSize + ((length + 7) & ~7);

    /// <summary>CMSG_LEN(length): header plus data, the value of cmsg_len.</summary>
    internal static int CmsgLength(int length) => CmsgHeaderSize + length;
}

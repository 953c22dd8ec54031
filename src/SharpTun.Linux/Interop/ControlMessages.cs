using System.Buffers.Binary;
using SharpTun.IO;

namespace SharpTun.Linux.Interop;

/// <summary>
/// The ancillary data a UDP bind reads and writes: IP_PKTINFO / IPV6_PKTINFO (the local address
/// and interface) and UDP_GRO / UDP_SEGMENT (segment sizes). Pointers are into buffers the bind owns.
/// </summary>
internal static unsafe class ControlMessages
{
    /// <summary>Control room per received datagram: IPV6_PKTINFO (40) or IP_PKTINFO (32), plus UDP_GRO (24), with slack.</summary>
    internal const int ReceiveSpace = 128;

    /// <summary>Control room per sent message: one pktinfo (at most 40) plus UDP_SEGMENT (24).</summary>
    internal const int SendSpace = 64;

    /// <summary>CMSG_SPACE of UDP_SEGMENT's u16 gso_size.</summary>
    internal const int SegmentSpace = 24;

    /// <summary>
    /// Writes a UDP_SEGMENT message at <paramref name="control"/>: the kernel cuts the message's
    /// payload into datagrams of <paramref name="segmentSize"/> bytes (the last may be shorter).
    /// Returns its space (<see cref="SegmentSpace"/>).
    /// </summary>
    internal static int WriteSegment(byte* control, int segmentSize)
    {
        new Span<byte>(control, SegmentSpace).Clear();
        *(nuint*)control = (nuint)SockOpt.CmsgLength(sizeof(ushort));
        *(int*)(control + 8) = SockOpt.SOL_UDP;
        *(int*)(control + 12) = SockOpt.UDP_SEGMENT;
        *(ushort*)(control + SockOpt.CmsgHeaderSize) = (ushort)segmentSize;
        return SegmentSpace;
    }

    /// <summary>Finds the local address, interface and GRO segment size in received control data.</summary>
    internal static void Parse(byte* control, nuint length, out NetEndpoint local, out int interfaceIndex, out int groSegmentSize)
    {
        local = default;
        interfaceIndex = 0;
        groSegmentSize = 0;
        var offset = 0;
        while (offset + SockOpt.CmsgHeaderSize <= (int)length)
        {
            var p = control + offset;
            var len = (int)*(nuint*)p;
            var level = *(int*)(p + 8);
            var type = *(int*)(p + 12);
            if (len < SockOpt.CmsgHeaderSize || offset + len > (int)length)
            {
                return;
            }
            var data = new ReadOnlySpan<byte>(p + SockOpt.CmsgHeaderSize, len - SockOpt.CmsgHeaderSize);
            if (level == SockOpt.SOL_IP && type == SockOpt.IP_PKTINFO && data.Length >= SockOpt.InPktInfoSize)
            {
                // struct in_pktinfo { int ipi_ifindex; in_addr ipi_spec_dst; in_addr ipi_addr; }:
                // spec_dst is the local address a reply should come from (as wireguard-go uses it).
                interfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(data);
                local = NetEndpoint.From(data.Slice(4, 4), 0);
            }
            else if (level == SockOpt.SOL_IPV6 && type == SockOpt.IPV6_PKTINFO && data.Length >= SockOpt.In6PktInfoSize)
            {
                // struct in6_pktinfo { in6_addr ipi6_addr; int ipi6_ifindex; }
                local = SockAddr.FromIn6(data[..16], 0);
                interfaceIndex = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
            }
            else if (level == SockOpt.SOL_UDP && type == SockOpt.UDP_GRO && data.Length >= sizeof(int))
            {
                groSegmentSize = BinaryPrimitives.ReadInt32LittleEndian(data);
            }
            offset += SockOpt.CmsgSpace(len - SockOpt.CmsgHeaderSize);
        }
    }

    /// <summary>
    /// Writes the pktinfo that makes a datagram leave from <paramref name="local"/> on a socket of
    /// <paramref name="socketFamily"/>; returns the control length (0 when none fits). The interface
    /// is left to routing (0) except for IPv6 link-local sources, which need it.
    /// </summary>
    internal static int WriteSource(byte* control, in NetEndpoint local, int interfaceIndex, int socketFamily)
    {
        Span<byte> address = stackalloc byte[16];
        var n = local.WriteAddress(address);
        if (socketFamily == Libc.AF_INET)
        {
            if (n != 4)
            {
                return 0;
            }
            var space = SockOpt.CmsgSpace(SockOpt.InPktInfoSize);
            new Span<byte>(control, space).Clear();
            *(nuint*)control = (nuint)SockOpt.CmsgLength(SockOpt.InPktInfoSize);
            *(int*)(control + 8) = SockOpt.SOL_IP;
            *(int*)(control + 12) = SockOpt.IP_PKTINFO;
            address[..4].CopyTo(new Span<byte>(control + SockOpt.CmsgHeaderSize + 4, 4)); // ipi_spec_dst
            return space;
        }
        var space6 = SockOpt.CmsgSpace(SockOpt.In6PktInfoSize);
        new Span<byte>(control, space6).Clear();
        *(nuint*)control = (nuint)SockOpt.CmsgLength(SockOpt.In6PktInfoSize);
        *(int*)(control + 8) = SockOpt.SOL_IPV6;
        *(int*)(control + 12) = SockOpt.IPV6_PKTINFO;
        // An IPv4 source on a dual-stack socket travels as ::ffff:a.b.c.d (ip_cmsg_send accepts it).
        SockAddr.WriteIn6Address(new Span<byte>(control + SockOpt.CmsgHeaderSize, 16), address[..n]);
        var linkLocal = n == 16 && address[0] == 0xfe && (address[1] & 0xc0) == 0x80;
        *(int*)(control + SockOpt.CmsgHeaderSize + 16) = linkLocal ? interfaceIndex : 0;
        return space6;
    }
}

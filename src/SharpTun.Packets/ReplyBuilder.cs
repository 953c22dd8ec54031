using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Builds replies into a caller's buffer. Each method returns the number of bytes written, or 0
/// when the request is not one it answers or the buffer is too small. No allocation.
/// </summary>
public static class ReplyBuilder
{
    /// <summary>Hop limit / TTL of echo replies (Linux default).</summary>
    public const byte DefaultTtl = 64;

    /// <summary>
    /// An IPv4 packet carrying the ICMP echo reply to <paramref name="request"/> (an echo request):
    /// addresses swapped, a 20-byte header without options, same identifier, sequence and data.
    /// </summary>
    public static int EchoReplyV4(Ipv4Packet request, Span<byte> destination, ushort identification = 0)
    {
        if (request.Protocol != IpProtocol.Icmp || request.IsFragment
            || !IcmpV4Packet.TryParse(request.Payload, out var echo, out _) || echo.Type != IcmpV4Packet.EchoRequest)
        {
            return 0;
        }
        var length = Ipv4Packet.MinHeaderLength + echo.Bytes.Length;
        if (length > destination.Length)
        {
            return 0;
        }
        var icmp = destination[Ipv4Packet.MinHeaderLength..length];
        echo.Bytes.CopyTo(icmp);
        icmp[0] = IcmpV4Packet.EchoReply;
        icmp[1] = 0;
        icmp[2] = 0;
        icmp[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum.Compute(icmp));
        Ipv4Packet.WriteHeader(destination, icmp.Length, identification, dontFragment: false, DefaultTtl, IpProtocol.Icmp,
            request.Destination, request.Source, (byte)(request.Dscp << 2));
        return length;
    }

    /// <summary>An IPv6 packet carrying the ICMPv6 echo reply to <paramref name="request"/> (extension headers are not echoed).</summary>
    public static int EchoReplyV6(Ipv6Packet request, Span<byte> destination)
    {
        if (request.UpperLayerProtocol != IpProtocol.Icmpv6 || request.IsFragment
            || !IcmpV6Packet.TryParse(request.UpperLayerPayload, out var echo, out _) || echo.Type != IcmpV6Packet.EchoRequest)
        {
            return 0;
        }
        var length = Ipv6Packet.HeaderLength + echo.Bytes.Length;
        if (length > destination.Length)
        {
            return 0;
        }
        var icmp = destination[Ipv6Packet.HeaderLength..length];
        echo.Bytes.CopyTo(icmp);
        icmp[0] = IcmpV6Packet.EchoReply;
        icmp[1] = 0;
        WriteIcmpv6Checksum(icmp, request.Destination, request.Source);
        Ipv6Packet.WriteHeader(destination, icmp.Length, IpProtocol.Icmpv6, DefaultTtl, request.Destination, request.Source);
        return length;
    }

    /// <summary>A 42-byte Ethernet frame with the ARP reply "<c>target IP</c> is at <paramref name="mac"/>" to an ARP request.</summary>
    public static int ArpReply(MacAddress requestSource, ArpPacket request, MacAddress mac, Span<byte> destination)
    {
        const int length = EthernetFrame.HeaderLength + ArpPacket.Length;
        if (request.Operation != ArpPacket.Request || destination.Length < length)
        {
            return 0;
        }
        EthernetFrame.WriteHeader(destination, requestSource, mac, EtherType.Arp);
        ArpPacket.Write(destination[EthernetFrame.HeaderLength..], ArpPacket.Reply, mac, request.TargetProtocolAddress,
            request.SenderHardwareAddress, request.SenderProtocolAddress);
        return length;
    }

    /// <summary>
    /// An Ethernet frame with the solicited neighbour advertisement (RFC 4861 §7.2.4) answering
    /// <paramref name="solicitation"/>: target = the solicited address, flags S|O, a target
    /// link-layer address option with <paramref name="mac"/>, hop limit 255, sent to the
    /// solicitation's source. Returns 0 for a DAD probe (unspecified source), which gets no unicast answer.
    /// </summary>
    public static int NeighborAdvertisement(MacAddress requestSource, Ipv6Packet solicitation, MacAddress mac, Span<byte> destination)
    {
        const int icmpLength = 32;
        const int length = EthernetFrame.HeaderLength + Ipv6Packet.HeaderLength + icmpLength;
        if (destination.Length < length || solicitation.UpperLayerProtocol != IpProtocol.Icmpv6
            || !IcmpV6Packet.TryParse(solicitation.UpperLayerPayload, out var ns, out _)
            || ns.Type != IcmpV6Packet.NeighborSolicitation || IsUnspecified(solicitation.Source))
        {
            return 0;
        }
        EthernetFrame.WriteHeader(destination, requestSource, mac, EtherType.Ipv6);
        var ip = destination[EthernetFrame.HeaderLength..length];
        var icmp = ip[Ipv6Packet.HeaderLength..];
        icmp.Clear();
        icmp[0] = IcmpV6Packet.NeighborAdvertisement;
        icmp[4] = 0x60; // Solicited | Override
        ns.TargetAddress.CopyTo(icmp[8..]);
        icmp[24] = IcmpV6Packet.OptionTargetLinkLayer;
        icmp[25] = 1; // 8 bytes
        mac.WriteTo(icmp[26..]);
        // RFC 4861 §7.1.2: receivers drop NDP messages whose hop limit is not 255.
        Ipv6Packet.WriteHeader(ip, icmpLength, IpProtocol.Icmpv6, 255, ns.TargetAddress, solicitation.Source);
        WriteIcmpv6Checksum(icmp, ns.TargetAddress, solicitation.Source);
        return length;
    }

    /// <summary>Zeroes and recomputes the checksum of an ICMPv6 message over the pseudo-header.</summary>
    public static void WriteIcmpv6Checksum(Span<byte> icmp, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination)
    {
        icmp[2] = 0;
        icmp[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum.ComputeTransport(source, destination, IpProtocol.Icmpv6, icmp));
    }

    private static bool IsUnspecified(ReadOnlySpan<byte> address) => address.IndexOfAnyExcept((byte)0) < 0;
}

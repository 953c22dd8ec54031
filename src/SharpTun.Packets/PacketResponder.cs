using System.Net;
using System.Net.Sockets;

namespace SharpTun.Packets;

/// <summary>
/// Answers from user space what the kernel sends out a tun/tap device: ICMP echo requests (v4
/// and v6) and, on Ethernet (tap), ARP requests and neighbour solicitations for the served
/// addresses, claiming them with <see cref="Mac"/>. Pure: request bytes in, reply bytes out.
/// With no addresses configured it serves every unicast echo request (whatever reaches the
/// device is addressed elsewhere: the kernel answers pings to its own addresses itself) and
/// every ARP/NDP request except gratuitous ARP and DAD probes. No allocation per packet.
/// </summary>
public sealed class PacketResponder
{
    private readonly byte[][] _v4;
    private readonly byte[][] _v6;

    /// <summary>Creates a responder for frames or packets of <paramref name="linkType"/>.</summary>
    public PacketResponder(LinkType linkType, MacAddress mac, IEnumerable<IPAddress>? addresses = null)
    {
        LinkType = linkType;
        Mac = mac;
        var list = addresses?.ToList() ?? [];
        _v4 = [.. list.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.GetAddressBytes())];
        _v6 = [.. list.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Select(a => a.GetAddressBytes())];
        AnyAddress = list.Count == 0;
    }

    /// <summary>Link type of requests and replies.</summary>
    public LinkType LinkType { get; }

    /// <summary>The MAC the responder answers with on Ethernet (not the tap device's own MAC).</summary>
    public MacAddress Mac { get; }

    /// <summary>True when no addresses were given: every unicast destination is served.</summary>
    public bool AnyAddress { get; }

    /// <summary>A random locally administered unicast MAC (02:xx:…).</summary>
    public static MacAddress RandomMac()
    {
        Span<byte> b = stackalloc byte[6];
        Random.Shared.NextBytes(b);
        b[0] = (byte)((b[0] & 0xFC) | 0x02);
        return new MacAddress(b);
    }

    /// <summary>Writes the reply to <paramref name="request"/> into <paramref name="reply"/>; returns its kind and length (0 = no reply).</summary>
    public (ResponseKind Kind, int Length) Respond(ReadOnlySpan<byte> request, Span<byte> reply)
    {
        var p = PacketDecoder.Decode(request, LinkType);
        if (p.IsMalformed)
        {
            return (ResponseKind.None, 0);
        }
        if (p.HasEthernet)
        {
            var to = p.Ethernet.Destination;
            if (!to.IsMulticast && to != Mac)
            {
                return (ResponseKind.None, 0);
            }
            if (p.Ethernet.VlanTagCount > 0)
            {
                return (ResponseKind.None, 0);
            }
        }
        var offset = p.HasEthernet ? EthernetFrame.HeaderLength : 0;
        if (reply.Length < offset)
        {
            return (ResponseKind.None, 0);
        }
        var body = reply[offset..];
        int n;
        switch (p.Transport)
        {
            case TransportLayer.Icmp when p.Icmp.Type == IcmpV4Packet.EchoRequest && ServesV4(p.Ipv4.Destination) && !(p.HasEthernet && p.Ethernet.Destination.IsMulticast):
                n = ReplyBuilder.EchoReplyV4(p.Ipv4, body, p.Ipv4.Identification);
                return Finish(p, reply, ResponseKind.EchoReplyV4, n, offset, EtherType.Ipv4);
            case TransportLayer.Icmpv6 when p.Icmpv6.Type == IcmpV6Packet.EchoRequest && ServesV6(p.Ipv6.Destination) && !(p.HasEthernet && p.Ethernet.Destination.IsMulticast):
                n = ReplyBuilder.EchoReplyV6(p.Ipv6, body);
                return Finish(p, reply, ResponseKind.EchoReplyV6, n, offset, EtherType.Ipv6);
            case TransportLayer.Icmpv6 when p.HasEthernet && p.Icmpv6.Type == IcmpV6Packet.NeighborSolicitation
                && p.Icmpv6.Code == 0 && p.Ipv6.HopLimit == 255 && ServesV6(p.Icmpv6.TargetAddress):
                n = ReplyBuilder.NeighborAdvertisement(p.Ethernet.Source, p.Ipv6, Mac, reply);
                return n == 0 ? (ResponseKind.None, 0) : (ResponseKind.NeighborAdvertisement, n);
        }
        if (p.Network == NetworkLayer.Arp && p.Arp.Operation == ArpPacket.Request && !p.Arp.IsGratuitous
            && ServesV4(p.Arp.TargetProtocolAddress))
        {
            n = ReplyBuilder.ArpReply(p.Ethernet.Source, p.Arp, Mac, reply);
            return n == 0 ? (ResponseKind.None, 0) : (ResponseKind.ArpReply, n);
        }
        return (ResponseKind.None, 0);
    }

    private (ResponseKind, int) Finish(scoped in DecodedPacket p, Span<byte> reply, ResponseKind kind, int n, int offset, ushort etherType)
    {
        if (n == 0)
        {
            return (ResponseKind.None, 0);
        }
        if (p.HasEthernet)
        {
            EthernetFrame.WriteHeader(reply, p.Ethernet.Source, Mac, etherType);
        }
        return (kind, n + offset);
    }

    private bool ServesV4(ReadOnlySpan<byte> address)
    {
        if (AnyAddress)
        {
            // Not limited broadcast, multicast (224/4) or unspecified: nobody answers those from one address.
            return address[0] < 224 && !address.SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 0]);
        }
        foreach (var a in _v4)
        {
            if (address.SequenceEqual(a))
            {
                return true;
            }
        }
        return false;
    }

    private bool ServesV6(ReadOnlySpan<byte> address)
    {
        if (AnyAddress)
        {
            // Not multicast (ff00::/8), unspecified, or link-local (fe80::/10: the kernel's own side of the link).
            return address[0] != 0xFF && address.IndexOfAnyExcept((byte)0) >= 0 && !(address[0] == 0xFE && (address[1] & 0xC0) == 0x80);
        }
        foreach (var a in _v6)
        {
            if (address.SequenceEqual(a))
            {
                return true;
            }
        }
        return false;
    }
}

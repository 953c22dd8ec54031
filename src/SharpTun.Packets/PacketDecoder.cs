namespace SharpTun.Packets;

/// <summary>Decodes a whole packet layer by layer into a <see cref="DecodedPacket"/>. Never throws, never allocates.</summary>
public static class PacketDecoder
{
    /// <summary>Decodes <paramref name="bytes"/> as a frame/packet of <paramref name="linkType"/>.</summary>
    public static DecodedPacket Decode(ReadOnlySpan<byte> bytes, LinkType linkType)
    {
        var p = new DecodedPacket { LinkType = linkType, Bytes = bytes, IpProtocolNumber = 255 };
        if (bytes.IsEmpty)
        {
            p.Error = new Malformation(MalformationKind.Empty);
            return p;
        }
        ReadOnlySpan<byte> network;
        if (linkType == LinkType.Ethernet)
        {
            if (!EthernetFrame.TryParse(bytes, out var eth, out var error))
            {
                p.Error = error;
                return p;
            }
            p.HasEthernet = true;
            p.Ethernet = eth;
            p.EtherType = eth.EtherType;
            network = eth.Payload;
        }
        else
        {
            var version = bytes[0] >> 4;
            p.EtherType = version switch { 4 => EtherType.Ipv4, 6 => EtherType.Ipv6, _ => 0 };
            if (p.EtherType == 0)
            {
                p.Error = new Malformation(MalformationKind.UnknownNetworkVersion, version);
                return p;
            }
            network = bytes;
        }
        DecodeNetwork(ref p, network);
        return p;
    }

    private static void DecodeNetwork(ref DecodedPacket p, ReadOnlySpan<byte> bytes)
    {
        Malformation error;
        switch (p.EtherType)
        {
            case EtherType.Arp:
                if (ArpPacket.TryParse(bytes, out var arp, out error))
                {
                    p.Network = NetworkLayer.Arp;
                    p.Arp = arp;
                }
                else
                {
                    p.Error = error;
                }
                return;
            case EtherType.Ipv4:
                if (!Ipv4Packet.TryParse(bytes, out var v4, out error))
                {
                    p.Error = error;
                    return;
                }
                p.Network = NetworkLayer.Ipv4;
                p.Ipv4 = v4;
                p.IpProtocolNumber = v4.Protocol;
                if (v4.IsFragment)
                {
                    p.Transport = TransportLayer.Fragment;
                    return;
                }
                DecodeTransport(ref p, v4.Protocol, v4.Payload);
                return;
            case EtherType.Ipv6:
                if (!Ipv6Packet.TryParse(bytes, out var v6, out error))
                {
                    p.Error = error;
                    return;
                }
                p.Network = NetworkLayer.Ipv6;
                p.Ipv6 = v6;
                p.IpProtocolNumber = v6.UpperLayerProtocol;
                if (v6.IsFragment)
                {
                    p.Transport = TransportLayer.Fragment;
                    return;
                }
                DecodeTransport(ref p, v6.UpperLayerProtocol, v6.UpperLayerPayload);
                return;
            default:
                p.Network = NetworkLayer.Other;
                return;
        }
    }

    private static void DecodeTransport(ref DecodedPacket p, byte protocol, ReadOnlySpan<byte> bytes)
    {
        Malformation error;
        switch (protocol)
        {
            case IpProtocol.Icmp when p.Network == NetworkLayer.Ipv4:
                if (IcmpV4Packet.TryParse(bytes, out var icmp, out error))
                {
                    p.Transport = TransportLayer.Icmp;
                    p.Icmp = icmp;
                    return;
                }
                break;
            case IpProtocol.Icmpv6 when p.Network == NetworkLayer.Ipv6:
                if (IcmpV6Packet.TryParse(bytes, out var icmp6, out error))
                {
                    p.Transport = TransportLayer.Icmpv6;
                    p.Icmpv6 = icmp6;
                    return;
                }
                break;
            case IpProtocol.Udp:
                if (UdpDatagram.TryParse(bytes, out var udp, out error))
                {
                    p.Transport = TransportLayer.Udp;
                    p.Udp = udp;
                    return;
                }
                break;
            case IpProtocol.Tcp:
                if (TcpSegment.TryParse(bytes, out var tcp, out error))
                {
                    p.Transport = TransportLayer.Tcp;
                    p.Tcp = tcp;
                    return;
                }
                break;
            default:
                p.Transport = TransportLayer.Other;
                return;
        }
        p.Error = error;
    }
}

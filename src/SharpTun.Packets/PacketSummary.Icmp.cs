namespace SharpTun.Packets;

public static partial class PacketSummary
{
    private static void WriteIcmp(ref CharWriter w, IcmpV4Packet icmp, byte ttl)
    {
        switch (icmp.Type)
        {
            case IcmpV4Packet.EchoRequest:
            case IcmpV4Packet.EchoReply:
                // tshark pads "reply" so that id= lines up with the request's.
                w.Append(icmp.Type == IcmpV4Packet.EchoRequest ? "Echo (ping) request  id=" : "Echo (ping) reply    id=");
                w.AppendHex(icmp.Identifier, 4);
                w.Append(", seq=");
                w.Append(icmp.Sequence);
                w.Append('/');
                w.Append((ushort)((icmp.Sequence << 8) | (icmp.Sequence >> 8)));
                w.Append(", ttl=");
                w.Append(ttl);
                return;
            case IcmpV4Packet.DestinationUnreachable:
                w.Append("Destination unreachable (");
                w.Append(icmp.Code switch
                {
                    0 => "Network unreachable",
                    1 => "Host unreachable",
                    2 => "Protocol unreachable",
                    3 => "Port unreachable",
                    4 => "Fragmentation needed",
                    9 or 10 or 13 => "Communication administratively filtered",
                    _ => "code",
                });
                if (icmp.Code is not (<= 4 or 9 or 10 or 13))
                {
                    w.Append(' ');
                    w.Append(icmp.Code);
                }
                w.Append(')');
                if (icmp.Code == 4)
                {
                    w.Append(" mtu=");
                    w.Append(icmp.NextHopMtu);
                }
                return;
            case IcmpV4Packet.TimeExceeded:
                w.Append(icmp.Code == 1 ? "Time-to-live exceeded (Fragment reassembly time exceeded)" : "Time-to-live exceeded (Time to live exceeded in transit)");
                return;
            case IcmpV4Packet.Redirect:
                w.Append("Redirect");
                return;
            case IcmpV4Packet.ParameterProblem:
                w.Append("Parameter problem");
                return;
            case 13:
                w.Append("Timestamp request");
                return;
            case 14:
                w.Append("Timestamp reply");
                return;
            default:
                w.Append("Type ");
                w.Append(icmp.Type);
                w.Append(" code ");
                w.Append(icmp.Code);
                return;
        }
    }

    private static void WriteIcmpv6(ref CharWriter w, IcmpV6Packet icmp, byte hopLimit, MacAddress frameSource)
    {
        MacAddress mac;
        switch (icmp.Type)
        {
            case IcmpV6Packet.EchoRequest:
            case IcmpV6Packet.EchoReply:
                w.Append(icmp.Type == IcmpV6Packet.EchoRequest ? "Echo (ping) request id=" : "Echo (ping) reply id=");
                w.AppendHex(icmp.Identifier, 4);
                w.Append(", seq=");
                w.Append(icmp.Sequence);
                w.Append(", hop limit=");
                w.Append(hopLimit);
                return;
            case IcmpV6Packet.NeighborSolicitation:
                w.Append("Neighbor Solicitation for ");
                w.AppendAddress(icmp.TargetAddress);
                if (icmp.TryGetLinkLayerAddress(IcmpV6Packet.OptionSourceLinkLayer, out mac))
                {
                    w.Append(" from ");
                    w.AppendMac(mac);
                }
                return;
            case IcmpV6Packet.NeighborAdvertisement:
                w.Append("Neighbor Advertisement ");
                w.AppendAddress(icmp.TargetAddress);
                var flags = (icmp.RouterFlag ? 1 : 0) + (icmp.SolicitedFlag ? 1 : 0) + (icmp.OverrideFlag ? 1 : 0);
                if (flags > 0)
                {
                    w.Append(" (");
                    var first = true;
                    AppendFlag(ref w, icmp.RouterFlag, "rtr", ref first);
                    AppendFlag(ref w, icmp.SolicitedFlag, "sol", ref first);
                    AppendFlag(ref w, icmp.OverrideFlag, "ovr", ref first);
                    w.Append(')');
                }
                if (icmp.TryGetLinkLayerAddress(IcmpV6Packet.OptionTargetLinkLayer, out mac))
                {
                    w.Append(" is at ");
                    w.AppendMac(mac);
                }
                return;
            case IcmpV6Packet.RouterSolicitation:
            case IcmpV6Packet.RouterAdvertisement:
                w.Append(icmp.Type == IcmpV6Packet.RouterSolicitation ? "Router Solicitation" : "Router Advertisement");
                if (icmp.TryGetLinkLayerAddress(IcmpV6Packet.OptionSourceLinkLayer, out mac))
                {
                    w.Append(" from ");
                    w.AppendMac(mac);
                }
                return;
            case IcmpV6Packet.DestinationUnreachable:
                w.Append("Destination Unreachable (");
                w.Append(icmp.Code switch
                {
                    0 => "no route to destination",
                    1 => "Communication with destination administratively prohibited",
                    3 => "Address unreachable",
                    4 => "Port unreachable",
                    _ => "other",
                });
                w.Append(')');
                return;
            case IcmpV6Packet.PacketTooBig:
                w.Append("Packet Too Big mtu=");
                w.Append(icmp.Mtu);
                return;
            case IcmpV6Packet.TimeExceeded:
                w.Append(icmp.Code == 1 ? "Time Exceeded (fragment reassembly time exceeded)" : "Time Exceeded (hop limit exceeded in transit)");
                return;
            case IcmpV6Packet.ParameterProblem:
                w.Append("Parameter Problem");
                return;
            case IcmpV6Packet.Redirect:
                w.Append("Redirect");
                return;
            case 130:
                w.Append("Multicast Listener Query");
                return;
            case 131:
                w.Append("Multicast Listener Report");
                return;
            case 132:
                w.Append("Multicast Listener Done");
                return;
            case 143:
                w.Append("Multicast Listener Report Message v2");
                return;
            default:
                w.Append("Type ");
                w.Append(icmp.Type);
                w.Append(" code ");
                w.Append(icmp.Code);
                return;
        }
    }

    private static void AppendFlag(ref CharWriter w, bool set, string name, ref bool first)
    {
        if (!set)
        {
            return;
        }
        if (!first)
        {
            w.Append(", ");
        }
        w.Append(name);
        first = false;
    }
}

namespace SharpTun.Packets;

/// <summary>
/// One-line summaries in the style of tshark's default output:
/// <c>198.19.0.1 → 198.19.0.2 ICMP 84 Echo (ping) request  id=0x1c2a, seq=1/256, ttl=64</c>.
/// Writes into a caller's span; never throws and never allocates.
/// </summary>
public static partial class PacketSummary
{
    private static readonly string[] s_timeFormats = ["F0", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"];

    /// <summary>Characters that always suffice for one summary line.</summary>
    public const int MaxLineLength = 512;

    /// <summary>
    /// Writes <c>NUMBER TIME SOURCE → DESTINATION PROTOCOL LENGTH INFO</c>, tshark's column order;
    /// <paramref name="relativeSeconds"/> is the time since the first packet, shown with <paramref name="timeDigits"/>
    /// decimal places (0 to 9: tshark shows a capture's resolution, 6 for µs, 9 for ns); NaN leaves the column
    /// blank, as tshark does for a packet without a timestamp (a pcapng Simple Packet Block).
    /// </summary>
    public static bool TryFormatLine(long number, double relativeSeconds, scoped in DecodedPacket packet, Span<char> destination,
        out int written, TcpSequenceTracker? tracker = null, int timeDigits = 6)
    {
        var w = new CharWriter(destination);
        w.Append(number);
        w.RightAlign(0, 5);
        w.Append(' ');
        var start = w.Length;
        if (!double.IsNaN(relativeSeconds))
        {
            w.AppendFixed(relativeSeconds, s_timeFormats[Math.Clamp(timeDigits, 0, 9)]);
        }
        w.RightAlign(start, 11);
        w.Append(' ');
        Write(ref w, packet, tracker);
        written = w.Ok ? w.Length : 0;
        return w.Ok;
    }

    /// <summary>Writes <c>SOURCE → DESTINATION PROTOCOL LENGTH INFO</c>.</summary>
    public static bool TryFormat(scoped in DecodedPacket packet, Span<char> destination, out int written, TcpSequenceTracker? tracker = null)
    {
        var w = new CharWriter(destination);
        Write(ref w, packet, tracker);
        written = w.Ok ? w.Length : 0;
        return w.Ok;
    }

    /// <summary>Allocating convenience (tests, logs).</summary>
    public static string Format(scoped in DecodedPacket packet, TcpSequenceTracker? tracker = null)
    {
        Span<char> buffer = stackalloc char[MaxLineLength];
        return TryFormat(packet, buffer, out var n, tracker) ? new string(buffer[..n]) : "(summary too long)";
    }

    private static void Write(ref CharWriter w, scoped in DecodedPacket p, TcpSequenceTracker? tracker)
    {
        var start = w.Length;
        if (p.Network is NetworkLayer.Ipv4 or NetworkLayer.Ipv6)
        {
            WriteAddresses(ref w, start, p.SourceAddress, p.DestinationAddress);
        }
        else if (TryRawAddresses(p, out var source, out var destination))
        {
            // A malformed IP packet whose fixed header is complete still names its endpoints.
            WriteAddresses(ref w, start, source, destination);
        }
        else if (p.HasEthernet)
        {
            w.AppendMac(p.Ethernet.Source);
            w.RightAlign(start, 15);
            w.Append(" → ");
            var d = w.Length;
            w.AppendMac(p.Ethernet.Destination);
            w.PadTo(d, 15);
        }
        else
        {
            w.Append("              ? → ?              ");
        }
        var dns = DnsOf(p, tracker, out var parts, out var completed, out var last);
        w.Append(' ');
        w.Append(ProtocolName(p, dns));
        w.Append(' ');
        w.Append(p.Bytes.Length);
        w.Append(' ');
        WriteInfo(ref w, p, tracker, dns);
        if (dns is DnsCarrier.Dns or DnsCarrier.Mdns)
        {
            WriteDnsParts(ref w, parts, completed, last, dns == DnsCarrier.Mdns);
        }
        else if (dns == DnsCarrier.TcpPart)
        {
            // tshark holds the segment for reassembly and marks it so; a gap's segment may still end in whole messages.
            w.Append(" [TCP segment of a reassembled PDU]");
            WriteDnsParts(ref w, parts & DnsSegment.Whole, default, last, mdns: false);
        }
        if (p.HasEthernet && p.Ethernet.VlanTagCount > 0)
        {
            w.Append(" (VLAN ");
            w.Append(p.Ethernet.VlanId);
            w.Append(')');
        }
    }

    private static void WriteAddresses(ref CharWriter w, int start, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination)
    {
        w.AppendAddress(source);
        w.RightAlign(start, 15);
        w.Append(" → ");
        var d = w.Length;
        w.AppendAddress(destination);
        w.PadTo(d, 15);
    }

    private static bool TryRawAddresses(scoped in DecodedPacket p, out ReadOnlySpan<byte> source, out ReadOnlySpan<byte> destination)
    {
        var network = p.HasEthernet ? p.Ethernet.Payload : p.Bytes;
        source = destination = default;
        if (p.EtherType == EtherType.Ipv4 && network.Length >= Ipv4Packet.MinHeaderLength && network[0] >> 4 == 4)
        {
            source = network.Slice(12, 4);
            destination = network.Slice(16, 4);
            return true;
        }
        if (p.EtherType == EtherType.Ipv6 && network.Length >= Ipv6Packet.HeaderLength && network[0] >> 4 == 6)
        {
            source = network.Slice(8, 16);
            destination = network.Slice(24, 16);
            return true;
        }
        return false;
    }

    private static string ProtocolName(scoped in DecodedPacket p, DnsCarrier dns)
    {
        switch (p.Transport)
        {
            case TransportLayer.Icmp: return "ICMP";
            case TransportLayer.Icmpv6: return "ICMPv6";
            case TransportLayer.Udp or TransportLayer.Tcp:
                return dns switch
                {
                    DnsCarrier.Dns => "DNS",
                    DnsCarrier.Mdns => "MDNS",
                    _ => p.Transport == TransportLayer.Udp ? "UDP" : "TCP",
                };
        }
        return p.Network switch
        {
            NetworkLayer.Arp => "ARP",
            NetworkLayer.Ipv4 => p.IsMalformed ? "IPv4" : IpProtocol.Name(p.IpProtocolNumber) ?? "IPv4",
            NetworkLayer.Ipv6 => p.IsMalformed ? "IPv6" : IpProtocol.Name(p.IpProtocolNumber) ?? "IPv6",
            _ => p.EtherType switch
            {
                EtherType.Arp => "ARP",
                EtherType.Ipv4 => "IPv4",
                EtherType.Ipv6 => "IPv6",
                _ => p.HasEthernet ? "Ethernet" : "Raw",
            },
        };
    }

    private static void WriteInfo(ref CharWriter w, scoped in DecodedPacket p, TcpSequenceTracker? tracker, DnsCarrier dns)
    {
        if (p.IsMalformed)
        {
            w.Append("[Malformed: ");
            w.AppendMalformation(p.Error);
            w.Append(']');
            return;
        }
        switch (p.Transport)
        {
            case TransportLayer.Icmp:
                WriteIcmp(ref w, p.Icmp, p.Ipv4.TimeToLive);
                return;
            case TransportLayer.Icmpv6:
                WriteIcmpv6(ref w, p.Icmpv6, p.Ipv6.HopLimit, p.HasEthernet ? p.Ethernet.Source : default);
                return;
            case TransportLayer.Udp or TransportLayer.Tcp when dns is DnsCarrier.Dns or DnsCarrier.Mdns:
                return; // the messages follow (Write)
            case TransportLayer.Udp:
                w.Append(p.Udp.SourcePort);
                w.Append(" → ");
                w.Append(p.Udp.DestinationPort);
                w.Append(" Len=");
                w.Append(p.Udp.Payload.Length);
                return;
            case TransportLayer.Tcp:
                WriteTcp(ref w, p, tracker);
                return;
            case TransportLayer.Fragment:
                WriteFragment(ref w, p);
                return;
            case TransportLayer.Other:
                w.Append("IP protocol ");
                w.Append(p.IpProtocolNumber);
                return;
        }
        switch (p.Network)
        {
            case NetworkLayer.Arp:
                WriteArp(ref w, p.Arp);
                return;
            case NetworkLayer.Other:
                w.Append("Ethernet II, type ");
                w.AppendHex(p.EtherType, 4);
                return;
        }
    }

    private static void WriteArp(ref CharWriter w, ArpPacket arp)
    {
        switch (arp.Operation)
        {
            case ArpPacket.Request when arp.IsGratuitous:
                w.Append("Gratuitous ARP for ");
                w.AppendAddress(arp.SenderProtocolAddress);
                w.Append(" (Request)");
                return;
            case ArpPacket.Request:
                w.Append("Who has ");
                w.AppendAddress(arp.TargetProtocolAddress);
                w.Append("? Tell ");
                w.AppendAddress(arp.SenderProtocolAddress);
                return;
            case ArpPacket.Reply:
                w.AppendAddress(arp.SenderProtocolAddress);
                w.Append(" is at ");
                w.AppendMac(arp.SenderHardwareAddress);
                return;
            default:
                w.Append("ARP operation ");
                w.Append(arp.Operation);
                return;
        }
    }

    private static void WriteFragment(ref CharWriter w, scoped in DecodedPacket p)
    {
        if (p.Network == NetworkLayer.Ipv4)
        {
            w.Append("Fragmented IP protocol (proto=");
            w.Append(IpProtocol.Name(p.IpProtocolNumber) ?? "?");
            w.Append(' ');
            w.Append(p.IpProtocolNumber);
            w.Append(", off=");
            w.Append(p.Ipv4.FragmentOffset);
            w.Append(", ID=");
            w.AppendHex(p.Ipv4.Identification, 4, prefix: false);
            w.Append(')');
            return;
        }
        w.Append("IPv6 fragment (off=");
        w.Append(p.Ipv6.FragmentOffset);
        w.Append(p.Ipv6.MoreFragments ? " more=y" : " more=n");
        w.Append(" ident=");
        w.AppendHex(p.Ipv6.FragmentIdentification, 8);
        w.Append(" nxt=");
        w.Append(p.IpProtocolNumber);
        w.Append(')');
    }
}

using static SharpTun.Packets.Tests.Build;

namespace SharpTun.Packets.Tests;

public sealed class DecoderTests
{
    [Fact]
    public void Icmp_echo_request_v4_fields()
    {
        var p = PacketDecoder.Decode(Vectors.EchoRequestV4, LinkType.Raw);
        Assert.False(p.IsMalformed);
        Assert.Equal(NetworkLayer.Ipv4, p.Network);
        Assert.Equal(84, p.Ipv4.TotalLength);
        Assert.Equal(20, p.Ipv4.HeaderLength);
        Assert.True(p.Ipv4.DontFragment);
        Assert.False(p.Ipv4.IsFragment);
        Assert.Equal(64, p.Ipv4.TimeToLive);
        Assert.Equal(0x1234, p.Ipv4.Identification);
        Assert.True(p.Ipv4.HeaderChecksumValid);
        Assert.Equal("198.19.0.1", AddressText.Format(p.Ipv4.Source));
        Assert.Equal("198.19.0.2", AddressText.Format(p.Ipv4.Destination));
        Assert.Equal(TransportLayer.Icmp, p.Transport);
        Assert.Equal(8, p.Icmp.Type);
        Assert.Equal(0x1c2a, p.Icmp.Identifier);
        Assert.Equal(1, p.Icmp.Sequence);
        Assert.True(p.Icmp.ChecksumValid);
        Assert.Equal(56, p.Icmp.Body.Length);
    }

    [Fact]
    public void Ipv4_options_and_fragments()
    {
        var p = PacketDecoder.Decode(Vectors.Ipv4WithOptions, LinkType.Raw);
        Assert.Equal(24, p.Ipv4.HeaderLength);
        Assert.Equal(new byte[] { 0x94, 4, 0, 0 }, p.Ipv4.Options.ToArray());
        Assert.Equal(TransportLayer.Udp, p.Transport);
        Assert.Equal("hello", System.Text.Encoding.ASCII.GetString(p.Udp.Payload));
        Assert.True(p.Udp.ChecksumValid(p.SourceAddress, p.DestinationAddress));

        var first = PacketDecoder.Decode(Vectors.FirstFragmentV4, LinkType.Raw);
        Assert.True(first.Ipv4.MoreFragments);
        Assert.Equal(0, first.Ipv4.FragmentOffset);
        Assert.Equal(TransportLayer.Fragment, first.Transport);

        var later = PacketDecoder.Decode(Vectors.LaterFragmentV4, LinkType.Raw);
        Assert.Equal(1480, later.Ipv4.FragmentOffset);
        Assert.False(later.Ipv4.MoreFragments);
        Assert.Equal(TransportLayer.Fragment, later.Transport);
        Assert.Equal(0xabcd, later.Ipv4.Identification);
    }

    [Fact]
    public void Ethernet_padding_is_not_payload()
    {
        // A 42-byte ARP frame padded to the 60-byte Ethernet minimum, and a short IPv4 packet padded likewise.
        var padded = Vectors.ArpRequest.Concat(new byte[18]).ToArray();
        var p = PacketDecoder.Decode(padded, LinkType.Ethernet);
        Assert.Equal(NetworkLayer.Arp, p.Network);
        Assert.Equal(28, p.Arp.Bytes.Length);
        var udp = Eth(Vectors.PeerMac, Vectors.TapMac, 0x0800, Ipv4("198.19.0.1", "198.19.0.2", 17, Udp("198.19.0.1", "198.19.0.2", 1, 2, [9])));
        var frame = udp.Concat(new byte[60 - udp.Length]).ToArray();
        var q = PacketDecoder.Decode(frame, LinkType.Ethernet);
        Assert.False(q.IsMalformed);
        Assert.Equal(29, q.Ipv4.Bytes.Length);
        Assert.Equal(1, q.Udp.Payload.Length);
    }

    [Fact]
    public void Tcp_flags_ports_and_options()
    {
        var p = PacketDecoder.Decode(Vectors.TcpSynV4, LinkType.Raw);
        Assert.Equal(TransportLayer.Tcp, p.Transport);
        Assert.Equal(44312, p.Tcp.SourcePort);
        Assert.Equal(80, p.Tcp.DestinationPort);
        Assert.Equal(0x8a3c1f00u, p.Tcp.SequenceNumber);
        Assert.Equal(TcpFlags.Syn, p.Tcp.Flags);
        Assert.Equal(40, p.Tcp.HeaderLength);
        Assert.Equal(64240, p.Tcp.Window);
        Assert.True(p.Tcp.ChecksumValid(p.SourceAddress, p.DestinationAddress));
        var kinds = new List<byte>();
        foreach (var o in p.Tcp.EnumerateOptions())
        {
            kinds.Add(o.Kind);
            if (o.Kind == TcpOption.MaximumSegmentSize)
            {
                Assert.Equal(1460, o.MssValue);
            }
        }
        Assert.Equal(new byte[] { 2, 4, 8, 3 }, kinds);
        var data = PacketDecoder.Decode(Vectors.TcpDataV4, LinkType.Raw);
        Assert.Equal(TcpFlags.Psh | TcpFlags.Ack, data.Tcp.Flags);
        Assert.Equal(18, data.Tcp.Payload.Length);
    }

    [Fact]
    public void Ipv6_extension_headers_are_walked()
    {
        var p = PacketDecoder.Decode(Vectors.UdpV6WithExtensions, LinkType.Raw);
        Assert.False(p.IsMalformed);
        Assert.Equal(3, p.Ipv6.ExtensionHeaderCount);
        Assert.Equal(IpProtocol.HopByHop, p.Ipv6.NextHeader);
        Assert.Equal(IpProtocol.Udp, p.Ipv6.UpperLayerProtocol);
        var types = new List<byte>();
        foreach (var h in p.Ipv6.EnumerateExtensionHeaders())
        {
            types.Add(h.Type);
            Assert.Equal(8, h.Bytes.Length);
        }
        Assert.Equal(new byte[] { 0, 60, 43 }, types);
        Assert.Equal(40001, p.Udp.SourcePort);
        Assert.True(p.Udp.ChecksumValid(p.SourceAddress, p.DestinationAddress));

        var first = PacketDecoder.Decode(Vectors.FirstFragmentV6, LinkType.Raw);
        Assert.True(first.Ipv6.HasFragmentHeader);
        Assert.True(first.Ipv6.MoreFragments);
        Assert.Equal(0x12345678u, first.Ipv6.FragmentIdentification);
        Assert.Equal(TransportLayer.Fragment, first.Transport);
        var later = PacketDecoder.Decode(Vectors.LaterFragmentV6, LinkType.Raw);
        Assert.Equal(1232, later.Ipv6.FragmentOffset);
        Assert.False(later.Ipv6.MoreFragments);
        Assert.Equal(58, later.IpProtocolNumber);
    }

    [Fact]
    public void Icmpv6_neighbor_discovery_options()
    {
        var p = PacketDecoder.Decode(Vectors.NeighborSolicitationFrame, LinkType.Ethernet);
        Assert.Equal(TransportLayer.Icmpv6, p.Transport);
        Assert.Equal(IcmpV6Packet.NeighborSolicitation, p.Icmpv6.Type);
        Assert.Equal("2001:db8:1::2", AddressText.Format(p.Icmpv6.TargetAddress));
        Assert.Equal("ff02::1:ff00:2", AddressText.Format(p.Ipv6.Destination));
        Assert.True(p.Icmpv6.TryGetLinkLayerAddress(IcmpV6Packet.OptionSourceLinkLayer, out var mac));
        Assert.Equal(Vectors.TapMac, mac.ToString());
        Assert.True(p.Icmpv6.ChecksumValid(p.Ipv6.Source, p.Ipv6.Destination));

        var na = PacketDecoder.Decode(Vectors.NeighborAdvertisementFrame, LinkType.Ethernet);
        Assert.True(na.Icmpv6.SolicitedFlag);
        Assert.True(na.Icmpv6.OverrideFlag);
        Assert.False(na.Icmpv6.RouterFlag);
        Assert.True(na.Icmpv6.TryGetLinkLayerAddress(IcmpV6Packet.OptionTargetLinkLayer, out var target));
        Assert.Equal(Vectors.PeerMac, target.ToString());
    }

    [Fact]
    public void Ethernet_vlan_and_arp()
    {
        var v = PacketDecoder.Decode(Vectors.EchoRequestOnVlan, LinkType.Ethernet);
        Assert.Equal(1, v.Ethernet.VlanTagCount);
        Assert.Equal(100, v.Ethernet.VlanId);
        Assert.Equal(EtherType.Ipv4, v.EtherType);
        Assert.Equal(TransportLayer.Icmp, v.Transport);

        var a = PacketDecoder.Decode(Vectors.ArpRequest, LinkType.Ethernet);
        Assert.True(a.Ethernet.Destination.IsBroadcast);
        Assert.Equal(ArpPacket.Request, a.Arp.Operation);
        Assert.Equal("198.19.0.2", AddressText.Format(a.Arp.TargetProtocolAddress));
        Assert.Equal(Vectors.TapMac, a.Arp.SenderHardwareAddress.ToString());
    }

    [Theory]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("fe80::dcad:beff:feef:1", "fe80::dcad:beff:feef:1")]
    [InlineData("::ffff:198.19.0.1", "::ffff:198.19.0.1")]
    [InlineData("ff02::1:ff00:2", "ff02::1:ff00:2")]
    public void Ipv6_text_follows_rfc5952(string input, string expected)
    {
        Assert.Equal(expected, AddressText.Format(Ip(input)));
        Assert.Equal(System.Net.IPAddress.Parse(input).ToString(), AddressText.Format(Ip(input)));
    }
}

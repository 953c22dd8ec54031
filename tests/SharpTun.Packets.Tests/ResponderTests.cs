using System.Net;
using static SharpTun.Packets.Tests.Build;

namespace SharpTun.Packets.Tests;

public sealed class ResponderTests
{
    private static readonly MacAddress s_mac = MacAddress.Parse("02:53:54:00:00:02");

    [Fact]
    public void Echo_v4_reply_swaps_addresses_keeps_id_seq_data_and_checksums_verify()
    {
        var r = new PacketResponder(LinkType.Raw, s_mac);
        var reply = new byte[2048];
        var (kind, n) = r.Respond(Vectors.EchoRequestV4, reply);
        Assert.Equal(ResponseKind.EchoReplyV4, kind);
        Assert.Equal(84, n);
        var p = PacketDecoder.Decode(reply.AsSpan(0, n), LinkType.Raw);
        Assert.False(p.IsMalformed);
        Assert.Equal("198.19.0.2", AddressText.Format(p.Ipv4.Source));
        Assert.Equal("198.19.0.1", AddressText.Format(p.Ipv4.Destination));
        Assert.True(p.Ipv4.HeaderChecksumValid);
        Assert.Equal(IcmpV4Packet.EchoReply, p.Icmp.Type);
        Assert.Equal(0x1c2a, p.Icmp.Identifier);
        Assert.Equal(1, p.Icmp.Sequence);
        Assert.True(p.Icmp.ChecksumValid);
        Assert.Equal(PingData(), p.Icmp.Body.ToArray());
        // The same bytes an independent builder makes, except the IP id (copied from the request) and DF.
        var expected = Ipv4("198.19.0.2", "198.19.0.1", 1, Icmp(0, 0, 0x1c2a, 1, PingData()), id: 0x1234, df: false);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(reply, 0, n));
    }

    [Fact]
    public void Echo_v6_reply_checksum_uses_the_pseudo_header()
    {
        var r = new PacketResponder(LinkType.Raw, s_mac, [IPAddress.Parse("2001:db8:1::2")]);
        var reply = new byte[2048];
        var (kind, n) = r.Respond(Vectors.EchoRequestV6, reply);
        Assert.Equal(ResponseKind.EchoReplyV6, kind);
        Assert.Equal(Convert.ToHexString(Vectors.EchoReplyV6), Convert.ToHexString(reply, 0, n));
    }

    [Fact]
    public void Only_configured_addresses_are_answered()
    {
        var r = new PacketResponder(LinkType.Raw, s_mac, [IPAddress.Parse("198.19.0.3")]);
        Assert.Equal(ResponseKind.None, r.Respond(Vectors.EchoRequestV4, new byte[2048]).Kind);
        Assert.Equal(ResponseKind.None, r.Respond(Vectors.EchoRequestV6, new byte[2048]).Kind);
        var any = new PacketResponder(LinkType.Raw, s_mac);
        Assert.Equal(ResponseKind.None, any.Respond(Vectors.EchoReplyV4, new byte[2048]).Kind);
        Assert.Equal(ResponseKind.None, any.Respond(Vectors.TcpSynV4, new byte[2048]).Kind);
        Assert.Equal(ResponseKind.None, any.Respond(Ipv4("198.19.0.1", "224.0.0.1", 1, Icmp(8, 0, 1, 1, [])), new byte[2048]).Kind);
        Assert.Equal(ResponseKind.None, any.Respond(Vectors.EchoRequestV4, new byte[50]).Kind);
    }

    [Fact]
    public void Arp_request_gets_a_reply_with_the_responder_mac()
    {
        var r = new PacketResponder(LinkType.Ethernet, s_mac, [IPAddress.Parse("198.19.0.2")]);
        var reply = new byte[2048];
        var (kind, n) = r.Respond(Vectors.ArpRequest, reply);
        Assert.Equal(ResponseKind.ArpReply, kind);
        var expected = Eth(Vectors.TapMac, "02:53:54:00:00:02", 0x0806, Arp(2, "02:53:54:00:00:02", "198.19.0.2", Vectors.TapMac, "198.19.0.1"));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(reply, 0, n));
        Assert.Equal(ResponseKind.None, r.Respond(Vectors.GratuitousArp, reply).Kind);
        Assert.Equal(ResponseKind.None, r.Respond(Vectors.ArpReply, reply).Kind);
    }

    [Fact]
    public void Neighbor_solicitation_gets_a_solicited_override_advertisement()
    {
        var r = new PacketResponder(LinkType.Ethernet, s_mac);
        var reply = new byte[2048];
        var (kind, n) = r.Respond(Vectors.NeighborSolicitationFrame, reply);
        Assert.Equal(ResponseKind.NeighborAdvertisement, kind);
        var expected = Eth(Vectors.TapMac, "02:53:54:00:00:02", 0x86dd, Ipv6("2001:db8:1::2", "2001:db8:1::1", 58,
            Icmpv6("2001:db8:1::2", "2001:db8:1::1", 136, 0, [0x60, 0, 0, 0, .. Ip("2001:db8:1::2"), 2, 1, .. Mac("02:53:54:00:00:02")]), hopLimit: 255));
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(reply, 0, n));
        // DAD probes (source ::) are not answered: that would make the kernel give up its own address.
        var dad = Eth("33:33:ff:00:00:02", Vectors.TapMac, 0x86dd, Ipv6("::", "ff02::1:ff00:2", 58,
            Icmpv6("::", "ff02::1:ff00:2", 135, 0, [0, 0, 0, 0, .. Ip("2001:db8:1::2")]), hopLimit: 255));
        Assert.Equal(ResponseKind.None, r.Respond(dad, reply).Kind);
    }

    [Fact]
    public void Echo_on_tap_is_addressed_to_the_requester_mac()
    {
        var r = new PacketResponder(LinkType.Ethernet, MacAddress.Parse(Vectors.PeerMac));
        var reply = new byte[2048];
        var (kind, n) = r.Respond(Vectors.EchoRequestFrame, reply);
        Assert.Equal(ResponseKind.EchoReplyV4, kind);
        var p = PacketDecoder.Decode(reply.AsSpan(0, n), LinkType.Ethernet);
        Assert.Equal(Vectors.TapMac, p.Ethernet.Destination.ToString());
        Assert.Equal(Vectors.PeerMac, p.Ethernet.Source.ToString());
        Assert.Equal(IcmpV4Packet.EchoReply, p.Icmp.Type);
        // A frame for another unicast MAC is not ours to answer.
        var other = new PacketResponder(LinkType.Ethernet, s_mac);
        Assert.Equal(ResponseKind.None, other.Respond(Vectors.EchoRequestFrame, reply).Kind);
    }

    [Fact]
    public void Random_mac_is_locally_administered_unicast()
    {
        for (var i = 0; i < 100; i++)
        {
            var m = PacketResponder.RandomMac();
            Assert.True(m.IsLocallyAdministered);
            Assert.False(m.IsMulticast);
        }
    }
}

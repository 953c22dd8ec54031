using static SharpTun.Packets.Tests.Build;

namespace SharpTun.Packets.Tests;

public sealed class MalformedTests
{
    private static string Why(byte[] bytes, LinkType link = LinkType.Raw)
    {
        var p = PacketDecoder.Decode(bytes, link);
        Assert.True(p.IsMalformed, "expected a malformed result");
        return p.Error.ToString();
    }

    [Fact]
    public void Ipv4_total_length_beyond_capture_is_named()
    {
        var b = Ipv4("198.19.0.1", "198.19.0.2", 1, Icmp(8, 0, 1, 1, PingData()), totalLength: 1500);
        Assert.Equal("IPv4 total length 1500 exceeds captured 84 bytes", Why(b));
    }

    [Fact]
    public void Each_layer_names_its_problem()
    {
        Assert.Equal("IPv4 header needs 20 bytes, captured 10", Why(Vectors.EchoRequestV4[..10]));
        Assert.Equal("IPv6 header needs 40 bytes, captured 39", Why(Vectors.EchoRequestV6[..39]));
        Assert.Equal("IP version field is 5, neither 4 nor 6", Why([0x50, 0, 0, 0]));
        Assert.Equal("empty packet", Why([]));
        var shortIhl = Vectors.EchoRequestV4;
        shortIhl[0] = 0x44;
        Assert.Equal("IPv4 header length 16 is less than 20", Why(shortIhl));
        var v6 = Vectors.EchoRequestV6;
        Assert.Equal("IPv6 payload length 64 exceeds captured 63 bytes", Why(v6[..^1]));
        Assert.Equal("Ethernet header needs 14 bytes, captured 13", Why(Vectors.ArpRequest[..13], LinkType.Ethernet));
        Assert.Equal("ARP packet needs 28 bytes, captured 27", Why(Vectors.ArpRequest[..41], LinkType.Ethernet));
        Assert.Equal("802.1Q tag needs 18 bytes, captured 16", Why(Vectors.EchoRequestOnVlan[..16], LinkType.Ethernet));
    }

    [Fact]
    public void Transport_problems_keep_the_ip_layer()
    {
        var udp = Udp("198.19.0.1", "198.19.0.2", 1, 2, new byte[4]);
        udp[5] = 200;
        var p = PacketDecoder.Decode(Ipv4("198.19.0.1", "198.19.0.2", 17, udp), LinkType.Raw);
        Assert.Equal(NetworkLayer.Ipv4, p.Network);
        Assert.Equal(TransportLayer.None, p.Transport);
        Assert.Equal("UDP length 200 exceeds captured 12 bytes", p.Error.ToString());

        var tcp = Tcp("198.19.0.1", "198.19.0.2", 1, 2, 0, 0, 2, 100, [2, 4, 5, 0xb4, 3, 9, 0, 0]);
        Assert.Equal("TCP option 3 has invalid length 9", Why(Ipv4("198.19.0.1", "198.19.0.2", 6, tcp)));
        var tcp2 = Tcp("198.19.0.1", "198.19.0.2", 1, 2, 0, 0, 2, 100);
        tcp2[12] = 0xF0;
        Assert.Equal("TCP header length 60 exceeds captured 20 bytes", Why(Ipv4("198.19.0.1", "198.19.0.2", 6, tcp2)));
        Assert.Equal("ICMP message needs 8 bytes, captured 4", Why(Ipv4("198.19.0.1", "198.19.0.2", 1, [8, 0, 0, 0])));

        byte[] badOption = [0, 0, 0, 0, .. Ip("2001:db8:1::2"), 1, 0, 0, 0, 0, 0, 0, 0];
        var ns = Ipv6("2001:db8:1::1", "ff02::1:ff00:2", 58, Icmpv6("2001:db8:1::1", "ff02::1:ff00:2", 135, 0, badOption), hopLimit: 255);
        Assert.Equal("ICMPv6 option of type 1 has length 0", Why(ns));
        Assert.Equal("ICMPv6 message needs 24 bytes, captured 8", Why(Ipv6("2001:db8:1::1", "ff02::1", 58, Icmpv6("2001:db8:1::1", "ff02::1", 135, 0, [0, 0, 0, 0]))));

        var ext = Ipv6("2001:db8:1::1", "2001:db8:1::2", 0, [17, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal("IPv6 extension header 0 exceeds the 12 bytes left", Why(ext));
    }

    [Fact]
    public void Every_truncation_of_every_vector_is_malformed_or_a_shorter_valid_packet_never_an_exception()
    {
        var all = Vectors.Raw().Select(v => (v.Name, v.Bytes, Link: LinkType.Raw))
            .Concat(Vectors.Ethernet().Select(v => (v.Name, v.Bytes, Link: LinkType.Ethernet)));
        foreach (var (name, data, link) in all)
        {
            Assert.False(PacketDecoder.Decode(data, link).IsMalformed, name);
            for (var len = 0; len < data.Length; len++)
            {
                var p = PacketDecoder.Decode(data.AsSpan(0, len), link);
                var text = PacketSummary.Format(p);
                Assert.False(string.IsNullOrEmpty(text));
                // Headers carry their own lengths, so cutting anything but Ethernet padding must be noticed.
                Assert.True(p.IsMalformed, $"{name} cut to {len} of {data.Length} bytes decoded as valid: {text}");
            }
        }
    }
}

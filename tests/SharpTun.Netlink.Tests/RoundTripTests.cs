using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace SharpTun.Netlink.Tests;

/// <summary>Encode with the builder, decode with the readers and the message parsers: the values come back.</summary>
public class RoundTripTests(ITestOutputHelper output)
{
    [Fact]
    public void RandomAttributesIncludingNested_RoundTrip()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        for (var iteration = 0; iteration < 500; iteration++)
        {
            var b = new NetlinkMessageBuilder((ushort)rng.Next(16, 100), (ushort)rng.Next(0, 0x1000));
            var header = new byte[rng.Next(0, 20)];
            rng.NextBytes(header);
            header.CopyTo(b.Reserve(header.Length));
            var expected = new List<(ushort Type, byte[] Value, List<(ushort, byte[])>? Nested)>();
            var count = rng.Next(0, 12);
            for (var i = 0; i < count; i++)
            {
                var type = (ushort)rng.Next(1, 0x3fff);
                if (rng.Next(4) == 0)
                {
                    var token = b.BeginNested(type);
                    var inner = new List<(ushort, byte[])>();
                    for (var j = rng.Next(0, 5); j > 0; j--)
                    {
                        var v = new byte[rng.Next(0, 40)];
                        rng.NextBytes(v);
                        var t = (ushort)rng.Next(1, 0x3fff);
                        b.Add(t, v);
                        inner.Add((t, v));
                    }
                    b.EndNested(token);
                    expected.Add((type, [], inner));
                }
                else
                {
                    var v = new byte[rng.Next(0, 70)];
                    rng.NextBytes(v);
                    b.Add(type, v);
                    expected.Add((type, v, null));
                }
            }
            var seq = (uint)rng.Next();
            var bytes = b.Finish(seq).ToArray();
            Assert.Equal(0, bytes.Length % 4);

            var reader = new NetlinkMessageReader(bytes);
            Assert.True(reader.Next());
            Assert.Equal(b.Type, reader.Type);
            Assert.Equal(b.Flags, reader.Flags);
            Assert.Equal(seq, reader.Sequence);
            var payload = reader.Payload.ToArray();
            Assert.False(reader.Next());
            Assert.Equal(header, payload[..header.Length]);
            var attrs = new AttributeReader(payload.AsSpan(Nl.Align(header.Length)));
            foreach (var (type, value, nested) in expected)
            {
                Assert.True(attrs.Next());
                Assert.Equal(type, attrs.Type);
                if (nested is null)
                {
                    Assert.Equal(value, attrs.Value.ToArray());
                    continue;
                }
                var inner = new AttributeReader(attrs.Value);
                foreach (var (t, v) in nested)
                {
                    Assert.True(inner.Next());
                    Assert.Equal(t, inner.Type);
                    Assert.Equal(v, inner.Value.ToArray());
                }
                Assert.False(inner.Next());
            }
            Assert.False(attrs.Next());
        }
    }

    [Fact]
    public void LinkMessage_RoundTrip()
    {
        var b = new NetlinkMessageBuilder(Nl.RTM_NEWLINK, 0);
        RtNetlinkClient.WriteIfInfo(b.Reserve(Rt.IfInfoMsgSize), 0, 7, 0x11043, 0);
        b.AddString(Rt.IFLA_IFNAME, "veth7");
        b.AddI32(Rt.IFLA_MTU, 1420);
        b.AddU8(Rt.IFLA_OPERSTATE, 6);
        b.Add(Rt.IFLA_ADDRESS, [0x02, 0, 0, 0, 0, 0x07]);
        b.AddI32(Rt.IFLA_MASTER, 3);
        b.AddI32(Rt.IFLA_LINK, 8);
        b.AddI32(Rt.IFLA_TXQLEN, 500);
        b.AddString(Rt.IFLA_QDISC, "noqueue");
        var info = b.BeginNested(Rt.IFLA_LINKINFO);
        b.AddStringUnterminated(Rt.IFLA_INFO_KIND, "veth");
        b.AddString(Rt.IFLA_INFO_SLAVE_KIND, "bridge");
        b.EndNested(info);
        var stats = new byte[24 * 8];
        for (var i = 0; i < 24; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(stats.AsSpan(i * 8), (ulong)(1000 + i));
        }
        b.Add(Rt.IFLA_STATS64, stats);
        var reader = new NetlinkMessageReader(b.Finish(1));
        Assert.True(reader.Next());
        var l = LinkInfo.Parse(reader.Payload);
        Assert.Equal(7, l.Index);
        Assert.Equal("veth7", l.Name);
        Assert.Equal(LinkFlags.Up | LinkFlags.Broadcast | LinkFlags.Running | LinkFlags.Multicast | LinkFlags.LowerUp, l.Flags);
        Assert.Equal(1420, l.Mtu);
        Assert.Equal(OperState.Up, l.OperState);
        Assert.Equal("02:00:00:00:00:07", LinkInfo.FormatAddress(l.Address));
        Assert.Equal(3, l.MasterIndex);
        Assert.Equal(8, l.LinkIndex);
        Assert.Equal(500, l.TxQueueLength);
        Assert.Equal("noqueue", l.Qdisc);
        Assert.Equal("veth", l.Kind);
        Assert.Equal("bridge", l.SlaveKind);
        Assert.Equal(1000UL, l.Statistics!.RxPackets);
        Assert.Equal(1003UL, l.Statistics.TxBytes);
        Assert.Equal(1017UL, l.Statistics.TxCarrierErrors);
        Assert.Equal(1023UL, l.Statistics.RxNoHandler);
    }

    [Fact]
    public void AddressAndRouteMessages_RoundTrip()
    {
        var b = new NetlinkMessageBuilder(Nl.RTM_NEWADDR, 0);
        var h = b.Reserve(Rt.IfAddrMsgSize);
        h[0] = Nl.AF_INET;
        h[1] = 30;
        h[3] = 0;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], 9);
        b.Add(Rt.IFA_LOCAL, IPAddress.Parse("198.18.0.1").GetAddressBytes());
        b.Add(Rt.IFA_ADDRESS, IPAddress.Parse("198.18.0.2").GetAddressBytes());
        b.AddString(Rt.IFA_LABEL, "st0:x");
        b.AddU32(Rt.IFA_FLAGS, 0x280);
        var r = new NetlinkMessageReader(b.Finish(1));
        Assert.True(r.Next());
        var a = AddressInfo.Parse(r.Payload);
        Assert.Equal(AddressFamily.InterNetwork, a.Family);
        Assert.Equal(IPAddress.Parse("198.18.0.1"), a.Local);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), a.Peer);
        Assert.Equal(30, a.PrefixLength);
        Assert.Equal("st0:x", a.Label);
        Assert.Equal(0x280u, a.Flags);
        Assert.Equal(9, a.Index);

        var rb = new NetlinkMessageBuilder(Nl.RTM_NEWROUTE, 0);
        var rh = rb.Reserve(Rt.RtMsgSize);
        rh[0] = Nl.AF_INET6;
        rh[1] = 48;
        rh[4] = 0;
        rh[5] = 4;
        rh[6] = 0;
        rh[7] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(rh[8..], 0x10);
        rb.AddU32(Rt.RTA_TABLE, 1000);
        rb.Add(Rt.RTA_DST, IPAddress.Parse("2001:db8:1::").GetAddressBytes());
        rb.Add(Rt.RTA_GATEWAY, IPAddress.Parse("2001:db8::2").GetAddressBytes());
        rb.AddU32(Rt.RTA_PRIORITY, 1024);
        rb.AddI32(Rt.RTA_OIF, 4);
        rb.AddU8(Rt.RTA_PREF, 0);
        var rr = new NetlinkMessageReader(rb.Finish(1));
        Assert.True(rr.Next());
        var route = RouteInfo.Parse(rr.Payload);
        Assert.Equal("2001:db8:1::/48", route.DestinationText);
        Assert.Equal(IPAddress.Parse("2001:db8::2"), route.Gateway);
        Assert.Equal(1000u, route.Table);
        Assert.Equal(1024u, route.Metric);
        Assert.Equal(4, route.OutputIndex);
        Assert.Equal((byte)4, route.Protocol);
        Assert.Equal(["linkdown"], RtNames.RouteFlagNames(route.Flags));
    }

    [Fact]
    public void RouteMtu_FromTheNestedMetrics()
    {
        // "198.18.7.77 dev big mtu 1300" as the kernel sends it: RTA_METRICS (8, NLA_F_NESTED) holding RTAX_MTU (2).
        byte[] header = [2, 32, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0];
        var metrics = Msg.Attr(2, Msg.U32(1300));
        var nested = Msg.Attr(unchecked((ushort)(8 | 0x8000)), metrics);
        var route = RouteInfo.Parse(Msg.Concat(header, Msg.Attr(Rt.RTA_DST, [198, 18, 7, 77]), nested, Msg.Attr(Rt.RTA_OIF, Msg.U32(3))));
        Assert.Equal(1300u, route.Mtu);
        Assert.Equal(3, route.OutputIndex);
        // Metrics without an MTU (only RTAX_ADVMSS = 8), and none at all: no MTU.
        Assert.Null(RouteInfo.Parse(Msg.Concat(header, Msg.Attr(8, Msg.Attr(8, Msg.U32(1460))))).Mtu);
        Assert.Null(RouteInfo.Parse(header).Mtu);
    }

    [Theory]
    [InlineData("10.1.1.1/24", "10.1.1.0", "10.1.1.255")]
    [InlineData("198.18.7.77/20", "198.18.0.0", "198.18.15.255")]
    [InlineData("10.0.0.1/32", "10.0.0.1", "10.0.0.1")]
    [InlineData("10.0.0.1/0", "0.0.0.0", "255.255.255.255")]
    [InlineData("2001:db8::1/64", "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff")]
    public void IpPrefix_NetworkAndBroadcast(string text, string network, string broadcast)
    {
        var p = IpPrefix.Parse(text);
        Assert.Equal(IPAddress.Parse(network), p.Network);
        Assert.Equal(IPAddress.Parse(broadcast), p.BroadcastAddress);
        Assert.Equal(text, p.ToString());
    }

    [Theory]
    [InlineData("10.0.0.1/33", "invalid prefix length 33 for 10.0.0.1: IPv4 allows 0..32")]
    [InlineData("2001:db8::1/129", "invalid prefix length 129 for 2001:db8::1: IPv6 allows 0..128")]
    [InlineData("10.0.0/24", "invalid address '10.0.0' in '10.0.0/24'")]
    [InlineData("10.0.0.1/x", "invalid prefix length 'x' in '10.0.0.1/x'")]
    [InlineData("nope", "invalid address 'nope' in 'nope'")]
    public void IpPrefix_BadInput(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => IpPrefix.Parse(text)).Message);
}

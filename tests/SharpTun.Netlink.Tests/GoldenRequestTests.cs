using System.Net;

namespace SharpTun.Netlink.Tests;

/// <summary>
/// Requests compared byte for byte with what iproute2 6.1 sends for the same command, captured with
/// <c>strace -e trace=sendmsg -e write=3 ip …</c> inside a throwaway namespace (device index 2;
/// the sequence number is zeroed on both sides).
/// </summary>
public class GoldenRequestTests
{
    private static (RtNetlinkClient Client, FakeNetlinkSocket Socket) Client(int index = 2)
    {
        var socket = new FakeNetlinkSocket(req => FakeNetlinkSocket.Type(req) == 18
            ? [Msg.Link(FakeNetlinkSocket.Seq(req), index, "st5")]
            : [Msg.Ack(req)]);
        return (new RtNetlinkClient(socket), socket);
    }

    [Fact]
    public void AddressAdd_V4_BrdPlus_EqualsIproute2()
    {
        // ip addr add 10.1.1.1/24 brd + dev st5
        var (c, s) = Client();
        c.AddressAdd("st5", IpPrefix.Parse("10.1.1.1/24"), new AddressOptions { BroadcastFromPrefix = true });
        Assert.Equal(Msg.Hex("""
            30000000 1400 0506 00000000 00000000
            02180000 02000000
            08000200 0a010101 08000100 0a010101 08000400 0a0101ff
            """), Msg.WithoutSeq(s.Sent[1]));
    }

    [Fact]
    public void AddressAdd_V4_ExplicitBroadcast_OnIndex5()
    {
        // ip addr add 10.1.1.1/24 broadcast 10.1.1.255 dev <ifindex 5>: same bytes but index 5 (attribute order LOCAL, ADDRESS, BROADCAST).
        var (c, s) = Client(index: 5);
        c.AddressAdd("st5", IpPrefix.Parse("10.1.1.1/24"), new AddressOptions { Broadcast = IPAddress.Parse("10.1.1.255") });
        Assert.Equal(Msg.Hex("""
            30000000 1400 0506 00000000 00000000
            02180000 05000000
            08000200 0a010101 08000100 0a010101 08000400 0a0101ff
            """), Msg.WithoutSeq(s.Sent[1]));
    }

    [Fact]
    public void AddressAdd_V6_EqualsIproute2()
    {
        // ip -6 addr add 2001:db8::1/64 dev st5
        var (c, s) = Client();
        c.AddressAdd("st5", IpPrefix.Parse("2001:db8::1/64"));
        Assert.Equal(Msg.Hex("""
            40000000 1400 0506 00000000 00000000
            0a400000 02000000
            14000200 20010db8 00000000 00000000 00000001
            14000100 20010db8 00000000 00000000 00000001
            """), Msg.WithoutSeq(s.Sent[1]));
    }

    [Fact]
    public void AddVeth_EqualsIproute2()
    {
        // ip link add ep1 type veth peer name ep2
        var (c, s) = Client();
        c.AddVeth("ep1", "ep2");
        Assert.Single(s.Sent);
        Assert.Equal(Msg.Hex("""
            54000000 1000 0506 00000000 00000000
            00000000 00000000 00000000 00000000
            08000300 65703100
            2c001200 08000100 76657468
            20000200 1c000100 00000000 00000000 00000000 00000000 08000300 65703200
            """), Msg.WithoutSeq(s.Sent[0]));
    }

    [Fact]
    public void RouteAdd_GatewayMetricTable_EqualsIproute2()
    {
        // ip route add 198.18.9.0/24 via 10.1.1.2 metric 7 table 1000
        var (c, s) = Client();
        c.RouteAdd(new RouteSpec
        {
            Destination = IpPrefix.Parse("198.18.9.0/24"),
            Gateway = IPAddress.Parse("10.1.1.2"),
            Metric = 7,
            Table = 1000,
        });
        Assert.Equal(Msg.Hex("""
            3c000000 1800 0506 00000000 00000000
            02180000 00030001 00000000
            08000100 c6120900 08000500 0a010102 08000600 07000000 08000f00 e8030000
            """), Msg.WithoutSeq(s.Sent[0]));
    }

    [Fact]
    public void LinkSetUp_SendsIfUpInFlagsAndChange()
    {
        var (c, s) = Client(index: 7);
        c.LinkSetUp("st5");
        // RTM_NEWLINK, REQUEST|ACK; ifinfomsg index 7, flags IFF_UP, change IFF_UP.
        Assert.Equal(Msg.Hex("20000000 1000 0500 00000000 00000000 00000000 07000000 01000000 01000000"), Msg.WithoutSeq(s.Sent[1]));
        // The name lookup before it: RTM_GETLINK with IFLA_IFNAME "st5".
        Assert.Equal(Msg.Hex("28000000 1200 0100 00000000 00000000 00000000 00000000 00000000 00000000 08000300 73743500"), Msg.WithoutSeq(s.Sent[0]));
    }

    [Fact]
    public void LinkSet_Flags_OnlyThoseNamedInChange()
    {
        // ip link set st5 promisc on arp off: flags IFF_PROMISC|IFF_NOARP, change the same bits.
        var (c, s) = Client(index: 7);
        c.LinkSet("st5", new LinkChange { Promiscuous = true, Arp = false });
        Assert.Equal(Msg.Hex("20000000 1000 0500 00000000 00000000 00000000 07000000 80010000 80010000"), Msg.WithoutSeq(s.Sent[1]));
        // ip link set st5 allmulticast on multicast off: flags IFF_ALLMULTI, change IFF_ALLMULTI|IFF_MULTICAST.
        c.LinkSet("st5", new LinkChange { AllMulticast = true, Multicast = false });
        Assert.Equal(Msg.Hex("20000000 1000 0500 00000000 00000000 00000000 07000000 00020000 00120000"), Msg.WithoutSeq(s.Sent[3]));
        Assert.Equal("promisc on arp off", new LinkChange { Promiscuous = true, Arp = false }.ToString());
    }
}

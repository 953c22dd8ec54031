using System.Buffers.Binary;
using SharpTun.Netlink;

namespace SharpTun.Netlink.Tests;

public sealed class BridgeLinkDataTests
{
    private static byte[] U8(byte v) => [v];

    private static byte[] U16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    private static byte[] U64(ulong v)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        return b;
    }

    // struct ifla_bridge_id: prio[2] (network order) + addr[6].
    private static readonly byte[] s_id = [0x10, 0x00, 0xc6, 0x0e, 0xef, 0x00, 0xb1, 0x6d];

    // IFLA_INFO_DATA as br_fill_info() writes it (a subset): u32 delays, u16 priority, the two ids, a PAD
    // before the u64 timer (nla_put_u64_64bit), the group address, the boolopt struct, u64 intervals.
    private static readonly byte[] s_bridgeData = Msg.Concat(
        Msg.Attr(1, Msg.U32(1500)),                       // FORWARD_DELAY
        Msg.Attr(2, Msg.U32(300)),                        // HELLO_TIME
        Msg.Attr(5, Msg.U32(1)),                          // STP_STATE
        Msg.Attr(6, U16(4096)),                           // PRIORITY
        Msg.Attr(7, U8(0)),                               // VLAN_FILTERING
        Msg.Attr(8, [0x81, 0x00]),                        // VLAN_PROTOCOL, big-endian 0x8100
        Msg.Attr(9, U16(0x4000)),                         // GROUP_FWD_MASK
        Msg.Attr(10, s_id),                               // ROOT_ID
        Msg.Attr(11, s_id),                               // BRIDGE_ID
        Msg.Attr(40, []),                                 // PAD
        Msg.Attr(16, U64(198)),                           // HELLO_TIMER 1.98 s
        Msg.Attr(20, [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00]), // GROUP_ADDR
        Msg.Attr(46, Msg.Concat(Msg.U32(0b10), Msg.U32(0b11))), // MULTI_BOOLOPT optval, optmask
        Msg.Attr(31, U64(26000)));                        // MCAST_MEMBERSHIP_INTVL

    [Fact]
    public void Decodes_bridge_info_data_vector()
    {
        var d = BridgeLinkData.Parse(s_bridgeData);
        Assert.Equal(1500ul, d.Values[BridgeAttribute.ForwardDelay]);
        Assert.Equal(300ul, d.Values[BridgeAttribute.HelloTime]);
        Assert.Equal(1ul, d.Values[BridgeAttribute.StpState]);
        Assert.Equal(4096ul, d.Values[BridgeAttribute.Priority]);
        Assert.Equal(0ul, d.Values[BridgeAttribute.VlanFiltering]);
        Assert.Equal((ushort)0x8100, d.VlanProtocol);
        Assert.Equal(0x4000ul, d.Values[BridgeAttribute.GroupFwdMask]);
        Assert.Equal(198ul, d.Values[BridgeAttribute.HelloTimer]);
        Assert.Equal(26000ul, d.Values[BridgeAttribute.McastMembershipIntvl]);
        Assert.Equal("1000.c6:e:ef:0:b1:6d", d.BridgeId!.ToString());
        Assert.Equal("1000.c6:e:ef:0:b1:6d", d.RootId!.ToString());
        Assert.Equal((ushort)4096, d.BridgeId.Priority);
        Assert.Equal("01:80:c2:00:00:00", LinkInfo.FormatAddress(d.GroupAddress!.Value.Span));
        Assert.Equal(0b10u, d.BoolOptValue);
        Assert.Equal(0b11u, d.BoolOptMask);
        // The structs and the PAD are not numbers.
        Assert.False(d.Values.ContainsKey(BridgeAttribute.BridgeId));
        Assert.False(d.Values.ContainsKey(BridgeAttribute.Pad));
        Assert.Equal(9, d.Values.Count);
    }

    [Fact]
    public void A_bridge_port_round_trips_through_an_rtm_newlink_message()
    {
        // veth enslaved to a bridge: IFLA_LINKINFO { KIND "veth", SLAVE_KIND "bridge", SLAVE_DATA {...} }.
        var slaveData = Msg.Concat(
            Msg.Attr(1, U8(3)),            // STATE forwarding
            Msg.Attr(2, U16(5)),           // PRIORITY
            Msg.Attr(3, Msg.U32(7)),       // COST
            Msg.Attr(4, U8(1)),            // MODE (hairpin)
            Msg.Attr(13, s_id),            // ROOT_ID
            Msg.Attr(14, s_id),            // BRIDGE_ID
            Msg.Attr(17, U16(0x1401)),     // ID
            Msg.Attr(26, []),              // PAD
            Msg.Attr(22, U64(1325)),       // FORWARD_DELAY_TIMER 13.25 s
            Msg.Attr(31, U16(0x4000)),     // GROUP_FWD_MASK
            Msg.Attr(34, Msg.U32(9)));     // BACKUP_PORT ifindex 9
        var linkInfo = Msg.Concat(Msg.Attr(1, Msg.Str("veth")), Msg.Attr(4, Msg.Str("bridge")), Msg.Attr(5, slaveData));
        var body = Msg.Concat(Msg.LinkBody(4, "v0"), Msg.Attr(18, linkInfo));

        var l = LinkInfo.Parse(body);

        Assert.Equal("veth", l.Kind);
        Assert.Equal("bridge", l.SlaveKind);
        Assert.Null(l.Bridge);
        var p = Assert.IsType<BridgePortData>(l.BridgePort);
        Assert.Equal(3ul, p.Values[BridgePortAttribute.State]);
        Assert.Equal(5ul, p.Values[BridgePortAttribute.Priority]);
        Assert.Equal(7ul, p.Values[BridgePortAttribute.Cost]);
        Assert.Equal(1ul, p.Values[BridgePortAttribute.Mode]);
        Assert.Equal(0x1401ul, p.Values[BridgePortAttribute.Id]);
        Assert.Equal(1325ul, p.Values[BridgePortAttribute.ForwardDelayTimer]);
        Assert.Equal(0x4000ul, p.Values[BridgePortAttribute.GroupFwdMask]);
        Assert.Equal(9ul, p.Values[BridgePortAttribute.BackupPort]);
        Assert.Equal("1000.c6:e:ef:0:b1:6d", p.DesignatedBridge!.ToString());
        Assert.Equal("1000.c6:e:ef:0:b1:6d", p.DesignatedRoot!.ToString());
        Assert.Equal(8, p.Values.Count);

        // The same data under kind "bridge" is a bridge, not a port: IFLA_INFO_DATA is read by kind.
        var bridgeBody = Msg.Concat(Msg.LinkBody(2, "br0"),
            Msg.Attr(18, Msg.Concat(Msg.Attr(1, Msg.Str("bridge")), Msg.Attr(2, s_bridgeData))));
        var b = LinkInfo.Parse(bridgeBody);
        Assert.Null(b.BridgePort);
        Assert.Equal(1500ul, b.Bridge!.Values[BridgeAttribute.ForwardDelay]);
    }

    [Fact]
    public void A_short_bridge_id_is_a_format_error()
    {
        var bad = Msg.Attr(11, s_id.AsSpan(0, 6).ToArray());
        var e = Assert.Throws<NetlinkFormatException>(() => BridgeLinkData.Parse(bad));
        Assert.Contains("bridge id attribute of 6 bytes, needs 8", e.Message);
    }
}

using SharpTun.Netlink;

namespace SharpTun.Netlink.Tests;

public sealed class TunLinkDataTests
{
    // IFLA_INFO_DATA of a persistent multi-queue tap owned by uid 65534, as tun_fill_info() writes it:
    // each attribute is {u16 len, u16 type, value} padded to 4 bytes.
    private static readonly byte[] s_tapData =
    [
        0x08, 0x00, 0x01, 0x00, 0xfe, 0xff, 0x00, 0x00, // IFLA_TUN_OWNER 65534
        0x05, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00, 0x00, // IFLA_TUN_TYPE IFF_TAP
        0x05, 0x00, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, // IFLA_TUN_PI 1
        0x05, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, // IFLA_TUN_VNET_HDR 0
        0x05, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x00, // IFLA_TUN_PERSIST 1
        0x05, 0x00, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, // IFLA_TUN_MULTI_QUEUE 1
        0x08, 0x00, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, // IFLA_TUN_NUM_QUEUES 2
        0x08, 0x00, 0x09, 0x00, 0x01, 0x00, 0x00, 0x00, // IFLA_TUN_NUM_DISABLED_QUEUES 1
    ];

    [Fact]
    public void Parses_every_ifla_tun_attribute()
    {
        var d = TunLinkData.Parse(s_tapData);
        Assert.Equal(2, d.Type);
        Assert.Equal(65534u, d.Owner);
        Assert.Null(d.Group);
        Assert.True(d.PacketInfo);
        Assert.False(d.VnetHdr);
        Assert.True(d.Persist);
        Assert.True(d.MultiQueue);
        Assert.Equal(2u, d.Queues);
        Assert.Equal(1u, d.DisabledQueues);
    }

    [Fact]
    public void Truncated_data_is_a_format_error_not_a_crash()
    {
        for (var cut = 1; cut < s_tapData.Length; cut++)
        {
            if (cut % 8 == 0)
            {
                continue;
            }
            try
            {
                TunLinkData.Parse(s_tapData.AsSpan(0, cut));
            }
            catch (NetlinkFormatException)
            {
            }
        }
    }
}

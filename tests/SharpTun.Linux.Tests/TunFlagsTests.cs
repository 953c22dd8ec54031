using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests;

public sealed class TunFlagsTests
{
    [Fact]
    public void Flag_values_match_if_tun_h()
    {
        Assert.Equal(0x0001, (int)TunFlags.Tun);
        Assert.Equal(0x0002, (int)TunFlags.Tap);
        Assert.Equal(0x0010, (int)TunFlags.Napi);
        Assert.Equal(0x0020, (int)TunFlags.NapiFrags);
        Assert.Equal(0x0040, (int)TunFlags.NoCarrier);
        Assert.Equal(0x0100, (int)TunFlags.MultiQueue);
        Assert.Equal(0x0200, (int)TunFlags.AttachQueue);
        Assert.Equal(0x0400, (int)TunFlags.DetachQueue);
        Assert.Equal(0x0800, (int)TunFlags.Persist);
        Assert.Equal(0x1000, (int)TunFlags.NoPi);
        Assert.Equal(0x2000, (int)TunFlags.OneQueue);
        Assert.Equal(0x4000, (int)TunFlags.VnetHdr);
        Assert.Equal(0x8000, (int)TunFlags.TunExcl);
    }

    public static TheoryData<TunOptions, int> OptionCases => new()
    {
        { new TunOptions(), 0x1001 },
        { new TunOptions { Mode = TunMode.Tap }, 0x1002 },
        { new TunOptions { PacketInfo = true }, 0x0001 },
        { new TunOptions { Mode = TunMode.Tap, PacketInfo = true, VnetHdr = true }, 0x4002 },
        { new TunOptions { MultiQueue = true }, 0x1101 },
        { new TunOptions { Mode = TunMode.Tap, MultiQueue = true, VnetHdr = true, Exclusive = true }, 0xD102 },
    };

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void Options_encode_to_ifr_flags(TunOptions options, int expected) =>
        Assert.Equal(expected, (int)options.ToFlags());

    [Fact]
    public void Features_decode_a_typical_kernel_answer()
    {
        // What TUNGETFEATURES returns on Linux 6.x: TUN|TAP|NAPI|NAPI_FRAGS|NO_CARRIER|MULTI_QUEUE|NO_PI|ONE_QUEUE|VNET_HDR|TUN_EXCL.
        var f = new TunFeatures((TunFlags)0xF173);
        Assert.True(f.Tun);
        Assert.True(f.Tap);
        Assert.True(f.NoPacketInfo);
        Assert.True(f.MultiQueue);
        Assert.True(f.VnetHdr);
        Assert.True(f.Napi);
        Assert.Equal("tun tap no_pi one_queue vnet_hdr multi_queue tun_excl napi napi_frags no_carrier", f.ToString());
    }

    [Fact]
    public void Features_without_multiqueue_say_so()
    {
        var f = new TunFeatures(TunFlags.Tun | TunFlags.Tap | TunFlags.NoPi | TunFlags.OneQueue | TunFlags.VnetHdr);
        Assert.False(f.MultiQueue);
        Assert.False(f.Napi);
        Assert.Equal(["tun", "tap", "no_pi", "one_queue", "vnet_hdr"], f.Names());
    }

    [Fact]
    public void Unknown_bits_are_shown_in_hex_not_dropped()
    {
        Assert.Equal(["tun", "0x4"], TunFlagNames.Describe(TunFlags.Tun | (TunFlags)0x0004));
    }

    [Fact]
    public void Device_info_flag_words_follow_ip_tuntap_show_order()
    {
        var info = new TunDeviceInfo("tap7", TunMode.Tap, TunFlags.Tap | TunFlags.VnetHdr | TunFlags.MultiQueue | TunFlags.Persist, 1000, null, []);
        Assert.Equal(["tap", "pi", "multi_queue", "vnet_hdr", "persist", "filter"], info.FlagWords());
        var tun = new TunDeviceInfo("tun0", TunMode.Tun, TunFlags.Tun | TunFlags.NoPi, null, null, []);
        Assert.Equal(["tun"], tun.FlagWords());
        Assert.False(tun.Persistent);
    }

    [RootFact]
    public void Kernel_features_include_tun_tap_and_no_pi()
    {
        var f = TunDevice.GetFeatures();
        Assert.True(f.Tun && f.Tap && f.NoPacketInfo, f.ToString());
    }
}

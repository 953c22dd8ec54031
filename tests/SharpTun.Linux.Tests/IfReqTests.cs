using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests;

public sealed class IfReqTests
{
    [Fact]
    public void Layout_matches_struct_ifreq_on_lp64()
    {
        Assert.Equal(40, Marshal.SizeOf<IfReq>());
        Assert.Equal(0, (int)Marshal.OffsetOf<IfReq>(nameof(IfReq.Name)));
        Assert.Equal(16, (int)Marshal.OffsetOf<IfReq>(nameof(IfReq.Flags)));
    }

    [Fact]
    public void Create_writes_name_nul_terminated_and_flags_little_endian()
    {
        var ifr = IfReq.Create("tun0", unchecked((short)0x1001));
        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref ifr, 1)).ToArray();
        Assert.Equal(40, bytes.Length);
        Assert.Equal("tun0"u8.ToArray(), bytes[..4]);
        Assert.All(bytes[4..16], b => Assert.Equal(0, b));
        Assert.Equal(0x01, bytes[16]);
        Assert.Equal(0x10, bytes[17]);
        Assert.All(bytes[18..], b => Assert.Equal(0, b));
        Assert.Equal("tun0", ifr.GetName());
    }

    [Fact]
    public void Fifteen_byte_name_fills_buffer_and_keeps_terminator()
    {
        var name = new string('x', 15);
        var ifr = IfReq.Create(name, 0);
        ReadOnlySpan<byte> raw = ifr.Name;
        Assert.Equal(0, raw[15]);
        Assert.Equal(name, ifr.GetName());
    }

    [Fact]
    public void Empty_name_leaves_buffer_zero_so_the_kernel_picks()
    {
        var ifr = IfReq.Create(null, (short)TunFlags.Tap);
        ReadOnlySpan<byte> raw = ifr.Name;
        Assert.True(raw.IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal("", ifr.GetName());
    }

    // _IOC(dir, 'T', nr, sizeof(int)) = dir << 30 | size << 16 | 'T' << 8 | nr; _IOW dir = 1, _IOR dir = 2.
    private static uint Iow(int nr) => (1u << 30) | (4u << 16) | ((uint)'T' << 8) | (uint)nr;
    private static uint Ior(int nr) => (2u << 30) | (4u << 16) | ((uint)'T' << 8) | (uint)nr;

    [Fact]
    public void Ioctl_numbers_follow_the_ioc_encoding_of_if_tun_h()
    {
        Assert.Equal(TunIoctl.TUNSETIFF, Iow(202));
        Assert.Equal(TunIoctl.TUNSETPERSIST, Iow(203));
        Assert.Equal(TunIoctl.TUNSETOWNER, Iow(204));
        Assert.Equal(TunIoctl.TUNSETGROUP, Iow(206));
        Assert.Equal(TunIoctl.TUNGETFEATURES, Ior(207));
        Assert.Equal(TunIoctl.TUNGETIFF, Ior(210));
        Assert.Equal(TunIoctl.TUNGETVNETHDRSZ, Ior(215));
        Assert.Equal(TunIoctl.TUNSETVNETHDRSZ, Iow(216));
        Assert.Equal(TunIoctl.TUNSETQUEUE, Iow(217));
        Assert.Equal(0x400454caU, Iow(202));
    }
}

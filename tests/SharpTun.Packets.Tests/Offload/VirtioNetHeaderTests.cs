using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

public sealed class VirtioNetHeaderTests
{
    private static readonly VirtioNetHeader s_tso = new(VirtioNetFlags.NeedsChecksum, VirtioGsoType.TcpV4 | VirtioGsoType.Ecn, 66, 1448, 20, 16);

    [Fact]
    public void Writes_little_endian_fields_as_tun_on_x86()
    {
        var b = new byte[10];
        Assert.True(s_tso.TryWrite(b));
        Assert.Equal("0181" + "4200" + "a805" + "1400" + "1000", Convert.ToHexString(b).ToLowerInvariant());
        Assert.True(VirtioNetHeader.TryRead(b, out var back));
        Assert.Equal(s_tso, back);
        Assert.True(back.IsGso);
        Assert.Equal(VirtioGsoType.TcpV4, back.GsoKind);
        Assert.True(back.NeedsChecksum);
    }

    [Fact]
    public void Writes_big_endian_fields_for_a_tunsetvnetbe_device()
    {
        var b = new byte[10];
        Assert.True(s_tso.TryWrite(b, bigEndian: true));
        Assert.Equal("0181" + "0042" + "05a8" + "0014" + "0010", Convert.ToHexString(b).ToLowerInvariant());
        Assert.True(VirtioNetHeader.TryRead(b, out var back, bigEndian: true));
        Assert.Equal(s_tso, back);
    }

    [Fact]
    public void Mergeable_header_is_twelve_bytes_with_num_buffers_zero()
    {
        var b = Enumerable.Repeat((byte)0xEE, 14).ToArray();
        Assert.True(s_tso.TryWrite(b, VirtioNetHeader.MergeableSize));
        Assert.Equal("01814200a80514001000" + "0000" + "eeee", Convert.ToHexString(b).ToLowerInvariant());
        Assert.False(s_tso.TryWrite(new byte[11], VirtioNetHeader.MergeableSize));
        Assert.False(s_tso.TryWrite(new byte[16], 11));
    }

    [Fact]
    public void Short_input_is_not_a_header()
    {
        Assert.False(VirtioNetHeader.TryRead(new byte[9], out _));
        Assert.False(s_tso.TryWrite(new byte[9]));
    }

    [Theory]
    [InlineData(0x08, 0, 0, OffloadError.UnknownFlags)]
    [InlineData(0x81, 1, 1448, OffloadError.UnknownFlags)]
    [InlineData(1, 2, 1448, OffloadError.UnknownGsoType)]
    [InlineData(1, 3, 1448, OffloadError.UnknownGsoType)] // UFO, gone since Linux 4.14
    [InlineData(1, 6, 1448, OffloadError.UnknownGsoType)]
    [InlineData(1, 0x85, 1448, OffloadError.EcnWithoutTcp)]
    [InlineData(1, 0x80, 0, OffloadError.EcnWithoutTcp)]
    [InlineData(1, 1, 0, OffloadError.GsoSizeZero)]
    [InlineData(0, 4, 1428, OffloadError.GsoWithoutChecksum)]
    [InlineData(2, 5, 1400, OffloadError.GsoWithoutChecksum)]
    [InlineData(0, 0, 0, OffloadError.None)]
    [InlineData(3, 0, 0, OffloadError.None)]
    [InlineData(1, 0x84, 1428, OffloadError.None)]
    [InlineData(1, 5, 1400, OffloadError.None)]
    public void Validate_names_the_reason(byte flags, byte gsoType, ushort gsoSize, OffloadError expected)
    {
        var h = new VirtioNetHeader((VirtioNetFlags)flags, (VirtioGsoType)gsoType, 0, gsoSize, 0, 0);
        Assert.Equal(expected, h.Validate());
    }

    [Fact]
    public void Counters_count_each_reason_and_ignore_none()
    {
        var c = new OffloadErrorCounters();
        c.Add(OffloadError.UnknownGsoType);
        c.Add(OffloadError.UnknownGsoType);
        c.Add(OffloadError.BufferTooSmall);
        c.Add(OffloadError.None);
        Assert.Equal(2, c[OffloadError.UnknownGsoType]);
        Assert.Equal(1, c[OffloadError.BufferTooSmall]);
        Assert.Equal(0, c[OffloadError.None]);
        Assert.Equal(3, c.Total);
    }
}

using static SharpTun.Packets.Tests.Build;

namespace SharpTun.Packets.Tests;

public sealed class ChecksumTests
{
    [Fact]
    public void Rfc1071_example_sums_to_ddf2()
    {
        // RFC 1071 §3: the bytes 00 01 f2 03 f4 f5 f6 f7 have the one's-complement sum 0xddf2.
        var data = Hex("0001f203f4f5f6f7");
        Assert.Equal(0xddf2u, Checksum.Add(data));
        Assert.Equal((ushort)0x220d, Checksum.Compute(data));
    }

    [Fact]
    public void Known_ipv4_header_verifies_and_recomputes()
    {
        // A textbook header (192.168.0.1 → 192.168.0.199, UDP, TTL 64) whose checksum is 0xb861.
        var header = Hex("450000730000400040 11 b861 c0a80001 c0a800c7");
        Assert.Equal(0, Checksum.Compute(header));
        header[10] = header[11] = 0;
        Assert.Equal((ushort)0xb861, Checksum.Compute(header));
    }

    [Theory]
    [InlineData("01", 0xfeff)]
    [InlineData("ff", 0x00ff)]
    [InlineData("000102", 0xfdfe)]
    [InlineData("", 0xffff)]
    public void Odd_lengths_pad_the_last_byte_with_zero(string hex, int expected) =>
        Assert.Equal((ushort)expected, Checksum.Compute(Hex(hex)));

    [Fact]
    public void Random_data_matches_the_naive_loop_at_every_length()
    {
        var seed = 1071;
        var rng = new Random(seed);
        for (var len = 0; len < 300; len++)
        {
            var data = new byte[len];
            rng.NextBytes(data);
            Assert.True(NaiveChecksum(data) == Checksum.Compute(data), $"length {len}, seed {seed}");
        }
        var big = new byte[70000];
        rng.NextBytes(big);
        Assert.Equal(NaiveChecksum(big), Checksum.Compute(big));
    }

    [Fact]
    public void Ipv6_pseudo_header_udp_checksum_known_answer()
    {
        // UDP 2001:db8::1 port 1000 → 2001:db8::2 port 2000, payload "abc" (odd length).
        var udp = Udp("2001:db8::1", "2001:db8::2", 1000, 2000, "abc"u8.ToArray());
        var src = Ip("2001:db8::1");
        var dst = Ip("2001:db8::2");
        Assert.Equal(0, Checksum.ComputeTransport(src, dst, IpProtocol.Udp, udp));
        // Worked by hand: the pseudo-header words sum 0x2001+0x0db8+0x0001+0x2001+0x0db8+0x0002+0x000b+0x0011
        // = 0x5b91; the datagram adds 0x03e8+0x07d0+0x000b+0x6162+0x6300 = 0xd025 (odd "c" padded);
        // total 0x12bb6 → fold 0x2bb7 → complement 0xd448.
        Assert.True(0xd448 == ((udp[6] << 8) | udp[7]), Convert.ToHexString(udp));
        Assert.Equal(0x5b91u, Checksum.PseudoHeaderV6(src, dst, IpProtocol.Udp, udp.Length));
    }

    [Fact]
    public void Ipv4_pseudo_header_tcp_checksum_verifies_and_detects_a_flipped_bit()
    {
        var tcp = Tcp("198.19.0.1", "198.19.0.2", 44312, 80, 0x11223344, 0, 0x002, 64240, LinuxSynOptions(1));
        var src = Ip("198.19.0.1");
        var dst = Ip("198.19.0.2");
        Assert.Equal(0, Checksum.ComputeTransport(src, dst, IpProtocol.Tcp, tcp));
        tcp[5] ^= 0x10;
        Assert.NotEqual(0, Checksum.ComputeTransport(src, dst, IpProtocol.Tcp, tcp));
    }
}

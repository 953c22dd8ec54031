using System.Net;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests;

/// <summary>
/// <c>[src|dst] net PREFIX</c>: the forms tcpdump reads (ADDR/LEN, partial dotted, mask), IPv4 and IPv6,
/// ARP sender/target; and a seeded model test against a naive bit-by-bit comparison.
/// </summary>
public sealed class FilterNetTests(ITestOutputHelper output)
{
    private static bool M(string filter, byte[] packet, LinkType link = LinkType.Raw) =>
        PacketFilter.Parse(filter).Matches(PacketDecoder.Decode(packet, link));

    private static byte[] Udp(string src, string dst) => src.Contains(':', StringComparison.Ordinal)
        ? Build.Ipv6(src, dst, 17, Build.Udp(src, dst, 1000, 2000, [1, 2, 3]))
        : Build.Ipv4(src, dst, 17, Build.Udp(src, dst, 1000, 2000, [1, 2, 3]));

    [Theory]
    [InlineData("net 198.18.0.0/15", "198.19.255.1", "203.0.113.1", true)]
    [InlineData("net 198.18.0.0/15", "198.20.0.1", "203.0.113.1", false)]
    [InlineData("net 198.18.0.0/15", "203.0.113.1", "198.18.0.9", true)]
    [InlineData("src net 198.18.0.0/15", "203.0.113.1", "198.18.0.9", false)]
    [InlineData("dst net 198.18.0.0/15", "203.0.113.1", "198.18.0.9", true)]
    [InlineData("net 198.18", "198.18.77.1", "203.0.113.1", true)]
    [InlineData("net 198.18", "198.19.0.1", "203.0.113.1", false)]
    [InlineData("net 10", "10.200.0.1", "203.0.113.1", true)]
    [InlineData("net 10/8", "10.200.0.1", "203.0.113.1", true)]
    [InlineData("net 198.18.0.0 mask 255.254.0.0", "198.19.0.1", "203.0.113.1", true)]
    [InlineData("net 198.18.0.1", "198.18.0.1", "203.0.113.1", true)]
    [InlineData("net 198.18.0.1", "198.18.0.2", "203.0.113.1", false)]
    [InlineData("net 0.0.0.0/0", "203.0.113.1", "203.0.113.2", true)]
    [InlineData("net 198.18.0.0/15 and not net 198.19.0.0/16", "198.19.0.1", "203.0.113.1", false)]
    [InlineData("net 2001:db8::/32", "2001:db8:ffff::1", "2001:db9::1", true)]
    [InlineData("net 2001:db8::/33", "2001:db8:ffff::1", "2001:db9::1", false)]
    [InlineData("net 2001:db8::/32", "198.18.0.1", "198.18.0.2", false)]
    [InlineData("net 198.18.0.0/15", "2001:db8::1", "2001:db8::2", false)]
    public void Prefixes_as_tcpdump_reads_them(string filter, string src, string dst, bool expected) =>
        Assert.Equal(expected, M(filter, Udp(src, dst)));

    [Fact]
    public void Arp_sender_and_target_are_tested_too()
    {
        Assert.True(M("net 198.19.0.0/24", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.True(M("arp and src net 198.19.0.0/24", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.False(M("net 198.18.0.0/24", Vectors.ArpRequest, LinkType.Ethernet));
    }

    [Fact]
    public void Random_prefixes_match_exactly_the_addresses_a_naive_bitwise_comparison_accepts()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var v6 = rng.Next(2) == 0;
            var size = v6 ? 16 : 4;
            var length = rng.Next(size * 8 + 1);
            var network = new byte[size];
            rng.NextBytes(network);
            for (var bit = length; bit < size * 8; bit++)
            {
                network[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }
            // Half the candidates share the prefix and differ only after it.
            var candidate = (byte[])network.Clone();
            if (rng.Next(2) == 0)
            {
                rng.NextBytes(candidate);
            }
            else
            {
                for (var bit = length; bit < size * 8; bit++)
                {
                    if (rng.Next(2) == 1)
                    {
                        candidate[bit / 8] |= (byte)(0x80 >> (bit % 8));
                    }
                }
            }
            var naive = Enumerable.Range(0, length).All(bit => ((network[bit / 8] ^ candidate[bit / 8]) & (0x80 >> (bit % 8))) == 0);
            var peer = v6 ? "2001:db8::1" : "203.0.113.1";
            var packet = Udp(new IPAddress(candidate).ToString(), peer);
            var filter = $"src net {new IPAddress(network)}/{length}";
            Assert.True(naive == M(filter, packet), $"seed {seed}, case {i}: '{filter}' on {new IPAddress(candidate)}: expected {naive}");
        }
    }
}

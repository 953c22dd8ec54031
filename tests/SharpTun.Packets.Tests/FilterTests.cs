namespace SharpTun.Packets.Tests;

public sealed class FilterTests
{
    private static bool M(string filter, byte[] packet, LinkType link = LinkType.Raw) =>
        PacketFilter.Parse(filter).Matches(PacketDecoder.Decode(packet, link));

    [Fact]
    public void Protocols()
    {
        Assert.True(M("icmp", Vectors.EchoRequestV4));
        Assert.False(M("icmp", Vectors.EchoRequestV6));
        Assert.True(M("icmp6", Vectors.EchoRequestV6));
        Assert.True(M("ip", Vectors.TcpSynV4));
        Assert.False(M("ip", Vectors.TcpSynV6));
        Assert.True(M("ip6", Vectors.TcpSynV6));
        Assert.True(M("tcp", Vectors.TcpSynV6));
        Assert.True(M("udp", Vectors.UdpV6WithExtensions));
        Assert.True(M("arp", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.False(M("arp", Vectors.EchoRequestFrame, LinkType.Ethernet));
        Assert.True(M("vlan", Vectors.EchoRequestOnVlan, LinkType.Ethernet));
        Assert.True(M("", Vectors.UdpV4));
    }

    [Fact]
    public void Hosts_ports_and_combinations()
    {
        Assert.True(M("tcp port 80", Vectors.TcpSynV4));
        Assert.True(M("tcp port 80", Vectors.TcpSynAckV4));
        Assert.False(M("tcp port 81", Vectors.TcpSynV4));
        Assert.False(M("udp port 80", Vectors.TcpSynV4));
        Assert.True(M("dst port 80", Vectors.TcpSynV4));
        Assert.False(M("src port 80", Vectors.TcpSynV4));
        Assert.True(M("host 198.19.0.2", Vectors.EchoRequestV4));
        Assert.True(M("host 198.19.0.2", Vectors.EchoReplyV4));
        Assert.False(M("host 198.19.0.3", Vectors.EchoRequestV4));
        Assert.True(M("src host 198.19.0.1", Vectors.EchoRequestV4));
        Assert.False(M("dst 198.19.0.1", Vectors.EchoRequestV4));
        Assert.True(M("host 2001:db8:1::2", Vectors.EchoRequestV6));
        Assert.True(M("host 198.19.0.2", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.True(M("icmp or arp", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.False(M("icmp and arp", Vectors.ArpRequest, LinkType.Ethernet));
        Assert.True(M("not tcp", Vectors.UdpV4));
        Assert.False(M("!udp", Vectors.UdpV4));
        Assert.True(M("(tcp or udp) && port 53", Vectors.UdpV4));
        Assert.False(M("tcp and not (port 80 || port 443)", Vectors.TcpSynV6));
        Assert.True(M("TCP PORT 443", Vectors.TcpSynV6));
    }

    [Theory]
    [InlineData("tcp port", "invalid filter 'tcp port': 'port' needs a number 0-65535")]
    [InlineData("port 70000", "invalid filter 'port 70000': 'port' needs a number 0-65535, not '70000'")]
    [InlineData("host", "invalid filter 'host': 'host' needs an address")]
    [InlineData("(tcp", "invalid filter '(tcp': missing ')'")]
    [InlineData("tcp )", "invalid filter 'tcp )': unexpected ')'")]
    [InlineData("sctp", "invalid filter 'sctp': unknown word 'sctp' (expected ip, ip6, arp, icmp, icmp6, tcp, udp, vlan, host ADDR, net PREFIX, port N, src/dst, and, or, not)")]
    [InlineData("tcp and", "invalid filter 'tcp and': expression ends too early")]
    [InlineData("net", "invalid filter 'net': 'net' needs a prefix such as 198.18.0.0/15")]
    [InlineData("net 198.18.0.1/15", "invalid filter 'net 198.18.0.1/15': non-network bits set in '198.18.0.1/15'")]
    [InlineData("net 10.0.0.1 mask 255.0.0.0", "invalid filter 'net 10.0.0.1 mask 255.0.0.0': non-network bits set in '10.0.0.1 mask 255.0.0.0'")]
    [InlineData("net 10.0.0.0 mask 255.0.255.0", "invalid filter 'net 10.0.0.0 mask 255.0.255.0': '255.0.255.0' is not a contiguous IPv4 netmask")]
    [InlineData("net 10.0.0.0/33", "invalid filter 'net 10.0.0.0/33': invalid prefix length in '10.0.0.0/33' (0-32)")]
    [InlineData("net 2001:db8::/129", "invalid filter 'net 2001:db8::/129': invalid prefix length in '2001:db8::/129' (0-128)")]
    [InlineData("net 300.1", "invalid filter 'net 300.1': '300.1' is not an IPv4 prefix")]
    [InlineData("net 2001:db8::/32 mask 255.0.0.0", "invalid filter 'net 2001:db8::/32 mask 255.0.0.0': '2001:db8::/32' is not an IPv6 prefix")]
    [InlineData("src", "invalid filter 'src': 'src' needs 'host ADDR', 'net PREFIX' or 'port N'")]
    public void Bad_filters_say_what_is_wrong(string filter, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PacketFilter.Parse(filter)).Message);
}

using System.Net;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;
using SharpTun.Testing;

namespace SharpTun.Linux.Tests.Netlink;

/// <summary>The library against the real kernel, with iproute2 as the judge; all inside namespaces this test makes.</summary>
public class RtNetlinkClientTests
{
    [RootFact]
    public void LinkUpDown_AndAddresses_AsIpSeesThem()
    {
        using var ns = NetNs.Create();
        ns.Ip("link add st0 type bridge");
        using var c = RtNetlink.OpenInNamespace(ns.Name);

        c.LinkSetUp("st0");
        Assert.Contains("UP", IpJson.Flags(IpJson.Link(ns.Name, "st0")));
        Assert.True(c.GetLink("st0").IsUp);

        c.AddressAdd("st0", IpPrefix.Parse("198.18.5.1/24"), new AddressOptions { BroadcastFromPrefix = true });
        c.AddressAdd("st0", IpPrefix.Parse("198.18.6.1/16"), new AddressOptions { Broadcast = IPAddress.Parse("198.18.255.254") });
        c.AddressAdd("st0", IpPrefix.Parse("2001:db8:5::1/64"), new AddressOptions { NoDad = true });
        var ip = IpJson.Query(ns.Name, "addr show dev st0").Single().GetProperty("addr_info").EnumerateArray().ToArray();
        var v4 = ip.Single(a => a.Str("local") == "198.18.5.1");
        Assert.Equal("24", v4.Str("prefixlen"));
        Assert.Equal("198.18.5.255", v4.Str("broadcast"));
        Assert.Equal("global", v4.Str("scope"));
        Assert.Equal("198.18.255.254", ip.Single(a => a.Str("local") == "198.18.6.1").Str("broadcast"));
        Assert.Equal("64", ip.Single(a => a.Str("local") == "2001:db8:5::1").Str("prefixlen"));

        var ours = c.GetAddresses("st0");
        Assert.Equal(ip.Length, ours.Count);
        var mine = ours.Single(a => a.Local.Equals(IPAddress.Parse("198.18.5.1")));
        Assert.Equal(IPAddress.Parse("198.18.5.255"), mine.Broadcast);
        Assert.Equal(24, mine.PrefixLength);

        c.AddressDelete("st0", IpPrefix.Parse("198.18.5.1/24"));
        c.AddressDelete("st0", IpPrefix.Parse("2001:db8:5::1/64"));
        var left = IpJson.Query(ns.Name, "addr show dev st0").Single().GetProperty("addr_info").EnumerateArray().Select(a => a.Str("local")).ToArray();
        Assert.DoesNotContain("198.18.5.1", left);
        Assert.DoesNotContain("2001:db8:5::1", left);
        Assert.Contains("198.18.6.1", left);

        c.LinkSetDown("st0");
        Assert.DoesNotContain("UP", IpJson.Flags(IpJson.Link(ns.Name, "st0")));
    }

    [RootFact]
    public void VethPeerStraightIntoAnotherNamespace_PingAcross()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        using var ca = RtNetlink.OpenInNamespace(a.Name);
        using var cb = RtNetlink.OpenInNamespace(b.Name);
        ca.AddVeth("ep1", "ep2", b.Name);
        Assert.Equal("veth", IpJson.Link(a.Name, "ep1").GetProperty("linkinfo").Str("info_kind"));
        Assert.Equal("veth", IpJson.Link(b.Name, "ep2").GetProperty("linkinfo").Str("info_kind"));
        Assert.Null(ca.FindLink("ep2"));
        Assert.Equal("veth", cb.GetLink("ep2").Kind);

        ca.AddressAdd("ep1", IpPrefix.Parse("198.18.0.10/24"));
        cb.AddressAdd("ep2", IpPrefix.Parse("198.18.0.11/24"));
        ca.LinkSetUp("ep1");
        cb.LinkSetUp("ep2");
        a.Exec("ping", ["-c", "1", "-W", "5", "-I", "ep1", "198.18.0.11"]).EnsureSuccess();
        b.Exec("ping", ["-c", "1", "-W", "5", "-I", "ep2", "198.18.0.10"]).EnsureSuccess();
    }

    [RootFact]
    public void MoveLinkToNamespace()
    {
        using var a = NetNs.Create();
        using var b = NetNs.Create();
        a.Ip("link add stmv0 type veth peer name stmv1");
        using var ca = RtNetlink.OpenInNamespace(a.Name);
        ca.LinkSetNamespace("stmv1", b.Name);
        Assert.Null(ca.FindLink("stmv1"));
        Assert.NotNull(ca.FindLink("stmv0"));
        Assert.Equal("veth", IpJson.Link(b.Name, "stmv1").GetProperty("linkinfo").Str("info_kind"));

        // A bridge is local to its namespace; the kernel's extended-ACK text reaches the message.
        a.Ip("link add stbr0 type bridge");
        var e = Assert.Throws<NetlinkException>(() => ca.LinkSetNamespace("stbr0", b.Name));
        Assert.Equal($"cannot move link 'stbr0' to namespace '{b.Name}': invalid argument (The interface netns is immutable)", e.Message);
        Assert.Equal("The interface netns is immutable", e.KernelMessage);
        Assert.NotNull(ca.FindLink("stbr0"));
    }

    [RootFact]
    public void AddressOnMissingDevice_IsAClearError()
    {
        using var ns = NetNs.Create();
        using var c = RtNetlink.OpenInNamespace(ns.Name);
        var e = Assert.Throws<NetlinkException>(() => c.AddressAdd("nope0", IpPrefix.Parse("10.0.0.1/24")));
        Assert.Equal("cannot add address 10.0.0.1/24 to 'nope0': no such device", e.Message);
        Assert.Equal(19, e.Errno);
        var up = Assert.Throws<NetlinkException>(() => c.LinkSetUp("nope0"));
        Assert.Equal("cannot set link 'nope0' up: no such device", up.Message);
    }
}

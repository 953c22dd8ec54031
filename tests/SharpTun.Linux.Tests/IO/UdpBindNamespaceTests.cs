using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Net;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// <see cref="UdpBind"/> between two hosts of a <see cref="WireLab"/>: A has 198.18.0.1 and
/// 2001:db8:1::1; B has two addresses per family (198.18.0.2 and .3, 2001:db8:1::2 and ::3), so a
/// reply's source address shows whether it left from the address the peer spoke to.
/// </summary>
public sealed class UdpBindNamespaceTests : IDisposable
{
    private readonly WireLab? _lab;
    private readonly NetNs _a;
    private readonly NetNs _b;

    public UdpBindNamespaceTests()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            _a = _b = null!;
            return;
        }
        _lab = WireLab.Create(2, lab => lab.Hosts[1].AddOuterAddresses(3));
        _a = _lab.Hosts[0].Ns;
        _b = _lab.Hosts[1].Ns;
    }

    public void Dispose() => _lab?.Dispose();

    private UdpBind Open(NetNs ns, UdpBindOptions? options = null) =>
        NetNamespace.Run(ns.Name, () => UdpBind.Open(options ?? new UdpBindOptions()));

    // The source address routing in B picks towards A; the test speaks to the other one.
    private string RoutedSource(string to)
    {
        var words = _b.Ip($"route get {to}").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words[Array.IndexOf(words, "src") + 1];
    }

    [RootTheory]
    [InlineData("198.18.0.1", "198.18.0.3", "198.18.0.2")]
    [InlineData("2001:db8:1::1", "2001:db8:1::3", "2001:db8:1::2")]
    public void The_reply_leaves_from_the_address_the_peer_spoke_to(string aAddress, string one, string other)
    {
        var primary = RoutedSource(aAddress);
        var secondary = primary == one ? other : one;
        Assert.Contains(primary, new[] { one, other });
        using var a = Open(_a);
        using var b = Open(_b);
        var ha = new BindHarness(a);
        var hb = new BindHarness(b);
        var spokenTo = IPAddress.Parse(secondary);
        const int n = 24;
        Assert.Equal(0, a.Send(BindHarness.Datagrams(n, 0, 1), 0, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(spokenTo, b.LocalPort)))));
        DatagramEndpoint from = default;
        var largest = hb.ReceiveExactly(n, 0, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 1, 0);
            from = ep;
        });
        Assert.True(largest > 1, "every receive returned one datagram");
        Assert.Equal(NetEndpoint.From(new IPEndPoint(IPAddress.Parse(aAddress), a.LocalPort)), from.Remote);
        Assert.Equal(NetEndpoint.From(new IPEndPoint(spokenTo, 0)), from.Local);
        var wireIndex = int.Parse(_b.Exec("cat", ["/sys/class/net/wire0/ifindex"]).EnsureSuccess().StdOut.Trim());
        Assert.Equal(wireIndex, from.InterfaceIndex);

        // With the local hint the reply comes from the secondary address …
        Assert.Equal(0, b.Send(BindHarness.Datagrams(n, 0, 2), 0, from));
        DatagramEndpoint back = default;
        ha.ReceiveExactly(n, 0, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 2, 0);
            back = ep;
        });
        Assert.Equal(NetEndpoint.From(new IPEndPoint(spokenTo, b.LocalPort)), back.Remote);

        // … and without it routing picks the primary one (so the check above can fail).
        Assert.Equal(0, b.Send(BindHarness.Datagrams(1, 0, 3), 0, new DatagramEndpoint(from.Remote)));
        ha.ReceiveExactly(1, 0, (_, _, ep) => back = ep);
        Assert.Equal(NetEndpoint.From(new IPEndPoint(IPAddress.Parse(primary), b.LocalPort)), back.Remote);
    }

    [RootTheory]
    [InlineData("198.18.0.1", "198.18.0.3", "198.18.0.2")]
    [InlineData("2001:db8:1::1", "2001:db8:1::3", "2001:db8:1::2")]
    public void A_source_that_is_gone_is_dropped_and_the_send_retried_once(string aAddress, string one, string other)
    {
        var primary = RoutedSource(aAddress);
        var vanishing = primary == one ? other : one;
        using var a = Open(_a);
        using var b = Open(_b);
        var ha = new BindHarness(a);
        var prefix = vanishing.Contains(':') ? 64 : 24;
        _b.Ip($"addr del {vanishing}/{prefix} dev wire0");
        var to = new DatagramEndpoint(
            NetEndpoint.From(new IPEndPoint(IPAddress.Parse(aAddress), a.LocalPort)),
            NetEndpoint.From(new IPEndPoint(IPAddress.Parse(vanishing), 0)), 0);
        Assert.Equal(0, b.Send(BindHarness.Datagrams(3, 0, 4), 0, to));
        Assert.Equal(1, b.SourceFallbacks);
        DatagramEndpoint back = default;
        ha.ReceiveExactly(3, 0, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 4, 0);
            back = ep;
        });
        Assert.Equal(NetEndpoint.From(new IPEndPoint(IPAddress.Parse(primary), b.LocalPort)), back.Remote);
    }

    [RootFact]
    public void A_bind_to_one_address_hears_only_that_address()
    {
        using var only3 = Open(_b, new UdpBindOptions { Address = IPAddress.Parse("198.18.0.3") });
        using var only2 = Open(_b, new UdpBindOptions { Address = IPAddress.Parse("198.18.0.2"), Port = only3.LocalPort });
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.0.3"), only3.LocalPort), only3.LocalEndPoint);
        using var a = Open(_a);
        Assert.Equal(0, a.Send(BindHarness.Datagrams(1, 0, 5), 0, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), only3.LocalPort)))));
        Assert.Equal(0, a.Send(BindHarness.Datagrams(2, 0, 6), 0, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.3"), only3.LocalPort)))));
        new BindHarness(only2).ReceiveExactly(1, 0, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 5, 0);
            Assert.Equal(NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 0)), ep.Local);
        });
        new BindHarness(only3).ReceiveExactly(2, 0, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 6, 0);
            Assert.Equal(NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.3"), 0)), ep.Local);
        });
    }
}

using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Net;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// UDP GSO and GRO of <see cref="UdpBind"/> between two hosts of a <see cref="WireLab"/> (MTU 1500):
/// A has 198.18.0.1 and 2001:db8:1::1; B has 198.18.0.2/.3 and 2001:db8:1::2/::3. veth and the bridge forward a
/// UDP_SEGMENT send as one GSO packet, so a GRO receiver in B gets it coalesced.
/// </summary>
public sealed class UdpBindOffloadNamespaceTests : IDisposable
{
    private const int Wire = 1452;

    private readonly WireLab? _lab;
    private readonly NetNs _a;
    private readonly NetNs _b;

    public UdpBindOffloadNamespaceTests()
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

    private static UdpBind Open(NetNs ns, UdpBindOptions? options = null) =>
        NetNamespace.Run(ns.Name, () => UdpBind.Open(options ?? new UdpBindOptions()));

    [RootTheory]
    [InlineData("198.18.0.1", "198.18.0.3")]
    [InlineData("2001:db8:1::1", "2001:db8:1::3")]
    public void A_gso_batch_crosses_veth_whole_to_plain_and_gro_receivers_and_the_reply_keeps_its_source(string aAddress, string bSecondary)
    {
        using var a = Open(_a);
        using var gro = Open(_b);
        using var plain = Open(_b, new UdpBindOptions { Gro = false });
        var hGro = new BindHarness(gro, OffloadData.GroBuffer);
        var hPlain = new BindHarness(plain, OffloadData.GroBuffer);
        var sizes = OffloadData.Sizes(30, Wire, last: 200);
        var from = NetEndpoint.From(new IPEndPoint(IPAddress.Parse(aAddress), a.LocalPort));
        var secondary = IPAddress.Parse(bSecondary);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 1), 0, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(secondary, gro.LocalPort)))));
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 2), 0, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(secondary, plain.LocalPort)))));
        Assert.Equal((2, 2, 62, 0, 0), OffloadData.Counters(a));

        Assert.Equal(31, OffloadData.ReceiveInOrder(hGro, sizes, 1, from));
        Assert.Equal((1L, 31L), (gro.GroReceives, gro.GroSegments));
        OffloadData.ReceiveInOrder(hPlain, sizes, 2, from);
        Assert.Equal(0, plain.GroSegments);
        Assert.Equal(NetEndpoint.From(new IPEndPoint(secondary, 0)), hGro.Endpoints[0].Local);

        // The reply, from the address A spoke to (IP_PKTINFO/IPV6_PKTINFO beside UDP_SEGMENT in one control buffer).
        var reply = OffloadData.Sizes(12, Wire, last: 3);
        Assert.Equal(0, gro.Send(OffloadData.Make(reply, 0, 3), 0, hGro.Endpoints[0]));
        Assert.Equal((1, 1, 13, 1, 31), OffloadData.Counters(gro));
        OffloadData.ReceiveInOrder(new BindHarness(a, OffloadData.GroBuffer), reply, 3, NetEndpoint.From(new IPEndPoint(secondary, gro.LocalPort)));
        Assert.Equal(1, a.GroReceives);
    }

    [RootTheory]
    [InlineData("198.18.0.2")]
    [InlineData("2001:db8:1::2")]
    public void A_gso_send_the_kernel_refuses_goes_datagram_by_datagram_loses_nothing_and_is_said_once(string bAddress)
    {
        // A path MTU below datagram + headers: UDP_SEGMENT is EMSGSIZE (udp_send_skb: gso_size beyond
        // fragsize; EINVAL before 6.3), while a plain send is fragmented and reassembled. (EIO, the
        // other refusal, needs a device without checksum offload before Linux 6.11, or IPsec.)
        _a.Ip("link set wire0 mtu 1400");
        var said = new List<string>();
        using var a = Open(_a, new UdpBindOptions { Log = said.Add });
        using var b = Open(_b);
        var hb = new BindHarness(b, OffloadData.GroBuffer);
        var to = new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Parse(bAddress), b.LocalPort)));
        Assert.True(a.GsoEnabled);
        var sizes = OffloadData.Sizes(25, Wire, last: 90);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 7), 0, to));
        Assert.False(a.GsoEnabled);
        Assert.Equal((2, 0, 0, 0, 0), OffloadData.Counters(a)); // the refused GSO message, then one sendmmsg
        OffloadData.ReceiveInOrder(hb, sizes, 7);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 8), 0, to));
        Assert.Equal(3, a.SendCalls);
        OffloadData.ReceiveInOrder(hb, sizes, 8);
        var line = Assert.Single(said);
        Assert.Equal(a.GsoDisabledReason, line);
        Assert.Equal($"{a}: UDP GSO refused sending to {to.Remote} (a datagram with its headers is larger than the route's MTU (EMSGSIZE)); sending datagram by datagram (sendmmsg) from now on", line);
        Assert.Equal(0, b.GroSegments);
    }

    [RootTheory]
    [InlineData("198.18.0.1", "198.18.0.3", 24)]
    [InlineData("2001:db8:1::1", "2001:db8:1::3", 64)]
    public void A_gso_batch_from_a_source_that_is_gone_goes_from_the_routed_one_and_gso_stays_on(string aAddress, string vanishing, int prefix)
    {
        using var a = Open(_a);
        using var b = Open(_b);
        _b.Ip($"addr del {vanishing}/{prefix} dev wire0");
        var to = new DatagramEndpoint(
            NetEndpoint.From(new IPEndPoint(IPAddress.Parse(aAddress), a.LocalPort)),
            NetEndpoint.From(new IPEndPoint(IPAddress.Parse(vanishing), 0)), 0);
        var sizes = OffloadData.Sizes(10, Wire, last: 50);
        // IPv4 refuses the source with ENETUNREACH, IPv6 with EINVAL, which is first taken for a GSO
        // refusal: the plain resend fails alike, so GSO is not blamed.
        Assert.Equal(0, b.Send(OffloadData.Make(sizes, 0, 9), 0, to));
        Assert.Equal(1, b.SourceFallbacks);
        Assert.True(b.GsoEnabled);
        Assert.Null(b.GsoDisabledReason);
        var routed = NetEndpoint.From(new IPEndPoint(IPAddress.Parse(aAddress.Contains(':') ? "2001:db8:1::2" : "198.18.0.2"), b.LocalPort));
        OffloadData.ReceiveInOrder(new BindHarness(a, OffloadData.GroBuffer), sizes, 9, routed);
        Assert.Equal(0, b.Send(OffloadData.Make(sizes, 0, 10), 0, new DatagramEndpoint(to.Remote)));
        Assert.Equal(aAddress.Contains(':') ? 1 : 2, b.GsoSends);
    }
}

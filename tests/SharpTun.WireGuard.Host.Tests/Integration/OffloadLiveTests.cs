using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 9: the tunnel with tun offloads on (the default of <c>sharptun wg up</c>). <c>ethtool -k</c> on
/// SharpTun's device shows checksum, TSO and USO offloads on; 64 MiB SHA-256-checked TCP streams cross it
/// both ways with v4 and v6 inside; a UDP GSO sender inside (one send = many datagrams, handed to the
/// tun as one USO super-packet) arrives datagram for datagram. Against SharpTun and against both
/// wireguard-go builds (the newest has offloads of its own: offloads must interoperate).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class OffloadLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void SharpTunPair_OffloadsOn_TcpAndUdpInnerTraffic_BothWays()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        AssertOffloadsOn(a);
        AssertOffloadsOn(b);
        Transfers(a, b);
        a.Process.EnsureRunning("the test ended");
        b.Process.EnsureRunning("the test ended");
    }

    [RootFact]
    public void DebianWireGuardGo_OffloadsOnOurSide_TcpAndUdpInnerTraffic_BothWays() => AgainstWireGuardGo(WireGuardGo.Debian);

    [UpstreamWireGuardGoFact]
    public void UpstreamWireGuardGo_OffloadsOnBothSides_TcpAndUdpInnerTraffic_BothWays() => AgainstWireGuardGo(WireGuardGo.Upstream);

    private void AgainstWireGuardGo(string binary)
    {
        using var lab = new WireLab();
        var (ours, theirs) = Pairs.WithWireGuardGo(lab, binary, sharpTunInitiates: true);
        output.WriteLine($"peer: {binary}");
        AssertOffloadsOn(ours);
        Transfers(ours, theirs);
        ours.Process.EnsureRunning("the test ended");
        theirs.Process.EnsureRunning("the test ended");
    }

    private void Transfers(WgNode a, WgNode b)
    {
        Traffic.Ping(a.Host, b.Host.InnerV4, count: 2);
        var seed = TestSeed.Get(output);
        foreach (var (from, to, address, label) in new[]
                 {
                     (a, b, b.Host.InnerV4, "A->B v4"), (b, a, a.Host.InnerV4, "B->A v4"),
                     (a, b, b.Host.InnerV6, "A->B v6"), (b, a, a.Host.InnerV6, "B->A v6"),
                 })
        {
            var t = Traffic.TcpTransfer(from.Host, to.Host, address, 64L << 20, seed);
            output.WriteLine($"64 MiB TCP {label} in {t.Seconds:0.00} s ({64 * 8 / 1024.0 / t.Seconds:0.00} Gbit/s), sha256 {t.Sent}");
            Assert.Equal(64L << 20, t.Length);
            Assert.Equal(t.Sent, t.Received);
        }
        foreach (var (from, to, address, label) in new[] { (a, b, b.Host.InnerV4, "A->B v4"), (b, a, a.Host.InnerV6, "B->A v6") })
        {
            var (sent, received, corrupt) = UdpGsoTransfer(from.Host, to.Host, address, seed);
            output.WriteLine($"UDP GSO {label}: {received}/{sent} datagrams arrived, {corrupt} corrupt");
            Assert.Equal(0, corrupt);
            // UDP may lose a datagram under pressure; the tunnel must not lose a whole super-packet's worth.
            Assert.True(received >= sent * 95 / 100, $"only {received} of {sent} UDP datagrams arrived");
        }
    }

    private static void AssertOffloadsOn(SharpTunWg node)
    {
        var k = node.Host.Must("ethtool", "-k", node.Name).StdOut;
        foreach (var feature in new[] { "tx-checksumming: on", "tcp-segmentation-offload: on", "tx-udp-segmentation: on" })
        {
            Assert.True(k.Contains(feature, StringComparison.Ordinal), $"ethtool -k {node.Name} does not show '{feature}':\n{k}");
        }
    }

    /// <summary>
    /// 64 rounds of one UDP_SEGMENT send (10 datagrams of 1200 bytes, so the kernel hands the tun one
    /// USO super-packet) from <paramref name="from"/> to <paramref name="to"/>; each datagram carries its
    /// number and seeded bytes, checked on arrival. Returns (sent, received, corrupt).
    /// </summary>
    private static (int Sent, int Received, int Corrupt) UdpGsoTransfer(LabHost from, LabHost to, string address, int seed)
    {
        const int Segment = 1200, PerSend = 10, Rounds = 64;
        const int SolUdp = 17, UdpSegmentOption = 103;
        var ip = IPAddress.Parse(address);
        using var receiver = NetNamespace.Run(to.Name, () =>
        {
            var s = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 << 20 };
            s.Bind(new IPEndPoint(ip, 0));
            return s;
        });
        var target = (IPEndPoint)receiver.LocalEndPoint!;
        using var sender = NetNamespace.Run(from.Name, () => new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        sender.SetRawSocketOption(SolUdp, UdpSegmentOption, BitConverter.GetBytes(Segment));
        var seen = new bool[Rounds * PerSend];
        int received = 0, corrupt = 0;
        var buffer = new byte[Segment * PerSend];
        var datagram = new byte[65536];
        receiver.ReceiveTimeout = 2000;
        for (var round = 0; round < Rounds; round++)
        {
            for (var d = 0; d < PerSend; d++)
            {
                Fill(buffer.AsSpan(d * Segment, Segment), (round * PerSend) + d, seed);
            }
            sender.SendTo(buffer, target);
            // Drain what arrived so far (paced: one super-packet in flight at a time).
            for (var d = 0; d < PerSend; d++)
            {
                if (!receiver.Poll(2_000_000, SelectMode.SelectRead))
                {
                    break;
                }
                var n = receiver.Receive(datagram);
                var number = n >= 4 ? BitConverter.ToInt32(datagram, 0) : -1;
                var expected = new byte[Segment];
                if (n != Segment || number < 0 || number >= seen.Length)
                {
                    corrupt++;
                    continue;
                }
                Fill(expected, number, seed);
                if (!expected.AsSpan().SequenceEqual(datagram.AsSpan(0, n)) || seen[number])
                {
                    corrupt++;
                    continue;
                }
                seen[number] = true;
                received++;
            }
        }
        return (Rounds * PerSend, received, corrupt);
    }

    private static void Fill(Span<byte> datagram, int number, int seed)
    {
        new Random(seed ^ number).NextBytes(datagram);
        BitConverter.TryWriteBytes(datagram, number);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Linux.Net;
using SharpTun.Testing.Fakes;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// The relay engine the CLI runs, over the shared in-memory device queues (SharpTun.Testing.Fakes),
/// no root needed. The same test runs over real loopback sockets (TCP, and UDP on UdpBind) and
/// over the in-memory datagram network (FakeDatagramNetwork), as wireguard-go's genTestPair does.
/// </summary>
public sealed class RelayOverFakesTests(ITestOutputHelper output)
{
    public enum Network
    {
        RealTcp,
        RealUdp,
        FakeUdp,
    }

    [Theory]
    [InlineData(Network.RealTcp)]
    [InlineData(Network.RealUdp)]
    [InlineData(Network.FakeUdp)]
    public void Packets_cross_both_ways_intact_and_in_order(Network network)
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        // Each pair: the relay owns one end (its "device"), the test plays the kernel on the other.
        var (deviceA, kernelA) = FakePacketQueue.CreatePair("fakeA", "kernelA");
        var (deviceB, kernelB) = FakePacketQueue.CreatePair("fakeB", "kernelB");
        using var da = deviceA;
        using var ka = kernelA;
        using var db = deviceB;
        using var kb = kernelB;
        var countersA = new TunnelCounters();
        var countersB = new TunnelCounters();
        var (serverTransport, clientTransport) = network switch
        {
            Network.RealTcp => LoopbackPair(TransportKind.Tcp, countersA, countersB),
            Network.RealUdp => LoopbackPair(TransportKind.Udp, countersA, countersB),
            _ => FakeUdpPair(countersA, countersB),
        };
        using var failures = new BlockingCollection<Exception>();
        var relayA = new Relay(deviceA, serverTransport, countersA);
        var relayB = new Relay(deviceB, clientTransport, countersB);
        var threads = new[] { Start(relayA, failures), Start(relayB, failures) };
        try
        {
            Poll.Until(() => relayA.PeerName is not null || failures.Count > 0, "the server relay to have its peer");
            Assert.Empty(failures);
            // Bursts of 25 so UDP on loopback never overflows a socket buffer; TCP must keep every byte and the order.
            var sentAB = new List<byte[]>();
            var sentBA = new List<byte[]>();
            var gotAB = new List<byte[]>();
            var gotBA = new List<byte[]>();
            for (var burst = 0; burst < 20; burst++)
            {
                for (var i = 0; i < 25; i++)
                {
                    var ab = Packet(rng);
                    var ba = Packet(rng);
                    sentAB.Add(ab);
                    sentBA.Add(ba);
                    Assert.Equal(1, kernelA.Write([ab], 0));
                    Assert.Equal(1, kernelB.Write([ba], 0));
                }
                Poll.Until(() =>
                {
                    Drain(kernelB, gotAB);
                    Drain(kernelA, gotBA);
                    return (gotAB.Count >= sentAB.Count && gotBA.Count >= sentBA.Count) || failures.Count > 0;
                }, $"burst {burst} delivered (seed {seed})", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));
                Assert.Empty(failures);
            }
            Assert.Equal(sentAB, gotAB);
            Assert.Equal(sentBA, gotBA);
            Assert.Equal(500, countersA.DeviceToNetPackets);
            Assert.Equal(500, countersA.NetToDevicePackets);
            Assert.Equal(500, countersB.DeviceToNetPackets);
            Assert.Equal(500, countersB.NetToDevicePackets);
            Assert.Equal(sentAB.Sum(p => (long)p.Length), countersA.DeviceToNetBytes);
            Assert.Equal(sentBA.Sum(p => (long)p.Length), countersA.NetToDeviceBytes);
            Assert.Equal(0, countersA.ProtocolErrors + countersB.ProtocolErrors);
            Assert.Equal(0, countersA.DropSendFailed + countersB.DropSendFailed);
        }
        finally
        {
            relayA.Stop();
            relayB.Stop();
            foreach (var t in threads)
            {
                Assert.True(t.Join(5000), $"relay thread {t.Name} did not stop within 5 s of Stop()");
            }
            serverTransport.Dispose();
            clientTransport.Dispose();
        }
        Assert.Empty(failures);
    }

    // A peer's UDP GSO send (here: a bind in the test, as the client relay sends a burst) reaches the
    // server's socket (UDP_GRO) as one coalesced message, of which the relay takes a few datagrams
    // per receive at first: the rest waits inside the bind, where epoll cannot show it. The relay
    // must take it without waiting for another datagram (nothing else is sent).
    [Fact]
    public void A_coalesced_udp_burst_arrives_whole_without_a_later_datagram()
    {
        var (device, kernel) = FakePacketQueue.CreatePair("groA", "kernelGA");
        using var d = device;
        using var k = kernel;
        var counters = new TunnelCounters();
        var serverBind = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gro = true });
        var policy = new UdpPeerPolicy(new AddressFilter([]), null, TimeSpan.FromSeconds(1));
        var server = new UdpTransport(serverBind, null, 1500, false, 16, counters, new EventLimiter(null), policy, TimeSpan.FromSeconds(1), "server");
        using var peer = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gso = true });
        using var failures = new BlockingCollection<Exception>();
        var relay = new Relay(device, server, counters);
        var thread = Start(relay, failures);
        try
        {
            var rng = new Random(7);
            var burst = new List<byte[]>();
            for (var i = 0; i < 32; i++)
            {
                var p = new byte[1200];
                rng.NextBytes(p);
                p[0] = 0x45;
                p[2] = 1200 >> 8;
                p[3] = 1200 & 0xFF;
                burst.Add(p);
            }
            var to = new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, serverBind.LocalPort)));
            Assert.Equal(0, peer.Send([.. burst.Select(p => (Memory<byte>)p)], 0, to));
            Assert.True(peer.GsoSends > 0, "the burst did not go as one GSO message");
            var got = new List<byte[]>();
            Poll.Until(() =>
            {
                Drain(kernel, got);
                return got.Count >= 32 || failures.Count > 0;
            }, $"the burst at the server's device ({got.Count}/32)", TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(5));
            Assert.Empty(failures);
            Assert.Equal(burst, got);
            Assert.True(serverBind.GroReceives > 0, "the server's socket coalesced nothing");
        }
        finally
        {
            relay.Stop();
            Assert.True(thread.Join(5000), "the relay did not stop within 5 s of Stop()");
            server.Dispose();
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Stop_wakes_an_idle_relay_at_once()
    {
        var (device, kernel) = FakePacketQueue.CreatePair("fakeS", "kernelS");
        using var k = kernel;
        using var d = device;
        var counters = new TunnelCounters();
        var (server, client) = LoopbackPair(TransportKind.Tcp, counters, new TunnelCounters());
        client.Dispose();
        using var failures = new BlockingCollection<Exception>();
        var relay = new Relay(device, server, counters);
        var thread = Start(relay, failures);
        Thread.Sleep(200); // let it block in poll(2) with no timer pending
        var sw = System.Diagnostics.Stopwatch.StartNew();
        relay.Stop();
        Assert.True(thread.Join(2000), "relay did not stop");
        output.WriteLine($"stopped {sw.Elapsed.TotalMilliseconds:0.0} ms after Stop()");
        Assert.True(sw.Elapsed < TimeSpan.FromMilliseconds(100), $"stop took {sw.Elapsed.TotalMilliseconds:0} ms");
        server.Dispose();
        Assert.Empty(failures);
    }

    internal static (IRelayTransport Server, IRelayTransport Client) LoopbackPair(TransportKind kind, TunnelCounters a, TunnelCounters b, TimeSpan? keepalive = null)
    {
        if (kind == TransportKind.Tcp)
        {
            var listener = TcpServerTransport.Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, 0));
            var server = new TcpServerTransport(listener, new TcpBuffers(1500, 16), a, new EventLimiter(null), new AddressFilter([]), new TcpPolicy());
            var client = new TcpClientTransport([server.LocalEndPoint], f => new Socket(f, SocketType.Stream, ProtocolType.Tcp), new TcpBuffers(1500, 16), b,
                new EventLimiter(null));
            return (server, client);
        }
        // Port 0: the kernel picks the server's port and the client is told it; nothing to race for.
        // As TunnelHost opens them: with GRO (see TunnelHost.OpenBind; the relay drains what a GRO message left in the bind).
        var serverBind = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gro = true });
        var clientBind = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gro = true });
        var policy = new UdpPeerPolicy(new AddressFilter([]), null, TimeSpan.FromSeconds(1));
        var udpServer = new UdpTransport(serverBind, null, 1500, false, 16, a, new EventLimiter(null), policy, TimeSpan.FromSeconds(1), "server");
        var to = new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, serverBind.LocalPort)));
        var udpClient = new UdpTransport(clientBind, to, 1500, false, 16, b, new EventLimiter(null), policy, keepalive ?? TimeSpan.FromMilliseconds(100), "client");
        return (udpServer, udpClient);
    }

    internal static (IRelayTransport Server, IRelayTransport Client) FakeUdpPair(TunnelCounters a, TunnelCounters b)
    {
        var net = new FakeDatagramNetwork();
        var serverBind = net.Bind("198.18.0.1:55555");
        var clientBind = net.Bind("198.18.0.2:0");
        var policy = new UdpPeerPolicy(new AddressFilter([]), null, TimeSpan.FromSeconds(1));
        var server = new UdpTransport(serverBind, null, 1500, false, 16, a, new EventLimiter(null), policy, TimeSpan.FromSeconds(1), "server");
        var client = new UdpTransport(clientBind, new DatagramEndpoint(serverBind.LocalEndpoint), 1500, false, 16, b, new EventLimiter(null), policy,
            TimeSpan.FromMilliseconds(100), "client");
        return (server, client);
    }

    private static void Drain(FakePacketQueue kernel, List<byte[]> into)
    {
        var buffers = new Memory<byte>[16];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new byte[2048];
        }
        var sizes = new int[16];
        int n;
        while ((n = kernel.TryRead(buffers, sizes, 0)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                into.Add(buffers[i].Span[..sizes[i]].ToArray());
            }
        }
    }

    internal static Thread Start(Relay relay, BlockingCollection<Exception> failures)
    {
        var t = new Thread(() =>
        {
            try
            {
                relay.Run(CancellationToken.None);
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        })
        { IsBackground = true, Name = "relay" };
        t.Start();
        return t;
    }

    // A well-formed IPv4 header (version, IHL, total length) in front of random bytes: the UDP server learns its peer only from a real-looking packet.
    internal static byte[] Packet(Random rng)
    {
        var p = new byte[rng.Next(20, 1501)];
        rng.NextBytes(p);
        p[0] = 0x45;
        p[2] = (byte)(p.Length >> 8);
        p[3] = (byte)p.Length;
        return p;
    }
}

using System.Net;
using SharpTun.Testing;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

/// <summary>The same relay code as the CLI, over in-memory devices and real loopback sockets (no root needed).</summary>
public sealed class RelayOverFakesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(TransportKind.Tcp)]
    [InlineData(TransportKind.Udp)]
    public void Packets_cross_both_ways_intact_and_in_order(TransportKind kind)
    {
        var seed = Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var deviceA = new FakeDevice("fakeA");
        var deviceB = new FakeDevice("fakeB");
        var countersA = new TunnelCounters();
        var countersB = new TunnelCounters();
        using var stop = new CancellationTokenSource();
        var port = kind == TransportKind.Tcp ? 0 : FreeUdpPort();
        ITransport serverTransport = kind == TransportKind.Tcp
            ? new TcpServerTransport(new IPEndPoint(IPAddress.Loopback, 0), new RelayBuffers(1500), countersA, TunnelLog.Null)
            : new UdpTransport(new IPEndPoint(IPAddress.Loopback, port), true, deviceA, new RelayBuffers(1500), countersA, TunnelLog.Null, TimeSpan.FromSeconds(1));
        if (serverTransport is TcpServerTransport tcp)
        {
            port = tcp.LocalEndPoint.Port;
        }
        ITransport clientTransport = kind == TransportKind.Tcp
            ? new TcpClientTransport(new IPEndPoint(IPAddress.Loopback, port), new RelayBuffers(1500), countersB, TunnelLog.Null)
            : new UdpTransport(new IPEndPoint(IPAddress.Loopback, port), false, deviceB, new RelayBuffers(1500), countersB, TunnelLog.Null, TimeSpan.FromMilliseconds(100));
        var relayA = new Relay(deviceA, serverTransport, countersA, TunnelLog.Null);
        var relayB = new Relay(deviceB, clientTransport, countersB, TunnelLog.Null);
        Exception? failure = null;
        void RunRelay(Relay relay)
        {
            try
            {
                relay.Run(stop.Token);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        var threads = new[] { new Thread(() => RunRelay(relayA)), new Thread(() => RunRelay(relayB)) };
        foreach (var t in threads)
        {
            t.Start();
        }
        try
        {
            Poll.Until(() => relayA.PeerName is { } p && !p.StartsWith('('), "the server relay to have its peer");
            // Bursts of 25 so UDP on loopback never overflows a socket buffer; TCP must keep every byte and the order.
            var sentAB = new List<byte[]>();
            var sentBA = new List<byte[]>();
            for (var burst = 0; burst < 20; burst++)
            {
                for (var i = 0; i < 25; i++)
                {
                    var ab = Packet(rng);
                    var ba = Packet(rng);
                    sentAB.Add(ab);
                    sentBA.Add(ba);
                    deviceA.Inject(ab);
                    deviceB.Inject(ba);
                }
                Poll.Until(() => deviceB.WrittenCount == sentAB.Count && deviceA.WrittenCount == sentBA.Count,
                    $"burst {burst} delivered (seed {seed})", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));
            }
            Assert.Equal(sentAB, deviceB.Written);
            Assert.Equal(sentBA, deviceA.Written);
            Assert.Equal(500, countersA.DeviceToNetPackets);
            Assert.Equal(500, countersA.NetToDevicePackets);
            Assert.Equal(sentAB.Sum(p => (long)p.Length), countersA.DeviceToNetBytes);
            Assert.Equal(0, countersA.ProtocolErrors + countersB.ProtocolErrors);
            Assert.Null(failure);
        }
        finally
        {
            stop.Cancel();
            foreach (var t in threads)
            {
                t.Join(5000);
            }
            serverTransport.Dispose();
            clientTransport.Dispose();
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static byte[] Packet(Random rng)
    {
        var p = new byte[rng.Next(20, 1501)];
        rng.NextBytes(p);
        p[0] = 0x45;
        return p;
    }
}

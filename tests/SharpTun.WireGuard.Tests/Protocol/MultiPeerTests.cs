using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>One server device with many peers: handshakes, cryptokey routing both ways, peer removal.</summary>
public sealed class MultiPeerTests
{
    [Fact]
    public void ServerWith40Peers_RoutesEachPacketToItsPeer()
    {
        var clock = new ManualTimeProvider();
        using var server = new WireGuardDevice(WireGuardKeys.GeneratePrivateKey(), clock, new SeededRandom(1));
        var serverEnd = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));
        var clients = new List<(WireGuardDevice Device, WireGuardPeer ServerOnClient, WireGuardPeer ClientOnServer, NetEndpoint End, string Ip)>();
        var buf = new byte[2048];
        var buf2 = new byte[2048];
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var dev = new WireGuardDevice(WireGuardKeys.GeneratePrivateKey(), clock, new SeededRandom(100 + i));
                var ip = $"198.19.1.{i + 10}";
                var end = NetEndpoint.From(IPEndPoint.Parse($"198.18.0.{i + 10}:40000"));
                var s = dev.AddPeer(server.PublicKey.Span);
                s.Endpoint = serverEnd;
                dev.AllowedIps.Insert(IPAddress.Parse("0.0.0.0"), 0, s);
                var c = server.AddPeer(dev.PublicKey.Span);
                server.AllowedIps.Insert(IPAddress.Parse(ip), 32, c);
                clients.Add((dev, s, c, end, ip));
            }
            Assert.Throws<ArgumentException>(() => server.AddPeer(clients[3].Device.PublicKey.Span));
            foreach (var (dev, s, c, end, ip) in clients)
            {
                Assert.Same(c, server.FindPeer(dev.PublicKey.Span));
                var first = dev.Encapsulate(TestPackets.Ipv4(ip, "198.19.1.1", 100), buf);
                Assert.Equal(148, first.Length);
                var resp = server.Decapsulate(end, buf.AsSpan(0, 148), buf2);
                Assert.Same(c, resp.Peer);
                Assert.Equal(WireGuardAction.Done, dev.Decapsulate(serverEnd, buf2.AsSpan(0, resp.Length), buf).Action);
                var data = dev.DequeuePending(dev.Peers[0], buf);
                Assert.Equal(WireGuardAction.WriteToNetwork, data.Action);
                Assert.Equal(WireGuardAction.Done, dev.DequeuePending(dev.Peers[0], buf2).Action); // drained
                var inner = server.Decapsulate(end, buf.AsSpan(0, data.Length), buf2);
                Assert.Equal(WireGuardAction.WriteToTunnel, inner.Action);
                Assert.Same(c, inner.Peer);
            }
            // The server picks the peer by destination and each client decrypts only its own packets.
            foreach (var (dev, _, c, end, ip) in clients)
            {
                var r = server.Encapsulate(TestPackets.Ipv4("198.19.1.1", ip, 200), buf);
                Assert.Same(c, r.Peer);
                Assert.Equal(end, r.Endpoint);
                Assert.Equal(WireGuardAction.WriteToTunnel, dev.Decapsulate(serverEnd, buf.AsSpan(0, r.Length), buf2).Action);
                var other = clients[(clients.FindIndex(x => x.Ip == ip) + 1) % clients.Count].Device;
                Assert.Equal(WireGuardError.UnknownIndex, other.Decapsulate(serverEnd, buf.AsSpan(0, r.Length), buf2).Error);
            }
            // Removing a peer removes its routes and sessions.
            var gone = clients[5];
            server.RemovePeer(gone.ClientOnServer);
            Assert.Null(server.FindPeer(gone.Device.PublicKey.Span));
            Assert.Equal(WireGuardError.NoRoute, server.Encapsulate(TestPackets.Ipv4("198.19.1.1", gone.Ip, 60), buf).Error);
            var late = gone.Device.Encapsulate(TestPackets.Ipv4(gone.Ip, "198.19.1.1", 60), buf);
            Assert.Equal(WireGuardError.UnknownIndex, server.Decapsulate(gone.End, buf.AsSpan(0, late.Length), buf2).Error);
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Device.Dispose();
            }
        }
    }
}

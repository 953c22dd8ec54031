using System.Buffers.Binary;
using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The data plane over fakes, driven batch by batch: exact packets both ways, drops by reason, no allocation per packet.</summary>
public sealed class PumpTests
{
    [Fact]
    public void PingAndReply_ArriveExact_AfterTheHandshakeTheFirstPacketStarted()
    {
        using var pair = new FakePair();
        var ping = Packets.Echo("198.19.0.1", "198.19.0.2");
        pair.TunA.Inject(ping);
        pair.Settle();
        Assert.Equal(1, pair.TunB.Written.Count);
        Assert.Equal(ping, pair.TunB.Written.PopArray());

        var reply = Packets.Echo("198.19.0.2", "198.19.0.1", type: 0);
        pair.TunB.Inject(reply);
        pair.Settle();
        Assert.Equal(reply, pair.TunA.Written.PopArray());
        Assert.Equal(0, pair.A.Drops.Total);
        Assert.Equal(0, pair.B.Drops.Total);
        var peerOfA = Assert.Single(pair.A.GetPeers());
        var peerOfB = Assert.Single(pair.B.GetPeers());
        Assert.NotNull(peerOfA.LatestHandshake);
        // Each side's sent bytes are the other side's received bytes (initiation 148 + response 92 + data).
        Assert.Equal(peerOfA.TransmitBytes, peerOfB.ReceiveBytes);
        Assert.Equal(peerOfB.TransmitBytes, peerOfA.ReceiveBytes);
    }

    [Fact]
    public void Batch_ToOnePeer_IsOneSendCall_InOrder()
    {
        using var pair = new FakePair();
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        pair.TunB.Written.PopArray();
        var sentBefore = pair.BindA.SentCount;
        var packets = Enumerable.Range(0, 10).Select(i => Packets.Echo("198.19.0.1", "198.19.0.2", payload: 10 + i, sequence: (ushort)i)).ToList();
        foreach (var p in packets)
        {
            pair.TunA.Inject(p);
        }
        Assert.True(pair.A.PumpTunOnce());
        Assert.Equal(10, pair.BindA.SentCount - sentBefore);
        pair.Settle();
        foreach (var p in packets)
        {
            Assert.Equal(p, pair.TunB.Written.PopArray());
        }
    }

    [Fact]
    public void Responder_WithoutEndpoint_LearnsItFromTheHandshake()
    {
        using var pair = new FakePair(bKnowsEndpointOfA: false);
        var fromB = Packets.Echo("198.19.0.2", "198.19.0.1");
        pair.TunB.Inject(fromB);
        pair.Settle();
        Assert.Equal(1, pair.B.Drops[DropReason.NoEndpoint]);
        Assert.Equal(0, pair.TunA.Written.Count);

        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        Assert.Equal(1, pair.TunB.Written.Count);
        Assert.Equal(FakePair.AddressA.ToString(), pair.B.GetPeers()[0].Endpoint!.ToString());
        pair.TunB.Inject(fromB);
        pair.Settle();
        Assert.Equal(fromB, pair.TunA.Written.PopArray());
    }

    [Fact]
    public void Drops_AreCountedByReason_AndNothingReachesTheTun()
    {
        using var pair = new FakePair();
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        pair.TunB.Written.PopArray();

        // no route: a destination no peer owns.
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.99"));
        pair.Settle();
        Assert.Equal(1, pair.A.Drops[DropReason.NoRoute]);

        // source not allowed: B sends with an inner source A does not allow for B.
        pair.TunB.Inject(Packets.Echo("198.19.0.77", "198.19.0.1"));
        pair.Settle();
        Assert.Equal(1, pair.A.Drops[DropReason.SourceNotAllowed]);
        Assert.Equal(1, pair.A.GetPeers()[0].Drops[DropReason.SourceNotAllowed]);
        Assert.Equal(0, pair.TunA.Written.Count);

        // replay: the same data datagram twice; the second is refused.
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1"));
        Assert.True(pair.B.PumpTunOnce());
        var captured = pair.BindA.Inbox.PopArray();
        pair.BindA.Inbox.Push(captured, FakePair.AddressB);
        pair.BindA.Inbox.Push(captured, FakePair.AddressB);
        Assert.True(pair.A.PumpNetOnce());
        Assert.Equal(1, pair.TunA.Written.Count);
        Assert.Equal(1, pair.A.Drops[DropReason.Replay]);

        // forgeries: garbage, an unknown index, a live index with a wrong tag; A stays silent.
        var sent = pair.BindA.SentCount;
        var third = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.66"), 4444));
        pair.BindA.Inbox.Push([1, 2, 3, 4, 5], third);
        var unknown = (byte[])captured.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(unknown.AsSpan(4), BinaryPrimitives.ReadUInt32LittleEndian(unknown.AsSpan(4)) ^ 0x5a5a5a5a);
        pair.BindA.Inbox.Push(unknown, third);
        var forged = (byte[])captured.Clone();
        forged[8] ^= 0x40; // a fresh counter
        forged[^1] ^= 1;   // and a broken tag
        pair.BindA.Inbox.Push(forged, third);
        Assert.True(pair.A.PumpNetOnce());
        Assert.Equal(1, pair.A.Drops[DropReason.Malformed]);
        Assert.Equal(1, pair.A.Drops[DropReason.NoPeer]);
        Assert.Equal(1, pair.A.Drops[DropReason.BadMacOrDecrypt]);
        Assert.Equal(sent, pair.BindA.SentCount);
        Assert.Equal(0, pair.TunA.Written.Count - 1);
        // A forged packet from a third address did not move the peer's endpoint.
        Assert.Equal(FakePair.AddressB.ToString(), pair.A.GetPeers()[0].Endpoint!.ToString());
    }

    [Fact]
    public void SteadyState_AllocatesNothingPerPacket()
    {
        using var pair = new FakePair();
        var ping = Packets.Echo("198.19.0.1", "198.19.0.2", payload: 1200);
        var reply = Packets.Echo("198.19.0.2", "198.19.0.1", payload: 1200, type: 0);
        var sink = new byte[2048];
        void RoundTrip()
        {
            pair.TunA.Inject(ping);
            pair.A.PumpTunOnce();
            pair.B.PumpNetOnce();
            pair.TunB.Written.Pop(sink, out _);
            pair.TunB.Inject(reply);
            pair.B.PumpTunOnce();
            pair.A.PumpNetOnce();
            pair.TunA.Written.Pop(sink, out _);
        }
        pair.TunA.Inject(ping);
        pair.Settle();
        pair.TunB.Written.Pop(sink, out _);
        for (var i = 0; i < 3000; i++)
        {
            RoundTrip();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            RoundTrip();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{allocated} bytes allocated for 4000 packets");
        Assert.Equal(0, pair.A.Drops.Total);
        Assert.Equal(0, pair.B.Drops.Total);
    }
}

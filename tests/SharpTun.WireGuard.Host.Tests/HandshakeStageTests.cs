using System.Net;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host.Tests.Integration;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Issue 20 over fakes: the handshake stage between the receive path and the handshake work. A stalled
/// worker (<see cref="HandshakeStage.Hold"/>) or a slow one (<see cref="HandshakeStage.BeforeProcess"/>)
/// stands for a flood the interface cannot keep up with.
/// </summary>
public sealed class HandshakeStageTests
{
    private static readonly NetEndpoint Attacker = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.66"), 4444));
    private static readonly NetEndpoint Attacker2 = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.67"), 4444));

    /// <summary>A pair with a live session (B → A data flows) and a clock that stands still unless advanced.</summary>
    private static (FakePair Pair, ManualTimeProvider Clock) LivePair()
    {
        var clock = new ManualTimeProvider();
        var pair = new FakePair(time: clock);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        Assert.Equal(1, pair.TunB.Written.Count);
        pair.TunB.Written.PopArray();
        return (pair, clock);
    }

    /// <summary>Pushes datagrams into A's socket and runs A's receive pump until they are all taken.</summary>
    private static void Feed(FakePair pair, IEnumerable<byte[]> datagrams, NetEndpoint from)
    {
        foreach (var d in datagrams)
        {
            if (pair.BindA.Inbox.Count == 200)
            {
                Assert.True(pair.A.PumpNetOnce());
            }
            pair.BindA.Inbox.Push(d, from);
        }
        while (pair.BindA.Inbox.Count > 0)
        {
            Assert.True(pair.A.PumpNetOnce());
        }
    }

    private static string PublicA(FakePair pair) => Convert.ToBase64String(WireGuardKeys.PublicKey(pair.KeyA));

    [Fact]
    public void FullQueue_DropsHandshakes_NeverData()
    {
        var (pair, _) = LivePair();
        using var _p = pair;
        var stage = pair.A.Handshakes;
        stage.Hold = true;
        var flood = Forge.Initiations(stage.Capacity + 37, PublicA(pair));
        Feed(pair, flood, Attacker);
        Assert.Equal(stage.Capacity, stage.Count);
        Assert.Equal(37, pair.A.Drops[DropReason.HandshakeQueueFull]);
        Assert.True(pair.A.UnderLoad);

        // Data from B still goes through, at once, with the queue full.
        for (var i = 0; i < 20; i++)
        {
            pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", sequence: (ushort)i));
        }
        pair.Settle();
        Assert.Equal(20, pair.TunA.Written.Count);
        Assert.Equal(37, pair.A.Drops[DropReason.HandshakeQueueFull]);
        Assert.Equal(0, pair.A.Drops[DropReason.BadMacOrDecrypt]);
        stage.Clear();
    }

    [Fact]
    public void BadMac1_DroppedOnArrival_NeverLoad()
    {
        var (pair, _) = LivePair();
        using var _p = pair;
        pair.A.Handshakes.Hold = true;
        var rng = new Random(20);
        var junk = new List<byte[]>();
        for (var i = 0; i < 2000; i++)
        {
            var m = new byte[i % 2 == 0 ? WireGuardConstants.InitiationSize : WireGuardConstants.ResponseSize];
            rng.NextBytes(m);
            m[0] = (byte)(i % 2 == 0 ? 1 : 2);
            m[1] = m[2] = m[3] = 0;
            junk.Add(m);
        }
        // Initiations with a valid mac1 for another interface's key fail too.
        junk.AddRange(Forge.Initiations(100, Convert.ToBase64String(WireGuardKeys.PublicKey(pair.KeyB))));
        Feed(pair, junk, Attacker);
        Assert.Equal(2100, pair.A.Drops[DropReason.BadMac1]);
        Assert.Equal(0, pair.A.Handshakes.Count);
        Assert.False(pair.A.UnderLoad);
        Assert.Equal(0, pair.A.CookieRepliesSent);
    }

    [Fact]
    public void Cookies_OnlyWhileTheQueueIsLoaded_RateLimitedPerSource()
    {
        var (pair, clock) = LivePair();
        using var _p = pair;
        var attacker = new FakeBind(pair.Network, Attacker);
        var attacker2 = new FakeBind(pair.Network, Attacker2);
        var stage = pair.A.Handshakes;
        var flood = Forge.Initiations(400, PublicA(pair));

        // Not loaded: 1/8 of the queue (128) waiting is not "more than 1/8"; no cookie, each one fails as an unknown peer.
        stage.Hold = true;
        Feed(pair, flood.Take(stage.Capacity / 8), Attacker);
        Assert.False(pair.A.UnderLoad);
        stage.Hold = false;
        Assert.Equal(stage.Capacity / 8, stage.Drain());
        Assert.Equal(0, pair.A.CookieRepliesSent);
        Assert.Equal(0, attacker.Inbox.Count);
        Assert.Equal(stage.Capacity / 8, pair.A.Drops[DropReason.NoPeer]);

        // Loaded: 200 from one source and 100 from another waiting; the clock stands still, so each source
        // gets its token bucket's burst of cookie replies and nothing more.
        stage.Hold = true;
        Feed(pair, flood.Skip(100).Take(200), Attacker);
        Feed(pair, flood.Skip(300).Take(100), Attacker2);
        Assert.True(pair.A.UnderLoad);
        stage.Hold = false;
        Assert.Equal(300, stage.Drain());
        Assert.Equal(5, attacker.Inbox.Count);
        Assert.Equal(5, attacker2.Inbox.Count);
        Assert.Equal(10, pair.A.CookieRepliesSent);
        Assert.Equal(290, pair.A.Drops[DropReason.RateLimited]);
        var reply = attacker.Inbox.PopArray();
        Assert.Equal(WireGuardConstants.CookieReplySize, reply.Length);
        Assert.Equal(3, reply[0]);

        // A second later the queue is empty and the load is over: no cookies demanded.
        clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.False(pair.A.UnderLoad);
        stage.Hold = true;
        Feed(pair, flood.Take(10), Attacker);
        stage.Hold = false;
        stage.Drain();
        Assert.Equal(10, pair.A.CookieRepliesSent);
    }

    [Fact]
    public void SlowStage_Threaded_DataFlows_HandshakesDroppedNotData()
    {
        using var pair = new FakePair();
        var ping = Packets.Echo("198.19.0.1", "198.19.0.2");
        pair.TunA.Inject(ping);
        pair.Settle();
        pair.TunB.Written.PopArray();
        var stage = pair.A.Handshakes;
        // The worker is slowed to 2 ms per handshake (≤ 500/s) and started; the pump is driven here.
        stage.BeforeProcess = () => Thread.Sleep(2);
        var worker = new Thread(stage.Run) { IsBackground = true };
        worker.Start();
        try
        {
            var flood = Forge.Initiations(300, PublicA(pair));
            var rounds = 0;
            for (var r = 0; r < 8; r++)
            {
                Feed(pair, flood, Attacker);
                pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", sequence: (ushort)r));
                Assert.True(pair.B.PumpTunOnce());
                Feed(pair, [], Attacker);
                rounds++;
            }
            Assert.Equal(rounds, pair.TunA.Written.Count);
            Assert.True(pair.A.Drops[DropReason.HandshakeQueueFull] > 0, "2,400 handshakes in a few ms against a 500/s worker and a 1024-slot queue: some must be dropped");
            Assert.True(pair.A.UnderLoad);
        }
        finally
        {
            stage.Shutdown();
            worker.Join();
        }
    }
}

using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>Per-peer health over fakes with a fake clock: never → up → stale, handshaking since, handshake and packet counters, roams.</summary>
public sealed class HealthTests
{
    private static PeerStatus Peer(WireGuardInterface i) => Assert.Single(i.GetPeers());

    private static void Drain(FakeBind bind)
    {
        while (bind.Inbox.Count > 0)
        {
            bind.Inbox.PopArray();
        }
    }

    [Fact]
    public void State_Never_Up_Stale_ByTheClock_WithExactCounters()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        Assert.Equal(PeerHealthState.Never, Peer(pair.A).State);
        Assert.Equal(PeerHealthState.Never, Peer(pair.B).State);

        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", type: 0));
        pair.Settle();
        var a = Peer(pair.A);
        var b = Peer(pair.B);
        Assert.Equal(PeerHealthState.Up, a.State);
        Assert.Equal(PeerHealthState.Up, b.State);
        Assert.Equal((1L, 1L, 1L, 0L), (a.HandshakesSent, a.HandshakesReceived, a.HandshakeResponsesReceived, a.HandshakesFailed));
        Assert.Equal((0L, 1L, 0L), (b.HandshakesSent, b.HandshakesReceived, b.HandshakeResponsesReceived));
        Assert.Equal((1L, 1L), (a.TransmitPackets, a.ReceivePackets));
        Assert.Equal((1L, 1L), (b.TransmitPackets, b.ReceivePackets));
        Assert.Equal("udp", a.Transport);
        Assert.Null(a.LastError);

        clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal(PeerHealthState.Up, Peer(pair.A).State);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(PeerHealthState.Stale, Peer(pair.A).State);
        Assert.Equal(PeerHealthState.Stale, Peer(pair.B).State);
    }

    [Fact]
    public void PeerGone_DataUnanswered_StaleOnceTheRetryIsUnanswered5s_ThenGivesUp_StaysStale()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        Assert.Equal(PeerHealthState.Up, Peer(pair.A).State);

        // B is gone: A's data goes unanswered.
        clock.Advance(TimeSpan.FromSeconds(1));
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 2));
        Assert.True(pair.A.PumpTunOnce());
        Drain(pair.BindB);
        var staleAt = default(DateTimeOffset?);
        for (var s = 0; s < 24; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.A.Tick();
            Drain(pair.BindB);
            var st = Peer(pair.A);
            if (st.State == PeerHealthState.Stale)
            {
                staleAt = clock.GetUtcNow();
                break;
            }
            // Before the 15 s answer timeout and the 5 s of a routine rekey, the peer still counts as up.
            Assert.Equal(PeerHealthState.Up, st.State);
        }
        Assert.NotNull(staleAt);
        var timers = pair.A.Configure(d => d.GetTimers(d.Peers[0]));
        Assert.NotNull(timers.HandshakeAttemptStarted);
        Assert.InRange((staleAt!.Value - timers.HandshakeAttemptStarted!.Value).TotalSeconds, 5, 6.01);

        // The attempt gives up after 90 s: stale (the handshake before it is not trusted any more).
        for (var s = 0; s < 100 && Peer(pair.A).HandshakesFailed == 0; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.A.Tick();
            Drain(pair.BindB);
        }
        var gaveUp = Peer(pair.A);
        Assert.Equal(1, gaveUp.HandshakesFailed);
        Assert.Equal(PeerHealthState.Stale, gaveUp.State);
        Assert.Equal(0, pair.A.Drops.Total); // nothing was queued: the session still carried the data
    }

    [Fact]
    public void NeverAnswered_HandshakingSinceTheFirstInitiation_GivesUp_QueuedPacketCountedExpiredOnce()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        var first = clock.GetUtcNow();
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        Assert.True(pair.A.PumpTunOnce());
        Drain(pair.BindB);
        var st = Peer(pair.A);
        Assert.Equal((PeerHealthState.Handshaking, (DateTimeOffset?)first), (st.State, st.HandshakingSince));
        for (var s = 0; s < 100 && Peer(pair.A).HandshakesFailed == 0; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            pair.A.Tick();
            Drain(pair.BindB);
            Assert.True(Peer(pair.A).HandshakesFailed > 0 || Peer(pair.A).HandshakingSince == first);
        }
        var gaveUp = Peer(pair.A);
        Assert.Equal(1, gaveUp.HandshakesFailed);
        Assert.Equal(PeerHealthState.Never, gaveUp.State);
        Assert.Equal(1, pair.A.Drops[DropReason.Expired]);
        Assert.Equal(1, pair.A.Drops.Total);
        Assert.Equal(1, gaveUp.Drops[DropReason.Expired]);
        Assert.Equal(DropReason.Expired, gaveUp.LastError);
        Assert.Equal(clock.GetUtcNow(), gaveUp.LastErrorAt);
        Assert.InRange((clock.GetUtcNow() - first).TotalSeconds, 90, 96);
        // 90 s of retries every 5 s + jitter, seen by 1-s timer ticks (so every 6 s): 15 to 19 initiations, each counted.
        Assert.InRange(gaveUp.HandshakesSent, 15, 19);
    }

    [Fact]
    public void Roam_IsRecordedOnce_WithCause_AndTheLearnedEndpointFirst()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(bKnowsEndpointOfA: false, time: clock);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        var learned = Assert.Single(Peer(pair.B).EndpointHistory);
        Assert.Equal(("learned", FakePair.AddressA), (learned.Cause, learned.To));
        Assert.False(learned.From.IsSet);

        // A moves to a new address: its next authenticated packet roams B's endpoint.
        var moved = SharpTun.IO.NetEndpoint.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("198.18.0.9"), 40000));
        clock.Advance(TimeSpan.FromSeconds(3));
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 2));
        Assert.True(pair.A.PumpTunOnce());
        var datagram = pair.BindB.Inbox.PopArray();
        pair.BindB.Inbox.Push(datagram, moved);
        Assert.True(pair.B.PumpNetOnce());
        var b = Peer(pair.B);
        Assert.Equal(2, b.EndpointChanges);
        var roam = b.EndpointHistory[^1];
        Assert.Equal(("roam", FakePair.AddressA, moved, clock.GetUtcNow()), (roam.Cause, roam.From, roam.To, roam.At));

        // The same address again is no change; a configured endpoint is recorded as "set".
        pair.BindB.Inbox.Push(datagram, moved);
        pair.B.PumpNetOnce();
        Assert.Equal(2, Peer(pair.B).EndpointChanges);
        pair.B.SetPeer(pair.KeyA is { } k ? WireGuardKeys.PublicKey(k) : [], endpoint: FakePair.AddressA);
        Assert.Equal("set", Peer(pair.B).EndpointHistory[^1].Cause);
    }

    [Theory]
    [InlineData(null, 0, 0, null, null, PeerHealthState.Never)]
    [InlineData(null, 0, 0, 3, null, PeerHealthState.Handshaking)]
    [InlineData(10, 0, 0, null, null, PeerHealthState.Up)]
    [InlineData(10, 0, 0, 2, null, PeerHealthState.Up)]       // a routine rekey under 5 s
    [InlineData(10, 0, 0, 5, null, PeerHealthState.Stale)]    // a handshake unanswered for 5 s with a session
    [InlineData(200, 0, 0, 3, null, PeerHealthState.Handshaking)] // no fresh session: handshaking since
    [InlineData(180, 0, 0, null, null, PeerHealthState.Stale)]
    [InlineData(179, 0, 0, null, null, PeerHealthState.Up)]
    [InlineData(30, 15, 0, null, null, PeerHealthState.Stale)] // data unanswered 15 s
    [InlineData(30, 14, 0, null, null, PeerHealthState.Up)]
    [InlineData(100, 0, 5, null, null, PeerHealthState.Stale)] // an attempt gave up after the handshake
    public void Classify_Table(int? handshakeAgo, int unansweredFor, int failedAgo, int? attemptFor, object? unused, PeerHealthState expected)
    {
        _ = unused;
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        DateTimeOffset? Ago(int? s) => s is { } v ? now - TimeSpan.FromSeconds(v) : null;
        var timers = new PeerTimers(now, null, null, Ago(attemptFor), unansweredFor > 0 ? Ago(unansweredFor) : null, failedAgo > 0 ? Ago(failedAgo) : null);
        var (state, since) = PeerHealth.Classify(Ago(handshakeAgo), timers);
        Assert.Equal(expected, state);
        Assert.Equal(state == PeerHealthState.Handshaking ? Ago(attemptFor) : null, since);
    }
}

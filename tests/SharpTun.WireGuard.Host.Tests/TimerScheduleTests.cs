using System.Net;
using SharpTun.Testing.Fakes;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The deadline-driven timers and the change queue over fakes with a fake clock: idle peers cost no
/// wake-ups (counted), an active peer wakes at its deadlines and what is due fires, and the watcher's
/// source reports only the peers that changed.
/// </summary>
public sealed class TimerScheduleTests
{
    private const int IdlePeers = 10_000;
    private static readonly TimeSpan s_round = TimeSpan.FromMilliseconds(100);

    private static void AddIdlePeers(WireGuardInterface wg, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var key = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
            wg.SetPeer(key, allowedIps: [new IPNetwork(new IPAddress([198, 18, (byte)(i >> 8), (byte)i]), 32)]);
        }
    }

    /// <summary>Advances the clock round by round for <paramref name="span"/>, a timer round each; the datagrams B received.</summary>
    private static List<byte[]> Run(FakePair pair, ManualTimeProvider clock, TimeSpan span)
    {
        var received = new List<byte[]>();
        for (var t = TimeSpan.Zero; t < span; t += s_round)
        {
            clock.Advance(s_round);
            pair.A.Tick();
            while (pair.BindB.Inbox.Count > 0)
            {
                received.Add(pair.BindB.Inbox.PopArray());
            }
        }
        return received;
    }

    [Fact]
    public void WithTransportCareOn_AsWgUp_IdlePeersWithoutEndpoint_CostNoWakeups_ThePeersWithOneEveryRound()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        pair.A.ConfigureTransports(new FallbackSettings(), NetworkSetup.DefaultMtu);
        AddIdlePeers(pair.A, IdlePeers);
        // As wg up records each configured peer: only the one with an endpoint gets a transport record.
        foreach (var peer in pair.A.Configure(d => d.Peers.ToList()))
        {
            pair.A.SetPeerTransport(peer.PublicKey.ToArray(), peer.Endpoint.IsSet ? peer.Endpoint.ToString() : null, null, null);
        }
        pair.A.Tick();
        var before = pair.A.TimerServices;

        Run(pair, clock, TimeSpan.FromSeconds(10));
        // 100 rounds: the peer with an endpoint each round (its MTU checks and re-resolution run on the clock), none
        // of the 10,000 without (1,000,100 looks when every peer was looked at every round).
        Assert.Equal(100, pair.A.TimerServices - before);
    }

    [Fact]
    public void IdlePeers_CostNoWakeups_TheActivePeerWakesOnlyForItsPassiveKeepalive()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        AddIdlePeers(pair.A, IdlePeers);
        pair.A.Tick(); // the configuration touched the real peer once
        var before = pair.A.TimerServices;

        Assert.Empty(Run(pair, clock, TimeSpan.FromSeconds(10)));
        Assert.Equal(before, pair.A.TimerServices); // 100 rounds × 10,001 peers, not one look
        Assert.Equal(0, pair.A.TimerQueueLength);

        // One exchange with the real peer: A has data received that it has not answered.
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", type: 0));
        pair.Settle();
        while (pair.BindB.Inbox.Count > 0)
        {
            pair.BindB.Inbox.PopArray();
        }
        before = pair.A.TimerServices;
        var sent = Run(pair, clock, TimeSpan.FromSeconds(30));

        // KEEPALIVE_TIMEOUT (10 s) after the received data: exactly one keepalive (an empty data message, 32 bytes).
        var keepalive = Assert.Single(sent);
        Assert.Equal(32, keepalive.Length);
        Assert.Equal(4, keepalive[0]);
        var wakeups = pair.A.TimerServices - before;
        Assert.InRange(wakeups, 1, 4); // the touch after the exchange and the keepalive deadline; not 300 rounds
    }

    [Fact]
    public void PersistentKeepalive_SetOnALivePeer_FiresAtItsPeriod_WithFewWakeups()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        AddIdlePeers(pair.A, 1_000);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        while (pair.BindB.Inbox.Count > 0)
        {
            pair.BindB.Inbox.PopArray();
        }
        pair.A.SetPeer(WireGuardKeys.PublicKey(pair.KeyB), persistentKeepalive: TimeSpan.FromSeconds(4));
        pair.A.Tick();
        var before = pair.A.TimerServices;
        var sent = Run(pair, clock, TimeSpan.FromSeconds(9.05));

        // A sent its echo at t=0 and nothing since: keepalives at 4 s and 8 s (every 4 s of silence).
        Assert.Equal(2, sent.Count);
        Assert.All(sent, d => Assert.Equal(32, d.Length));
        Assert.InRange(pair.A.TimerServices - before, 2, 6);
    }

    [Fact]
    public void TakeChanges_ReportsOnlyPeersThatChanged_AndRemovedOnes()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        AddIdlePeers(pair.A, IdlePeers);
        var (added, _) = pair.A.TakeChanges();
        Assert.Equal(IdlePeers + 1, added.Count); // every new peer once
        Run(pair, clock, TimeSpan.FromSeconds(5));
        Assert.Empty(pair.A.TakeChanges().Changed);

        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        var changed = Assert.Single(pair.A.TakeChanges().Changed);
        Assert.Equal(WireGuardKeys.PublicKey(pair.KeyB), changed.PublicKey);
        Assert.Equal(1, changed.HandshakesSent);

        var victim = pair.A.GetPeers()[^1].PublicKey;
        Assert.True(pair.A.RemovePeer(victim));
        var (none, removed) = pair.A.TakeChanges();
        Assert.Empty(none);
        Assert.Equal(victim, Assert.Single(removed));
    }
}

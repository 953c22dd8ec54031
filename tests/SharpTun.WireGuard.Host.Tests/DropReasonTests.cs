using System.Net;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>Every <see cref="DropReason"/> produced deliberately over fakes and counted exactly once, on the interface and (when it has one) on the peer.</summary>
public sealed class DropReasonTests
{
    private readonly HashSet<DropReason> _seen = [];

    /// <summary>Runs <paramref name="act"/> and checks the interface's drops grew by exactly one, of <paramref name="reason"/>.</summary>
    private void ExactlyOnce(WireGuardInterface i, DropReason reason, bool onPeer, Action act)
    {
        var before = DropCounters.Reasons.ToDictionary(r => r, r => i.Drops[r]);
        var peerBefore = Assert.Single(i.GetPeers()).Drops.GetValueOrDefault(reason);
        act();
        foreach (var r in DropCounters.Reasons)
        {
            Assert.True(i.Drops[r] - before[r] == (r == reason ? 1 : 0), $"{DropCounters.Name(r)}: {before[r]} -> {i.Drops[r]} while producing {DropCounters.Name(reason)}");
        }
        var peer = Assert.Single(i.GetPeers());
        Assert.Equal(peerBefore + (onPeer ? 1 : 0), peer.Drops.GetValueOrDefault(reason));
        if (onPeer)
        {
            Assert.Equal(reason, peer.LastError);
        }
        _seen.Add(reason);
    }

    [Fact]
    public void EveryReason_ProducedDeliberately_CountedExactlyOnce()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        // A handshake B answers, whose initiation is kept for a replay.
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        Assert.True(pair.A.PumpTunOnce());
        var initiation = pair.BindB.Inbox.PopArray();
        pair.BindB.Inbox.Push(initiation, FakePair.AddressA);
        pair.Settle();
        pair.TunB.Written.PopArray();

        ExactlyOnce(pair.A, DropReason.NoRoute, false, () =>
        {
            pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.99"));
            pair.Settle();
        });
        ExactlyOnce(pair.A, DropReason.SourceNotAllowed, true, () =>
        {
            pair.TunB.Inject(Packets.Echo("198.19.0.77", "198.19.0.1"));
            pair.Settle();
        });
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1"));
        Assert.True(pair.B.PumpTunOnce());
        var data = pair.BindA.Inbox.PopArray();
        pair.BindA.Inbox.Push(data, FakePair.AddressB);
        pair.A.PumpNetOnce();
        pair.TunA.Written.PopArray();
        ExactlyOnce(pair.A, DropReason.Replay, true, () =>
        {
            pair.BindA.Inbox.Push(data, FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        ExactlyOnce(pair.A, DropReason.BadMacOrDecrypt, true, () =>
        {
            var forged = (byte[])data.Clone();
            forged[8] ^= 0x40;
            forged[^1] ^= 1;
            pair.BindA.Inbox.Push(forged, FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        ExactlyOnce(pair.A, DropReason.NoPeer, false, () =>
        {
            var unknown = (byte[])data.Clone();
            unknown[4] ^= 0x5a;
            pair.BindA.Inbox.Push(unknown, FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        ExactlyOnce(pair.A, DropReason.Malformed, false, () =>
        {
            pair.BindA.Inbox.Push([1, 2, 3, 4, 5], FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        ExactlyOnce(pair.B, DropReason.Replay, true, () =>
        {
            pair.BindB.Inbox.Push(initiation, FakePair.AddressA); // a replayed initiation: its timestamp is stale
            pair.B.PumpNetOnce();
        });
        ExactlyOnce(pair.B, DropReason.RateLimited, true, () =>
        {
            // A fresh initiation (newer timestamp) 1 ms after the last one B consumed: faster than one per 20 ms.
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var fresh = new byte[WireGuardConstants.InitiationSize];
            var r = pair.A.Configure(d => d.InitiateHandshake(d.Peers[0], fresh, force: true));
            Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
            pair.BindB.Inbox.Push(fresh.AsSpan(0, r.Length).ToArray(), FakePair.AddressA);
            pair.B.PumpNetOnce();
        });
        ExactlyOnce(pair.A, DropReason.BadMac1, false, () =>
        {
            var junk = new byte[WireGuardConstants.InitiationSize];
            new Random(20).NextBytes(junk);
            junk[0] = 1;
            junk[1] = junk[2] = junk[3] = 0;
            pair.BindA.Inbox.Push(junk, FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        var stage = pair.A.Handshakes;
        stage.Hold = true;
        var flood = Integration.Forge.Initiations(stage.Capacity + 1, Convert.ToBase64String(WireGuardKeys.PublicKey(pair.KeyA)));
        foreach (var chunk in flood.Chunk(128).SkipLast(1))
        {
            foreach (var m in chunk)
            {
                pair.BindA.Inbox.Push(m, FakePair.AddressB);
            }
            while (pair.BindA.Inbox.Count > 0)
            {
                pair.A.PumpNetOnce();
            }
        }
        Assert.Equal(stage.Capacity, stage.Count);
        ExactlyOnce(pair.A, DropReason.HandshakeQueueFull, false, () =>
        {
            pair.BindA.Inbox.Push(flood[^1], FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        stage.Clear();
        stage.Hold = false;
        ExactlyOnce(pair.A, DropReason.TooBig, false, () =>
        {
            pair.BindA.TruncateNext = true;
            pair.BindA.Inbox.Push(data, FakePair.AddressB);
            pair.A.PumpNetOnce();
        });
        ExactlyOnce(pair.A, DropReason.TunWriteFailed, false, () =>
        {
            pair.TunA.RefuseWrites = true;
            pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", sequence: 9));
            pair.Settle();
            pair.TunA.RefuseWrites = false;
        });
        ExactlyOnce(pair.A, DropReason.SendFailed, true, () =>
        {
            pair.BindA.SendErrno = 105; // ENOBUFS
            pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 10));
            pair.A.PumpTunOnce();
            pair.BindA.SendErrno = 0;
        });

        // A third interface C peered with A but knowing no endpoint, a full queue, a given-up handshake.
        var tunC = new FakeTun("wgc");
        var keyC = WireGuardKeys.GeneratePrivateKey();
        var bindC = new FakeBind(pair.Network, NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.3"), 51820)));
        using var c = new WireGuardInterface(tunC, keyC, (_, _) => bindC, 51820, time: clock);
        c.SetPeer(WireGuardKeys.PublicKey(pair.KeyA), allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);
        ExactlyOnce(c, DropReason.NoEndpoint, true, () =>
        {
            tunC.Inject(Packets.Echo("198.19.0.3", "198.19.0.1"));
            c.PumpTunOnce();
        });
        c.SetPeer(WireGuardKeys.PublicKey(pair.KeyA), endpoint: NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.200"), 9))); // nobody there
        c.Configure(d => d.MaxQueuedPerPeer = 2);
        tunC.Inject(Packets.Echo("198.19.0.3", "198.19.0.1", sequence: 1));
        tunC.Inject(Packets.Echo("198.19.0.3", "198.19.0.1", sequence: 2));
        c.PumpTunOnce();
        ExactlyOnce(c, DropReason.QueueFull, true, () =>
        {
            tunC.Inject(Packets.Echo("198.19.0.3", "198.19.0.1", sequence: 3));
            c.PumpTunOnce();
        });
        var queued = c.Configure(d => d.Peers[0].QueuedPackets);
        Assert.Equal(2, queued);
        var before = c.Drops[DropReason.Expired];
        for (var s = 0; s < 100 && c.GetPeers()[0].HandshakesFailed == 0; s++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            c.Tick();
        }
        Assert.Equal(before + queued, c.Drops[DropReason.Expired]);
        _seen.Add(DropReason.Expired);

        Assert.Equal(DropCounters.Reasons.Order(), _seen.Order());
    }
}

using System.Diagnostics;
using System.Net;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The peer directory at scale (insertion order kept, add/remove/list linear in total), the allowed-IPs
/// per-value index against a model on seeded random changes, and the core's timer schedule: what is armed,
/// when it is due, and which peers the queues hand out.
/// </summary>
public sealed class PeerDirectoryTests(ITestOutputHelper output)
{
    private static byte[] Key(Random rng)
    {
        var key = new byte[32];
        rng.NextBytes(key);
        return key;
    }

    /// <summary>2001:db8:NET::i, one /128 per peer and net (198.18.0.0/15 has too few addresses for 2 × 100,000).</summary>
    private static IPAddress V6(int net, int i) => IPAddress.Parse($"2001:db8:{net:x}::{i >> 16:x}:{i & 0xffff:x}");

    [Fact]
    public void HundredThousandPeers_AddListRemove_InOrder_InLinearTime()
    {
        using var device = new WireGuardDevice(WireGuardKeys.GeneratePrivateKey());
        var rng = new Random(20);
        const int n = 100_000;
        var clock = Stopwatch.StartNew();
        var peers = new WireGuardPeer[n];
        for (var i = 0; i < n; i++)
        {
            peers[i] = device.AddPeer(Key(rng));
            device.AllowedIps.Insert(V6(1, i), 128, peers[i]);
            device.AllowedIps.Insert(V6(2, i), 128, peers[i]);
        }
        var added = clock.Elapsed;
        Assert.Equal(n, device.PeerCount);
        Assert.Equal(peers, device.Peers);
        Assert.Equal(2 * n, device.AllowedIps.Count);

        clock.Restart();
        for (var i = 0; i < n; i += 2)
        {
            device.RemovePeer(peers[i]);
        }
        var removed = clock.Elapsed;
        var left = peers.Where((_, i) => i % 2 == 1).ToArray();
        Assert.Equal(left, device.Peers); // order kept
        Assert.Equal(n, device.AllowedIps.Count);
        Assert.Null(device.AllowedIps.Lookup(V6(1, 0)));
        Assert.Null(device.AllowedIps.Lookup(V6(2, 99_998)));
        Assert.Same(peers[1], device.AllowedIps.Lookup(V6(2, 1)));
        Assert.Same(peers[99_999], device.AllowedIps.Lookup(V6(1, 99_999)));
        Assert.Equal([(V6(1, 70_001), 128), (V6(2, 70_001), 128)], device.AllowedIps.PrefixesOf(peers[70_001]));
        output.WriteLine($"{n} peers with 2 prefixes each: added in {added.TotalMilliseconds:F0} ms, half removed in {removed.TotalMilliseconds:F0} ms");
        // Quadratic copies or trie walks per peer take minutes here; linear takes well under a second. Generous for CI.
        Assert.True(added < TimeSpan.FromSeconds(20) && removed < TimeSpan.FromSeconds(20), $"added {added}, removed {removed}");
    }

    [Fact]
    public void PerValueIndex_MatchesAModel_OnSeededInsertsReplacementsAndRemovals()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var table = new AllowedIps<string>();
        var owners = Enumerable.Range(0, 20).Select(i => $"peer{i}").ToArray();
        var model = new Dictionary<(string Address, int Bits), string>();
        for (var step = 0; step < 20_000; step++)
        {
            if (rng.Next(50) == 0)
            {
                var victim = owners[rng.Next(owners.Length)];
                table.RemoveAll(victim);
                foreach (var k in model.Where(kv => kv.Value == victim).Select(kv => kv.Key).ToList())
                {
                    model.Remove(k);
                }
                continue;
            }
            var v6 = rng.Next(2) == 0;
            var bytes = new byte[v6 ? 16 : 4];
            rng.NextBytes(bytes);
            bytes[0] = v6 ? (byte)0x20 : (byte)198; // a small space: prefixes nest, collide and get replaced
            bytes[1] = v6 ? (byte)0x01 : (byte)(18 + rng.Next(2));
            var bits = v6 ? rng.Next(16, 129) : rng.Next(8, 33);
            var network = new IPNetwork(Masked(bytes, bits), bits);
            var owner = owners[rng.Next(owners.Length)];
            table.Insert(network.BaseAddress, bits, owner);
            model[(network.BaseAddress.ToString(), bits)] = owner;
        }
        Assert.Equal(model.Count, table.Count);
        foreach (var owner in owners)
        {
            var expected = model.Where(kv => kv.Value == owner).Select(kv => kv.Key).OrderBy(k => k).ToList();
            var actual = table.PrefixesOf(owner).Select(p => (p.Address.ToString(), p.PrefixLength)).OrderBy(k => k).ToList();
            Assert.True(expected.SequenceEqual(actual), $"seed {seed}: prefixes of {owner}");
        }
        // Every model prefix still routes to its owner (a longer one may own the probe; none is longer at the base with all bits).
        foreach (var ((address, bits), owner) in model.Where(kv => kv.Key.Bits is 32 or 128))
        {
            Assert.True(ReferenceEquals(owner, table.Lookup(IPAddress.Parse(address))), $"seed {seed}: lookup {address}/{bits}");
        }
    }

    private static IPAddress Masked(byte[] bytes, int bits)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = 0; i < copy.Length * 8; i++)
        {
            if (i >= bits)
            {
                copy[i / 8] &= (byte)~(0x80 >> (i % 8));
            }
        }
        return new IPAddress(copy);
    }

    [Fact]
    public void Schedule_IdlePeersAreNotArmed_ActivityQueuesOnce_DeadlinesFollowTheTimers()
    {
        using var pair = new PeerPair();
        var rng = new Random(7);
        var idle = Enumerable.Range(0, 1000).Select(_ => pair.A.AddPeer(Key(rng))).ToArray();
        while (pair.A.TryTakeTimerWork(out _))
        {
        }
        Assert.All(idle, p => Assert.Null(pair.A.TimerDueIn(p)));
        Assert.Null(pair.A.TimerDueIn(pair.PeerBOnA));

        // A persistent keepalive arms the peer (due now: nothing was ever sent) and queues it once.
        idle[3].PersistentKeepalive = TimeSpan.FromSeconds(25);
        idle[3].PersistentKeepalive = TimeSpan.FromSeconds(25);
        Assert.True(pair.A.TryTakeTimerWork(out var taken));
        Assert.Same(idle[3], taken);
        Assert.False(pair.A.TryTakeTimerWork(out _));
        Assert.Equal(TimeSpan.Zero, pair.A.TimerDueIn(idle[3]));

        // After a handshake and data both ways: A owes B a keepalive 10 s after B's data.
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 100);
        var sealedB = pair.B.Encapsulate(pair.PeerAOnB, packet, pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, sealedB.Action);
        var opened = PeerPair.Deliver(pair.A, PeerPair.EndB, pair.Buffer2.AsSpan(0, sealedB.Length), pair.Buffer);
        Assert.Equal(WireGuardAction.WriteToTunnel, opened.Action);
        var touched = new List<WireGuardPeer>();
        while (pair.A.TryTakeTimerWork(out var p))
        {
            touched.Add(p);
        }
        Assert.Equal([pair.PeerBOnA], touched);
        Assert.Equal(WireGuardConstants.KeepaliveTimeout, pair.A.TimerDueIn(pair.PeerBOnA));
        pair.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(WireGuardConstants.KeepaliveTimeout - TimeSpan.FromSeconds(4), pair.A.TimerDueIn(pair.PeerBOnA));

        // Due: the timers send the keepalive, and the next deadline is the session's expiry.
        pair.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        var next = pair.A.TimerDueIn(pair.PeerBOnA);
        Assert.NotNull(next);
        Assert.InRange(next!.Value, TimeSpan.FromSeconds(100), WireGuardConstants.RejectAfterTime);
        Assert.False(pair.A.TryTakeTimerWork(out _)); // the timer's own call is no new work

        pair.A.RemovePeer(pair.PeerBOnA);
        Assert.Null(pair.A.TimerDueIn(pair.PeerBOnA));
    }
}

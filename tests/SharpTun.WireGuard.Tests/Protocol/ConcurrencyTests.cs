using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The thread-safety contract of <see cref="WireGuardDevice"/> under real concurrency (seeded, bounded
/// in time): parallel encryption reserves every counter exactly once, parallel decryption delivers
/// every packet exactly once and intact, the replay window holds when two threads race on the same
/// datagram, and traffic keeps flowing without loss while rekeys, peer changes and timers run on
/// other threads.
/// </summary>
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Threads = 4;
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(120);

    [Fact]
    public void ParallelEncrypt_ParallelDecrypt_EachPacketOnce_ReplayRaceAcceptsOne()
    {
        var seed = TestSeed.Get(output);
        using var pair = new PeerPair(seed);
        pair.Handshake();
        const int perThread = 2000;
        var sent = new ConcurrentBag<byte[]>();
        RunThreads(Threads, t =>
        {
            var wire = new byte[2048];
            for (var i = 0; i < perThread; i++)
            {
                var packet = Packet("198.19.0.1", "198.19.0.2", t, i);
                var r = pair.A.Encapsulate(packet, wire);
                Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
                sent.Add(wire.AsSpan(0, r.Length).ToArray());
            }
        });
        var datagrams = sent.OrderBy(Counter).ToArray();
        // The confirmation keepalive took counter 0: the data took 1..N, each exactly once.
        Assert.Equal(Enumerable.Range(1, Threads * perThread).Select(i => (ulong)i), datagrams.Select(Counter));

        // Deliver in windows of 1000 counters, shuffled inside each window, every datagram twice, by
        // two different threads at about the same time: exactly one copy may pass.
        var rng = new Random(seed);
        var delivered = new ConcurrentDictionary<long, int>();
        var replays = 0;
        foreach (var window in datagrams.Chunk(1000))
        {
            var order = window.Concat(window).OrderBy(_ => rng.Next()).ToArray();
            var next = -1;
            RunThreads(Threads, _ =>
            {
                var inner = new byte[2048];
                int k;
                while ((k = Interlocked.Increment(ref next)) < order.Length)
                {
                    var r = pair.B.Decapsulate(PeerPair.EndA, order[k], inner);
                    if (r.Action == WireGuardAction.WriteToTunnel)
                    {
                        var (t, i) = CheckPacket(inner.AsSpan(0, r.Length), "198.19.0.1", "198.19.0.2");
                        delivered.AddOrUpdate(((long)t << 32) | (uint)i, 1, (_, n) => n + 1);
                    }
                    else
                    {
                        Assert.Equal(WireGuardError.Replay, r.Error);
                        Interlocked.Increment(ref replays);
                    }
                }
            });
        }
        Assert.Equal(Threads * perThread, delivered.Count);
        Assert.All(delivered.Values, n => Assert.Equal(1, n));
        Assert.Equal(Threads * perThread, replays);
        Assert.Equal(Threads * perThread, pair.PeerAOnB.Drops(WireGuardError.Replay));
    }

    [Fact]
    public void Traffic_BothWays_WhileRekeying_AddingRemovingPeers_AndTimers_LosesNothing()
    {
        var seed = TestSeed.Get(output);
        using var pair = new PeerPair(seed);
        pair.Handshake();
        const int rekeys = 12;
        var stop = 0;
        var iterations = new long[3];
        var deliveredAtoB = new ConcurrentDictionary<long, int>();
        var deliveredBtoA = new ConcurrentDictionary<long, int>();
        var failures = new ConcurrentQueue<string>();
        var handshakes = 0;

        void Sender(int id, WireGuardDevice from, WireGuardDevice to, NetEndpoint fromEnd, string src, string dst,
            ConcurrentDictionary<long, int> delivered)
        {
            var wire = new byte[2048];
            var inner = new byte[2048];
            for (var i = 0; Volatile.Read(ref stop) == 0; i++)
            {
                var e = from.Encapsulate(Packet(src, dst, id, i), wire);
                if (e.Action != WireGuardAction.WriteToNetwork || e.Length < 32 || BinaryPrimitives.ReadUInt32LittleEndian(wire) != 4)
                {
                    failures.Enqueue($"sender {id} packet {i}: encapsulate {e.Action} {e.Error}");
                    continue;
                }
                var d = to.Decapsulate(fromEnd, wire.AsSpan(0, e.Length), inner);
                if (d.Action != WireGuardAction.WriteToTunnel)
                {
                    failures.Enqueue($"sender {id} packet {i}: decapsulate {d.Action} {d.Error}");
                }
                else
                {
                    var (t, n) = CheckPacket(inner.AsSpan(0, d.Length), src, dst);
                    delivered.AddOrUpdate(((long)t << 32) | (uint)n, 1, (_, c) => c + 1);
                }
                Interlocked.Increment(ref iterations[id]);
            }
        }

        void WaitForEverySender()
        {
            var start = iterations.Select(x => Interlocked.Read(ref x)).ToArray();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Enumerable.Range(0, start.Length).Any(k => Interlocked.Read(ref iterations[k]) < start[k] + 3))
            {
                Assert.True(DateTime.UtcNow < deadline, "a sender thread stopped making progress");
                Thread.Yield();
            }
        }

        void Rekeyer()
        {
            var a = new byte[2048];
            var b = new byte[2048];
            for (var k = 0; k < rekeys; k++)
            {
                // Every sender finished an iteration after the previous rekey: nothing in flight is two keys old.
                WaitForEverySender();
                // A newer TAI64N timestamp, and past the 20 ms initiation flood limit.
                pair.Clock.Advance(TimeSpan.FromSeconds(1));
                var init = pair.A.InitiateHandshake(pair.PeerBOnA, a, force: true);
                var resp = pair.B.Decapsulate(PeerPair.EndA, a.AsSpan(0, init.Length), b);
                var confirm = pair.A.Decapsulate(PeerPair.EndB, b.AsSpan(0, resp.Length), a);
                var done = pair.B.Decapsulate(PeerPair.EndA, a.AsSpan(0, confirm.Length), b);
                if (init.Action != WireGuardAction.WriteToNetwork || resp.Action != WireGuardAction.WriteToNetwork
                    || confirm.Action != WireGuardAction.WriteToNetwork || done.Action == WireGuardAction.Error)
                {
                    failures.Enqueue($"rekey {k}: {init.Error} {resp.Error} {confirm.Error} {done.Error}");
                }
                Interlocked.Increment(ref handshakes);
            }
            WaitForEverySender();
        }

        void Reconfigurer()
        {
            var rng = new Random(seed + 7);
            var scratch = new byte[2048];
            var key = new byte[32];
            while (Volatile.Read(ref stop) == 0)
            {
                rng.NextBytes(key);
                var extra = pair.B.AddPeer(key);
                extra.Endpoint = NetEndpoint.From(IPEndPoint.Parse($"198.18.9.{rng.Next(1, 250)}:51820"));
                pair.B.AllowedIps.Insert(IPAddress.Parse($"198.20.{rng.Next(256)}.0"), 24, extra);
                pair.PeerAOnB.PersistentKeepalive = TimeSpan.FromSeconds(rng.Next(0, 30));
                _ = pair.PeerAOnB.Endpoint;
                foreach (var p in pair.B.Peers)
                {
                    pair.B.UpdateTimers(p, scratch);
                }
                foreach (var p in pair.A.Peers)
                {
                    pair.A.UpdateTimers(p, scratch);
                }
                pair.B.RemovePeer(extra);
            }
        }

        var threads = new List<Thread>
        {
            new(() => Sender(0, pair.A, pair.B, PeerPair.EndA, "198.19.0.1", "198.19.0.2", deliveredAtoB)),
            new(() => Sender(1, pair.A, pair.B, PeerPair.EndA, "198.19.0.1", "198.19.0.2", deliveredAtoB)),
            new(() => Sender(2, pair.B, pair.A, PeerPair.EndB, "198.19.0.2", "198.19.0.1", deliveredBtoA)),
            new(Reconfigurer),
        };
        var errors = new ConcurrentQueue<Exception>();
        var all = threads.Select(body => new Thread(() =>
        {
            try
            {
                body.Start();
                body.Join();
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        foreach (var t in threads)
        {
            t.IsBackground = true;
        }
        var rekeyer = new Thread(() =>
        {
            try
            {
                Rekeyer();
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })
        { IsBackground = true };
        threads.ForEach(t => t.Start());
        rekeyer.Start();
        var joined = rekeyer.Join(s_limit);
        Volatile.Write(ref stop, 1);
        Assert.All(threads, t => Assert.True(t.Join(s_limit), "a worker thread did not finish in time"));
        Assert.True(joined, "the rekeys did not finish in time");
        Assert.Empty(errors);
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(10)));
        Assert.Equal(rekeys, handshakes);
        Assert.All(deliveredAtoB.Values, n => Assert.Equal(1, n));
        Assert.All(deliveredBtoA.Values, n => Assert.Equal(1, n));
        Assert.Equal(Interlocked.Read(ref iterations[0]) + Interlocked.Read(ref iterations[1]), deliveredAtoB.Count);
        Assert.Equal(Interlocked.Read(ref iterations[2]), deliveredBtoA.Count);
        Assert.Equal(0, pair.PeerAOnB.TotalDrops);
        Assert.Equal(0, pair.PeerBOnA.TotalDrops);
        Assert.Single(pair.B.Peers);
        output.WriteLine($"{deliveredAtoB.Count} packets A→B and {deliveredBtoA.Count} B→A across {rekeys} rekeys, 0 lost");
    }

    private static ulong Counter(byte[] datagram) => BinaryPrimitives.ReadUInt64LittleEndian(datagram.AsSpan(8));

    /// <summary>An IPv4 packet whose payload names its sender thread and sequence number, then a pattern derived from both.</summary>
    private static byte[] Packet(string src, string dst, int thread, int seq)
    {
        var p = TestPackets.Ipv4(src, dst, 100 + (seq % 7) * 50);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(28), thread);
        BinaryPrimitives.WriteInt32LittleEndian(p.AsSpan(32), seq);
        for (var k = 36; k < p.Length; k++)
        {
            p[k] = (byte)(thread * 31 + seq + k);
        }
        return p;
    }

    private static (int Thread, int Seq) CheckPacket(ReadOnlySpan<byte> inner, string src, string dst)
    {
        var thread = BinaryPrimitives.ReadInt32LittleEndian(inner[28..]);
        var seq = BinaryPrimitives.ReadInt32LittleEndian(inner[32..]);
        Assert.True(inner.SequenceEqual(Packet(src, dst, thread, seq)), $"packet {thread}/{seq} corrupted");
        return (thread, seq);
    }

    private static void RunThreads(int count, Action<int> body)
    {
        var errors = new ConcurrentQueue<Exception>();
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            try
            {
                body(t);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(s_limit), "a thread did not finish in time"));
        Assert.Empty(errors);
    }
}

using System.Buffers.Binary;
using System.Net;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>The trie against hand-checked cases and against a naive linear-scan router on seeded random data.</summary>
public sealed class AllowedIpsTests(ITestOutputHelper output)
{
    private sealed class Peer(string name)
    {
        public override string ToString() => name;
    }

    [Fact]
    public void LongestPrefixWins_V4AndV6()
    {
        var t = new AllowedIps<Peer>();
        Peer a = new("a"), b = new("b"), c = new("c"), d = new("d"), e = new("e");
        t.Insert(IPAddress.Parse("0.0.0.0"), 0, a);
        t.Insert(IPAddress.Parse("198.19.0.0"), 16, b);
        t.Insert(IPAddress.Parse("198.19.7.0"), 24, c);
        t.Insert(IPAddress.Parse("198.19.7.9"), 32, d);
        t.Insert(IPAddress.Parse("2001:db8::"), 32, e);
        Assert.Same(a, t.Lookup(IPAddress.Parse("203.0.113.1")));
        Assert.Same(b, t.Lookup(IPAddress.Parse("198.19.8.1")));
        Assert.Same(c, t.Lookup(IPAddress.Parse("198.19.7.8")));
        Assert.Same(d, t.Lookup(IPAddress.Parse("198.19.7.9")));
        Assert.Same(e, t.Lookup(IPAddress.Parse("2001:db8:1::5")));
        Assert.Null(t.Lookup(IPAddress.Parse("2001:db9::1")));
        // Host bits are ignored; re-inserting replaces.
        t.Insert(IPAddress.Parse("198.19.7.200"), 24, e);
        Assert.Same(e, t.Lookup(IPAddress.Parse("198.19.7.8")));
        t.RemoveAll(e);
        Assert.Same(b, t.Lookup(IPAddress.Parse("198.19.7.8")));
        Assert.Null(t.Lookup(IPAddress.Parse("2001:db8:1::5")));
        Assert.Equal([(IPAddress.Parse("198.19.7.9"), 32)], t.PrefixesOf(d));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Insert(IPAddress.Parse("1.2.3.4"), 33, a));
    }

    [Fact]
    public void PacketLookup_UsesDestinationOrSource()
    {
        var t = new AllowedIps<Peer>();
        Peer a = new("a"), b = new("b");
        t.Insert(IPAddress.Parse("198.19.0.1"), 32, a);
        t.Insert(IPAddress.Parse("198.19.0.2"), 32, b);
        var p = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40);
        Assert.Same(b, t.LookupPacket(p, source: false));
        Assert.Same(a, t.LookupPacket(p, source: true));
        Assert.Null(t.LookupPacket(p.AsSpan(0, 19), source: false));
        Assert.Null(t.LookupPacket(new byte[40], source: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MatchesLinearScan_On100000SeededPrefixesAndLookups(bool v6)
    {
        var seed = Environment.TickCount ^ (v6 ? 0x66 : 0x44);
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var bits = v6 ? 128 : 32;
        var bytes = v6 ? 16 : 4;
        var peers = Enumerable.Range(0, 64).Select(i => new Peer("p" + i)).ToArray();
        var trie = new AllowedIps<Peer>();
        // Naive router: the last value inserted for each (prefix, length) wins, as in the trie.
        var model = new Dictionary<(UInt128, int), Peer>();
        var buf = new byte[16];
        // Prefixes cluster under a few random roots so that nesting is common.
        var roots = Enumerable.Range(0, 16).Select(_ => RandomKey(rng, bits)).ToArray();
        const int prefixes = 100_000;
        for (var i = 0; i < prefixes; i++)
        {
            // Mostly long prefixes (as real configs), some of every length including /0.
            var len = rng.Next(0, 20) == 0 ? rng.Next(0, bits + 1) : bits - rng.Next(0, bits / 4);
            var key = (roots[rng.Next(roots.Length)] & ~(RandomKey(rng, bits) >> rng.Next(0, bits))) ^ (RandomKey(rng, bits) >> rng.Next(bits / 2, bits + 1));
            key = Mask(key, len, bits);
            var peer = peers[rng.Next(peers.Length)];
            Write(key, buf, bits);
            trie.Insert(new IPAddress(buf.AsSpan(0, bytes)), len, peer);
            model[(key, len)] = peer;
        }
        var byLength = model.GroupBy(kv => kv.Key.Item2).OrderByDescending(g => g.Key)
            .Select(g => (Length: g.Key, Map: g.ToDictionary(kv => kv.Key.Item1, kv => kv.Value))).ToArray();
        var hits = 0;
        var longHits = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var addr = rng.Next(4) == 0 ? RandomKey(rng, bits) : roots[rng.Next(roots.Length)] ^ (RandomKey(rng, bits) >> rng.Next(bits / 2, bits + 1));
            Peer? expected = null;
            var expectedLength = -1;
            foreach (var (length, map) in byLength)
            {
                if (map.TryGetValue(Mask(addr, length, bits), out var p))
                {
                    expected = p;
                    expectedLength = length;
                    break;
                }
            }
            if (expectedLength >= bits / 2)
            {
                longHits++;
            }
            Write(addr, buf, bits);
            var actual = trie.Lookup(buf.AsSpan(0, bytes));
            Assert.True(ReferenceEquals(expected, actual), $"seed {seed}: lookup {i} expected {expected}, got {actual}");
            if (actual is not null)
            {
                hits++;
            }
        }
        output.WriteLine($"{model.Count} distinct prefixes, {hits} of 100000 lookups matched, {longHits} at a prefix of length >= {bits / 2}");
        Assert.True(longHits > 1000);

        // Removing a peer removes exactly its prefixes.
        trie.RemoveAll(peers[0]);
        var remaining = byLength.Select(g => (g.Length, Map: g.Map.Where(kv => kv.Value != peers[0]).ToDictionary())).ToArray();
        for (var i = 0; i < 10_000; i++)
        {
            var addr = roots[rng.Next(roots.Length)] ^ (RandomKey(rng, bits) >> rng.Next(0, bits));
            Peer? expected = null;
            foreach (var (length, map) in remaining)
            {
                if (map.TryGetValue(Mask(addr, length, bits), out var p))
                {
                    expected = p;
                    break;
                }
            }
            Write(addr, buf, bits);
            Assert.True(ReferenceEquals(expected, trie.Lookup(buf.AsSpan(0, bytes))), $"seed {seed}: after removal, lookup {i}");
        }
    }

    [Fact]
    public void Index_PrefixesOfAndCount_FollowInsertsReplacementsAndRemovals_AgainstAModel()
    {
        // A value's prefixes are indexed one way when it has one (the usual peer) and another when it has more:
        // inserts that move a prefix to another value, and removals, cross between the two; the model says what each holds.
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var values = Enumerable.Range(0, 12).Select(i => $"peer{i}").ToArray();
        var trie = new AllowedIps<string>();
        var model = new Dictionary<(string Address, int Bits), string>();
        for (var step = 0; step < 3000; step++)
        {
            var value = values[rng.Next(values.Length)];
            if (rng.Next(10) == 0)
            {
                trie.RemoveAll(value);
                foreach (var k in model.Where(e => e.Value == value).Select(e => e.Key).ToList())
                {
                    model.Remove(k);
                }
            }
            else
            {
                // Few distinct prefixes (a /24 or /32 in 198.18.0.0/28, or 2001:db8::/126 hosts): the same prefix is set again often.
                var v6 = rng.Next(4) == 0;
                var address = v6 ? $"2001:db8::{rng.Next(4)}" : $"198.18.0.{rng.Next(16)}";
                var bits = v6 ? 128 : rng.Next(2) == 0 ? 32 : 24;
                var key = bits == 24 ? "198.18.0.0" : IPAddress.Parse(address).ToString();
                trie.Insert(IPAddress.Parse(address), bits, value);
                model[(key, bits)] = value;
            }
            if (step % 50 == 0 || step == 2999)
            {
                Assert.Equal(model.Count, trie.Count);
                foreach (var v in values)
                {
                    var expected = model.Where(e => e.Value == v).Select(e => $"{e.Key.Address}/{e.Key.Bits}").Order().ToList();
                    Assert.Equal(expected, trie.PrefixesOf(v).Select(p => $"{p.Address}/{p.PrefixLength}").Order().ToList());
                }
            }
        }
    }

    [Fact]
    public void Lookup_DoesNotAllocate()
    {
        var t = new AllowedIps<Peer>();
        var p = new Peer("x");
        t.Insert(IPAddress.Parse("198.19.0.0"), 24, p);
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40);
        t.LookupPacket(packet, false);
        Assert.Equal(0, Allocation.SteadyState(10_000, _ => Assert.Same(p, t.LookupPacket(packet, false))));
    }

    private static UInt128 RandomKey(Random rng, int bits)
    {
        Span<byte> b = stackalloc byte[16];
        rng.NextBytes(b);
        var k = BinaryPrimitives.ReadUInt128BigEndian(b);
        return bits == 128 ? k : k >> 96;
    }

    private static UInt128 Mask(UInt128 key, int len, int bits) =>
        len == 0 ? UInt128.Zero : key & ((UInt128.MaxValue << (bits - len)) & (bits == 128 ? UInt128.MaxValue : (UInt128)uint.MaxValue));

    private static void Write(UInt128 key, byte[] buf, int bits)
    {
        if (bits == 128)
        {
            BinaryPrimitives.WriteUInt128BigEndian(buf, key);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(buf, (uint)key);
        }
    }
}

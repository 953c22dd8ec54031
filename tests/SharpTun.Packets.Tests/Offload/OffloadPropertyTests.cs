using System.Buffers.Binary;
using SharpTun.Packets.Offload;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>Seeded round trips (seed printed; rerun with SHARPTUN_TEST_SEED).</summary>
public sealed class OffloadPropertyTests(ITestOutputHelper output)
{
    private Random Seeded(string name)
    {
        var seed = Environment.GetEnvironmentVariable("SHARPTUN_TEST_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"{name}: seed {seed} (rerun with SHARPTUN_TEST_SEED={seed})");
        return new Random(seed);
    }

    [Fact]
    public void Split_of_coalesce_gives_back_every_flow_in_order()
    {
        var rng = Seeded(nameof(Split_of_coalesce_gives_back_every_flow_in_order));
        long inputs = 0, outputs = 0, superPackets = 0;
        for (var round = 0; round < 300; round++)
        {
            var flows = Enumerable.Range(0, rng.Next(1, 6)).Select(i => RandomFlow(rng, (ushort)(1000 + i))).ToArray();
            var streams = flows.Select(f => FlowPackets(rng, f)).ToArray();
            var corrupted = new List<byte[]>();
            foreach (var s in streams)
            {
                foreach (var p in s.Where(_ => rng.Next(40) == 0))
                {
                    p[rng.Next(p.Length)] ^= (byte)(1 << rng.Next(8));
                    corrupted.Add(p);
                }
            }
            var interleaved = rng.Next(2) == 0;
            var batch = interleaved ? Interleave(rng, streams) : [.. streams.SelectMany(s => s)];
            var icmp = rng.Next(3) == 0;
            if (icmp)
            {
                batch.Insert(rng.Next(batch.Count + 1), Vectors.EchoRequestV4);
            }
            var c = new PacketCoalescer(rng.Next(2) == 0 ? 10 : 12, coalesceUdp: rng.Next(4) != 0);
            var result = Coalesce.Run(c, batch);
            foreach (var (h, p) in result.Where(o => !o.Header.IsGso))
            {
                Assert.Equal(default, h);
                Assert.Contains(batch, b => b.AsSpan().SequenceEqual(p));
            }
            var back = Coalesce.SplitAll(result);
            // Packets of one flow keep their order; packets of no flow (ICMP, or a corrupted
            // next header) are not ordered against the flows' super-packets.
            Assert.Equal(batch.Count, back.Count);
            Assert.Equal(ByFlow(batch), ByFlow(back));
            if (!interleaved && !icmp && corrupted.Count == 0)
            {
                Assert.Equal(batch, back);
            }
            foreach (var p in back.Where(p => p != Vectors.EchoRequestV4 && p[0] >> 4 is 4 or 6 && p.Length > 1 && (p[9] is 6 or 17 || p[6] is 6 or 17)))
            {
                if (!corrupted.Any(x => x.AsSpan().SequenceEqual(p)) && Valid(p))
                {
                    OffloadAssert.ChecksumsValid(p);
                }
            }
            inputs += batch.Count;
            outputs += result.Count;
            superPackets += c.SuperPackets;
        }
        output.WriteLine($"{inputs} packets became {outputs} outputs, {superPackets} of them super-packets");
        Assert.True(superPackets > 300 && outputs < inputs / 3, "the random flows should mostly merge");
    }

    [Fact]
    public void Coalesce_of_split_gives_back_the_super_packet()
    {
        var rng = Seeded(nameof(Coalesce_of_split_gives_back_the_super_packet));
        var buffers = Buffers.Make(400, 1600);
        var sizes = new int[400];
        var c = new PacketCoalescer(coalesceUdp: true);
        for (var round = 0; round < 1000; round++)
        {
            var flow = RandomFlow(rng, (ushort)rng.Next(1, 65536));
            var gso = rng.Next(200, 1449);
            var max = Math.Min(65535 - flow.HeaderLength, flow.Tcp ? int.MaxValue : PacketCoalescer.MaxUdpSegments * gso);
            var payload = Buffers.Random(rng, rng.Next(gso + 1, max + 1));
            byte[] flagChoices = [0x10, 0x18, 0x90, 0x98, 0x50, 0x58];
            var (h, p) = flow.SuperPacket(payload, gso, (uint)rng.NextInt64(1L << 32), flagChoices[rng.Next(flagChoices.Length)], (ushort)rng.Next(65536));
            Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 0, out var n));
            var segments = new List<byte[]>();
            for (var i = 0; i < n; i++)
            {
                var s = buffers[i].Span[..sizes[i]].ToArray();
                OffloadAssert.ChecksumsValid(s);
                segments.Add(s);
            }
            var (h2, p2) = Assert.Single(Coalesce.Run(c, segments));
            Assert.Equal(h, h2);
            Assert.Equal(p, p2);
        }
    }

    internal static TestFlow RandomFlow(Random rng, ushort port)
    {
        var f = rng.Next(4) switch
        {
            0 => TestFlow.TcpV4(port),
            1 => TestFlow.TcpV6(port),
            2 => TestFlow.UdpV4(port),
            _ => TestFlow.UdpV6(port),
        };
        byte[][] options = [[], [1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 1, 1]];
        return f with
        {
            Options = f.Tcp ? options[rng.Next(options.Length)] : [],
            Tos = (byte)(rng.Next(4) << 2),
            Ttl = (byte)rng.Next(1, 256),
            FlowLabel = (uint)rng.Next(1 << 20),
            Ack = (uint)rng.NextInt64(1L << 32),
            Window = (ushort)rng.Next(65536),
        };
    }

    /// <summary>A flow's packets: mostly full contiguous segments, with the events that end or break a super-packet.</summary>
    private static List<byte[]> FlowPackets(Random rng, TestFlow flow)
    {
        var list = new List<byte[]>();
        var mss = rng.Next(100, 1449);
        var seq = (uint)rng.NextInt64(1L << 32);
        var id = (ushort)rng.Next(65536);
        var count = rng.Next(1, 80);
        for (var i = 0; i < count; i++)
        {
            var size = mss;
            byte flags = 0x10;
            var f = flow;
            switch (rng.Next(60))
            {
                case 0: size = rng.Next(1, mss); break;
                case 1: flags = 0x18; break;
                case 2: flags = 0x90; break;
                case 3: flags = 0x11; break;
                case 4: size = 0; break;
                case 5: seq += 7; break;
                case 6: id += 3; break;
                case 7: f = flow with { Ttl = (byte)(flow.Ttl ^ 1) }; break;
            }
            list.Add(f.Packet(Buffers.Random(rng, size), seq, flags, id));
            seq += (uint)size;
            id++;
        }
        return list;
    }

    private static List<byte[]> Interleave(Random rng, IReadOnlyList<List<byte[]>> streams)
    {
        var at = new int[streams.Count];
        var all = new List<byte[]>();
        while (all.Count < streams.Sum(s => s.Count))
        {
            var s = rng.Next(streams.Count);
            var run = rng.Next(1, 10);
            for (; run > 0 && at[s] < streams[s].Count; run--)
            {
                all.Add(streams[s][at[s]++]);
            }
        }
        return all;
    }

    /// <summary>Packets grouped by flow (addresses, protocol, ports) in their order; "other" for the rest.</summary>
    private static Dictionary<string, List<string>> ByFlow(IEnumerable<byte[]> packets)
    {
        var d = new Dictionary<string, List<string>>();
        foreach (var p in packets)
        {
            var key = "other";
            if (p.Length >= 44 && p[0] >> 4 == 6 && p[6] is 6 or 17)
            {
                key = Convert.ToHexString(p.AsSpan(6, 1)) + Convert.ToHexString(p.AsSpan(8, 36));
            }
            else if (p.Length >= 24 && p[0] == 0x45 && p[9] is 6 or 17)
            {
                key = Convert.ToHexString(p.AsSpan(9, 1)) + Convert.ToHexString(p.AsSpan(12, 12));
            }
            if (!d.TryGetValue(key, out var list))
            {
                d[key] = list = [];
            }
            list.Add(Convert.ToHexString(p));
        }
        return d;
    }

    /// <summary>A packet whose header was not hit by the corruption (the independent check then applies).</summary>
    private static bool Valid(byte[] p) =>
        p[0] >> 4 == 4 ? BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)) == p.Length : BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(4)) + 40 == p.Length;
}

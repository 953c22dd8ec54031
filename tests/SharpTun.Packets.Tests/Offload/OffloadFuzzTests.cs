using SharpTun.Packets.Offload;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>
/// Hostile input: coalescer input comes from a peer (decrypted, but chosen by the other side),
/// splitter input from the kernel. Seeded mutations of valid packets and headers must never
/// throw, never write outside the outputs, and refused packets must be counted.
/// </summary>
public sealed class OffloadFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_packets_and_headers_never_throw()
    {
        var seed = Environment.GetEnvironmentVariable("SHARPTUN_TEST_SEED") is { Length: > 0 } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (rerun with SHARPTUN_TEST_SEED={seed})");
        var rng = new Random(seed);
        var splitBuffers = Buffers.Make(64, 1600);
        var sizes = new int[64];
        var outputs = Buffers.Make(32, 10 + 65535);
        var outSizes = new int[32];
        var counters = new OffloadErrorCounters();
        var coalescer = new PacketCoalescer(coalesceUdp: true);
        long split = 0, refused = 0;
        for (var round = 0; round < 3000; round++)
        {
            var flow = OffloadPropertyTests.RandomFlow(rng, (ushort)rng.Next(65536));
            var gso = rng.Next(1, 1449);
            var (h, p) = flow.SuperPacket(Buffers.Random(rng, rng.Next(0, 20000)), gso, (uint)rng.Next(), (byte)rng.Next(256), (ushort)rng.Next(65536));
            var frame = new byte[10 + p.Length];
            h.TryWrite(frame);
            p.CopyTo(frame, 10);
            Mutate(rng, frame, 10 + flow.HeaderLength + 4);
            var cut = rng.Next(8) == 0 ? rng.Next(frame.Length + 1) : frame.Length;
            var e = GsoSplitter.Split(frame.AsSpan(0, cut), 10, splitBuffers, sizes, rng.Next(0, 40), out var n);
            counters.Add(e);
            Assert.True(e == OffloadError.None ? n >= 1 : n == 0);
            split += n;
            refused += e == OffloadError.None ? 0 : 1;

            var batch = new List<Memory<byte>>();
            var stream = Coalesce.Segments(flow, rng.Next(1, 30), rng.Next(1, 1449), (uint)rng.Next(), (ushort)rng.Next(65536));
            foreach (var packet in stream)
            {
                Mutate(rng, packet, flow.HeaderLength + 2);
                var length = rng.Next(10) == 0 ? rng.Next(packet.Length + 1) : packet.Length;
                batch.Add(packet.AsMemory(0, length));
            }
            var k = coalescer.Coalesce(batch.ToArray(), outputs, outSizes, 0);
            Assert.InRange(k, 0, batch.Count);
            for (var j = 0; j < k; j++)
            {
                Assert.True(VirtioNetHeader.TryRead(outputs[j].Span, out var oh));
                Assert.Equal(OffloadError.None, oh.Validate());
                if (oh.IsGso)
                {
                    // What the coalescer merged must split again.
                    Assert.Equal(OffloadError.None, GsoSplitter.Split(outputs[j].Span[..outSizes[j]], 10, splitBuffers, sizes, 0, out _));
                }
            }
        }
        output.WriteLine($"split {split} packets, refused {refused} super-packets ({counters.Total} counted); coalescer made {coalescer.SuperPackets} super-packets of {coalescer.PacketsIn} packets");
        Assert.Equal(refused, counters.Total);
        Assert.True(refused > 100 && split > 1000 && coalescer.SuperPackets > 100);
    }

    /// <summary>Flips a few bytes, mostly in the first <paramref name="headerBytes"/> (the headers).</summary>
    private static void Mutate(Random rng, byte[] b, int headerBytes)
    {
        var flips = rng.Next(4) == 0 ? 0 : rng.Next(1, 4);
        for (var i = 0; i < flips && b.Length > 0; i++)
        {
            var at = rng.Next(3) == 0 ? rng.Next(b.Length) : rng.Next(Math.Min(headerBytes, b.Length));
            b[at] = rng.Next(3) == 0 ? (byte)rng.Next(256) : (byte)(b[at] ^ (1 << rng.Next(8)));
        }
    }
}

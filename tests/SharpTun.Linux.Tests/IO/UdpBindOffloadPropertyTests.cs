using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Net;
using Xunit.Abstractions;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// Seeded model test of GSO planning and GRO splitting over loopback: three senders send random
/// batches (runs of equal sizes, shorter last ones, singles) to one GRO receiver that asks with a
/// random number of buffers per call, large (split in place) or small (through the bind's slots).
/// Every datagram must arrive once, whole, in its sender's order.
/// </summary>
public sealed class UdpBindOffloadPropertyTests(ITestOutputHelper output)
{
    private static readonly int[] s_sizes = [3, 64, 100, 500, 1280, 1452];

    [Fact]
    public void Random_batches_arrive_exactly_in_each_senders_order()
    {
        var random = new Random(TestSeed.Get(output));
        const int senders = 3;
        const int rounds = 12;
        var batch = random.Next(1, 80);
        var offset = random.Next(2) * 16;
        output.WriteLine($"receiver batch size {batch}, offset {offset}");
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = batch });
        var a = new UdpBind[senders];
        var sizes = new List<int>[senders];
        var next = new int[senders];
        for (var s = 0; s < senders; s++)
        {
            a[s] = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = random.Next(1, 130) });
            sizes[s] = [];
        }
        var big = Buffers(batch, offset + OffloadData.GroBuffer);
        var small = Buffers(batch, offset + 1500);
        var got = new int[batch];
        var from = new DatagramEndpoint[batch];
        var to = new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint));
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                var expected = 0;
                for (var s = 0; s < senders; s++)
                {
                    var first = sizes[s].Count;
                    Batch(random, sizes[s]);
                    var count = sizes[s].Count - first;
                    expected += count;
                    Assert.Equal(0, a[s].Send(OffloadData.Make(sizes[s], first, count, 0, (byte)(s + 1)), 0, to));
                }
                while (expected > 0)
                {
                    var useSmall = random.Next(4) == 0;
                    var buffers = (useSmall ? small : big).AsSpan(0, random.Next(1, batch + 1));
                    var n = b.Receive(buffers, got, from, offset);
                    Assert.InRange(n, 1, buffers.Length);
                    for (var i = 0; i < n; i++)
                    {
                        var s = Array.FindIndex(a, x => NetEndpoint.From(x.LocalEndPoint) == from[i].Remote);
                        Assert.True(s >= 0, $"a datagram from {from[i]}");
                        var index = OffloadData.Check(buffers[i].Span.Slice(offset, got[i]), got[i], sizes[s], (byte)(s + 1));
                        Assert.Equal(next[s], index);
                        next[s]++;
                    }
                    expected -= n;
                }
                Assert.Equal(0, expected);
            }
            for (var s = 0; s < senders; s++)
            {
                Assert.Equal(sizes[s].Count, next[s]);
            }
            output.WriteLine($"sent {a.Sum(x => x.GsoSegments)} of {next.Sum()} datagrams in {a.Sum(x => x.GsoSends)} GSO messages, {a.Sum(x => x.SendCalls)} send calls; " +
                $"received {b.GroSegments} in {b.GroReceives} coalesced messages, {b.ReceiveCalls} receive calls");
            Assert.True(b.GroReceives > 0, "no coalesced message was received");
        }
        finally
        {
            foreach (var x in a)
            {
                x.Dispose();
            }
        }
    }

    // Appends 1..100 sizes: runs of one size, sometimes ending in a shorter one, sometimes singles.
    private static void Batch(Random random, List<int> sizes)
    {
        var count = random.Next(1, 101);
        while (count > 0)
        {
            var size = s_sizes[random.Next(s_sizes.Length)];
            var run = Math.Min(count, random.Next(1, 70));
            for (var i = 0; i < run; i++)
            {
                sizes.Add(size);
            }
            count -= run;
            if (count > 0 && random.Next(2) == 0)
            {
                sizes.Add(Math.Max(3, random.Next(3, size + 1)));
                count--;
            }
        }
    }

    private static Memory<byte>[] Buffers(int count, int size)
    {
        var block = new byte[count * size];
        var buffers = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            buffers[i] = block.AsMemory(i * size, size);
        }
        return buffers;
    }
}

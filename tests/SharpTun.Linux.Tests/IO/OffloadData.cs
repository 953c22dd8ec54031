using SharpTun.IO;
using SharpTun.Linux.Net;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// Datagrams for offload tests: datagram i of a batch carries a tag byte, i as two bytes, then a
/// pattern of i and the position, so a receiver checks boundaries, order and every byte.
/// </summary>
internal static class OffloadData
{
    /// <summary>The receive buffer a GRO receiver needs (a whole coalesced message past the offset).</summary>
    internal const int GroBuffer = 65536;

    /// <summary>Datagrams of the given sizes (each at least 3 bytes), each preceded by <paramref name="offset"/> bytes of 0xEE.</summary>
    internal static Memory<byte>[] Make(IReadOnlyList<int> sizes, int offset, byte tag) => Make(sizes, 0, sizes.Count, offset, tag);

    /// <summary>Datagrams <paramref name="first"/> … <paramref name="first"/>+<paramref name="count"/>-1 of a sequence of the given sizes.</summary>
    internal static Memory<byte>[] Make(IReadOnlyList<int> sizes, int first, int count, int offset, byte tag)
    {
        var d = new Memory<byte>[count];
        for (var k = 0; k < d.Length; k++)
        {
            var i = first + k;
            var b = new byte[offset + sizes[i]];
            b.AsSpan(0, offset).Fill(0xEE);
            var p = b.AsSpan(offset);
            p[0] = tag;
            p[1] = (byte)(i >> 8);
            p[2] = (byte)i;
            for (var j = 3; j < p.Length; j++)
            {
                p[j] = (byte)(j * 7 + i * 13);
            }
            d[k] = b;
        }
        return d;
    }

    /// <summary><paramref name="count"/> datagrams of <paramref name="size"/> bytes and, when <paramref name="last"/> &gt; 0, one more of that size.</summary>
    internal static int[] Sizes(int count, int size, int last = 0)
    {
        var s = Enumerable.Repeat(size, count);
        return (last > 0 ? s.Append(last) : s).ToArray();
    }

    /// <summary>Checks one received datagram against <paramref name="sizes"/> and returns its index.</summary>
    internal static int Check(ReadOnlySpan<byte> payload, int size, IReadOnlyList<int> sizes, byte tag)
    {
        Assert.True(size >= 3, $"a datagram of {size} bytes arrived");
        Assert.Equal(tag, payload[0]);
        var i = (payload[1] << 8) | payload[2];
        Assert.InRange(i, 0, sizes.Count - 1);
        Assert.Equal(sizes[i], size);
        for (var j = 3; j < size; j++)
        {
            if (payload[j] != (byte)(j * 7 + i * 13))
            {
                Assert.Fail($"datagram {i}: byte {j} is {payload[j]}, expected {(byte)(j * 7 + i * 13)}");
            }
        }
        return i;
    }

    /// <summary>
    /// Receives the whole batch on <paramref name="harness"/> and checks it arrived exactly: every
    /// datagram once, in order, whole, from <paramref name="from"/> (remote) when given.
    /// Returns the largest count one receive returned.
    /// </summary>
    internal static int ReceiveInOrder(BindHarness harness, IReadOnlyList<int> sizes, byte tag, NetEndpoint? from = null)
    {
        var next = 0;
        var largest = harness.ReceiveExactly(sizes.Count, 0, (p, size, ep) =>
        {
            var i = Check(p.Span, size, sizes, tag);
            Assert.Equal(next, i);
            next++;
            if (from is { } f)
            {
                Assert.Equal(f, ep.Remote);
            }
        });
        Assert.Equal(sizes.Count, next);
        return largest;
    }

    /// <summary>The counters of a bind, to compare before and after.</summary>
    internal static (long SendCalls, long GsoSends, long GsoSegments, long GroReceives, long GroSegments) Counters(UdpBind b) =>
        (b.SendCalls, b.GsoSends, b.GsoSegments, b.GroReceives, b.GroSegments);
}

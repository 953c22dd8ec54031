using System.Diagnostics;
using SharpTun.IO;
using SharpTun.Linux.Net;

namespace SharpTun.Linux.Tests.IO;

/// <summary>Buffers for one bind and a receive loop that collects a known number of datagrams.</summary>
internal sealed class BindHarness
{
    internal BindHarness(UdpBind bind, int size = 2048)
    {
        Bind = bind;
        Buffers = new Memory<byte>[bind.BatchSize];
        for (var i = 0; i < Buffers.Length; i++)
        {
            Buffers[i] = new byte[size];
        }
        Sizes = new int[bind.BatchSize];
        Endpoints = new DatagramEndpoint[bind.BatchSize];
    }

    internal UdpBind Bind { get; }

    internal Memory<byte>[] Buffers { get; }

    internal int[] Sizes { get; }

    internal DatagramEndpoint[] Endpoints { get; }

    /// <summary>
    /// Receives until <paramref name="count"/> datagrams arrived (each handed to <paramref name="each"/>
    /// with its payload), or throws after 20 s; returns the largest batch one call returned.
    /// </summary>
    internal int ReceiveExactly(int count, int offset, Action<ReadOnlyMemory<byte>, int, DatagramEndpoint> each)
    {
        var got = 0;
        var largest = 0;
        using var watchdog = new Timer(_ => Bind.Shutdown(), null, TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        var sw = Stopwatch.StartNew();
        while (got < count)
        {
            var n = Bind.Receive(Buffers, Sizes, Endpoints, offset);
            if (n == 0)
            {
                throw new TimeoutException($"received {got} of {count} datagrams on {Bind} in {sw.Elapsed.TotalSeconds:0.#} s");
            }
            largest = Math.Max(largest, n);
            for (var i = 0; i < n; i++)
            {
                each(Sizes[i] < 0 ? default : Buffers[i][offset..(offset + Sizes[i])], Sizes[i], Endpoints[i]);
            }
            got += n;
        }
        Assert.Equal(count, got);
        return largest;
    }

    /// <summary><paramref name="count"/> datagrams, datagram i of <c>offset + 10 + i</c> bytes: a tag byte, i, then a pattern.</summary>
    internal static Memory<byte>[] Datagrams(int count, int offset, byte tag)
    {
        var d = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var b = new byte[offset + 10 + i];
            b.AsSpan(0, offset).Fill(0xEE);
            b[offset] = tag;
            b[offset + 1] = (byte)i;
            for (var j = offset + 2; j < b.Length; j++)
            {
                b[j] = (byte)(j * 7 + i);
            }
            d[i] = b;
        }
        return d;
    }

    /// <summary>Checks a datagram made by <see cref="Datagrams"/> and returns its index.</summary>
    internal static int Check(ReadOnlyMemory<byte> payload, int size, byte tag, int offset)
    {
        var p = payload.Span;
        Assert.Equal(tag, p[0]);
        int i = p[1];
        Assert.Equal(10 + i, size);
        for (var j = 2; j < p.Length; j++)
        {
            Assert.Equal((byte)((j + offset) * 7 + i), p[j]);
        }
        return i;
    }
}

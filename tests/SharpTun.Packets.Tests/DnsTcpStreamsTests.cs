namespace SharpTun.Packets.Tests;

/// <summary>
/// The DNS-over-TCP reassembly's bounds: memory grows with the bytes that arrive, not with the lengths
/// messages claim, and many directions share a fixed table; a whole 65535-byte message fed byte by byte
/// comes out whole.
/// </summary>
public sealed class DnsTcpStreamsTests
{
    [Fact]
    public void A_message_fed_byte_by_byte_comes_out_whole_on_its_last_byte()
    {
        var streams = new DnsTcpStreams();
        var message = Enumerable.Range(0, ushort.MaxValue).Select(i => (byte)i).ToArray();
        byte[] framed = [0xFF, 0xFF, .. message];
        for (var i = 0; i < framed.Length - 1; i++)
        {
            Assert.Equal(DnsSegment.None, streams.Feed(7, 1000u + (uint)i, framed.AsSpan(i, 1), out _, out _));
        }
        Assert.Equal(DnsSegment.Completed, streams.Feed(7, 1000u + (uint)framed.Length - 1, framed.AsSpan(framed.Length - 1), out var completed, out _));
        Assert.True(completed.SequenceEqual(message));
    }

    [Fact]
    public void Claimed_lengths_and_many_directions_cost_only_the_bytes_that_arrived()
    {
        var streams = new DnsTcpStreams();
        byte[] claim = [0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8];
        streams.Feed(1, 0, claim, out _, out _); // warm up the table's first buffer
        var held = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var key = 2UL; key < 10_002; key++)
        {
            held += streams.Feed((key * 2) + 1, 0, claim, out _, out _) == DnsSegment.None ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(10_000, held);
        // 64 slots of at most a 512-byte buffer each, whatever 10000 directions claim (65535 bytes each).
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void A_segment_out_of_order_is_read_from_its_own_start()
    {
        var streams = new DnsTcpStreams();
        byte[] query = [0, 12, 0x12, 0x34, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(DnsSegment.None, streams.Feed(9, 100, [0], out _, out _)); // one byte: the length is not even known
        Assert.Equal(DnsSegment.Whole, streams.Feed(9, 500, query, out _, out var last));
        Assert.True(last.SequenceEqual(query.AsSpan(2)));
    }
}

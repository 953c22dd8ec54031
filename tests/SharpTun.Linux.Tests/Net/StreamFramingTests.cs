using System.Buffers.Binary;
using SharpTun.IO;
using Xunit.Abstractions;

namespace SharpTun.Linux.Tests.Net;

/// <summary>
/// The one stream framing (<see cref="StreamFraming"/>, <see cref="StreamFramer"/>, <see cref="StreamDeframer"/>):
/// byte vectors, seeded round trips split at every point and at random points, bad lengths refused from
/// the prefix alone with the peer named, and no allocation per frame. Pure: no sockets.
/// </summary>
public sealed class StreamFramingTests(ITestOutputHelper output)
{
    private const string Peer = "198.18.0.2:55555";

    [Fact]
    public void Encode_Vectors_BigEndianLengthThenTheBytes()
    {
        var dest = new byte[8];
        Assert.Equal(5, StreamFraming.Encode([0xaa, 0xbb, 0xcc], dest));
        Assert.Equal(new byte[] { 0x00, 0x03, 0xaa, 0xbb, 0xcc }, dest[..5]);
        Assert.Equal(3, StreamFraming.Encode([0x45], dest));
        Assert.Equal(new byte[] { 0x00, 0x01, 0x45 }, dest[..3]);
        var big = new byte[StreamFraming.HeaderSize + 65535];
        Assert.Equal(65537, StreamFraming.Encode(new byte[65535], big));
        Assert.Equal(0xff, big[0]);
        Assert.Equal(0xff, big[1]);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => StreamFraming.Encode([], dest));
        Assert.Contains("1..65535 bytes, got 0", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamFraming.Encode(new byte[65536], new byte[65538]));
    }

    [Fact]
    public void Deframer_SeveralFramesInOneRead_ComeOutInOrder_AsSlices()
    {
        byte[] wire = [0x00, 0x01, 0x41, 0x00, 0x02, 0x42, 0x43, 0x00, 0x03, 0x44, 0x45, 0x46, 0x00];
        var buffer = new byte[64];
        var d = new StreamDeframer(buffer, 16, Peer);
        Feed(d, wire);
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var a));
        Assert.Equal("A"u8.ToArray(), a.ToArray());
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var bc));
        Assert.Equal("BC"u8.ToArray(), bc.ToArray());
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var def));
        Assert.Equal("DEF"u8.ToArray(), def.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(def, out var segment));
        Assert.Same(buffer, segment.Array); // no copy: a slice of the receive buffer
        Assert.Equal(9, segment.Offset);
        Assert.Equal(StreamFrameStatus.NeedMore, d.Next(out _));
        Assert.Equal(1, d.Buffered);
        Assert.Equal("1 byte of a length prefix", d.DescribePartial());
        Feed(d, [0x05, 0x01, 0x02]);
        Assert.Equal(StreamFrameStatus.NeedMore, d.Next(out _));
        Assert.Equal("length 5, 2 bytes received", d.DescribePartial());
    }

    [Fact]
    public void Deframer_StreamSplitAtEveryPoint_RoundTrips()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        const int max = 1500;
        var messages = RandomMessages(rng, 24, max);
        var wire = Wire(messages);
        for (var split = 0; split <= wire.Length; split++)
        {
            var d = new StreamDeframer(new byte[StreamFraming.TwoFrames(max)], max, Peer);
            var got = new List<byte[]>();
            FeedAll(d, wire.AsSpan(0, split), got);
            FeedAll(d, wire.AsSpan(split), got);
            AssertSame(messages, got, $"split at {split} of {wire.Length}");
            Assert.Equal(0, d.Buffered);
        }
    }

    [Theory]
    [InlineData(1500, 0)]
    [InlineData(1500, 1)]
    [InlineData(65535, 0)]
    public void Deframer_RandomReadSizes_RoundTrips_InASmallOrLargeBuffer(int max, int extra)
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        var messages = RandomMessages(rng, 400, max);
        var wire = Wire(messages);
        // The smallest legal buffer (one largest frame) and the usual two-frame one.
        var d = new StreamDeframer(new byte[extra == 0 ? StreamFraming.HeaderSize + max : StreamFraming.TwoFrames(max)], max, Peer);
        var got = new List<byte[]>();
        var at = 0;
        while (at < wire.Length)
        {
            var space = d.ReceiveSpace();
            Assert.False(space.IsEmpty, "no room to receive after every whole frame was taken");
            var n = Math.Min(Math.Min(space.Length, wire.Length - at), rng.Next(1, 4 * max));
            wire.AsSpan(at, n).CopyTo(space);
            d.Received(n);
            at += n;
            Drain(d, got);
        }
        AssertSame(messages, got, $"seed {seed}");
        Assert.Equal(0, d.Buffered);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00 }, "frame length 0 from 198.18.0.2:55555 (valid: 1..1500)")]
    [InlineData(new byte[] { 0x05, 0xdd }, "frame length 1501 from 198.18.0.2:55555 (valid: 1..1500)")]
    [InlineData(new byte[] { 0xff, 0xff }, "frame length 65535 from 198.18.0.2:55555 (valid: 1..1500)")]
    public void Deframer_BadLength_RefusedFromThePrefixAlone_NamingThePeer_ForGood(byte[] prefix, string problem)
    {
        var d = new StreamDeframer(new byte[4096], 1500, Peer);
        Feed(d, [0x00, 0x02, 0x11, 0x22]); // a good frame first: it still comes out
        Feed(d, prefix);
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var good));
        Assert.Equal(new byte[] { 0x11, 0x22 }, good.ToArray());
        Assert.Null(d.Problem);
        Assert.Equal(StreamFrameStatus.Invalid, d.Next(out var none));
        Assert.True(none.IsEmpty);
        Assert.Equal(problem, d.Problem);
        Feed(d, [0x00, 0x01, 0x33]);
        Assert.Equal(StreamFrameStatus.Invalid, d.Next(out _));
    }

    [Fact]
    public void Deframer_Check_SeesTheLengthAndAtMostItsStartBytes_AndItsReasonIsReported()
    {
        var check = new FirstByteCheck();
        var d = new StreamDeframer(new byte[256], 100, Peer, check);
        Feed(d, [0x00, 0x03, 0x01]);
        Assert.Equal(StreamFrameStatus.NeedMore, d.Next(out _));
        Assert.Equal((3, 1), check.Last);
        Feed(d, [0x02, 0x03, 0x00, 0x02, 0x07]);
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var ok));
        Assert.Equal(new byte[] { 1, 2, 3 }, ok.ToArray());
        Assert.Equal(StreamFrameStatus.Invalid, d.Next(out _));
        Assert.Equal((2, 1), check.Last);
        Assert.Equal("frame from 198.18.0.2:55555 refused: first byte 0x07 is not 0x01", d.Problem);
    }

    [Fact]
    public void Deframer_Grow_KeepsThePartialFrame_AndRaisesTheLimit()
    {
        var d = new StreamDeframer(new byte[2 * (2 + 100)], 100, Peer);
        var message = new byte[3000];
        new Random(7).NextBytes(message);
        var frame = new byte[2 + message.Length];
        StreamFraming.Encode(message, frame);
        Feed(d, frame.AsSpan(0, 50));
        var small = new StreamDeframer(new byte[200], 100, Peer);
        Feed(small, frame.AsSpan(0, 2));
        Assert.Equal(StreamFrameStatus.Invalid, small.Next(out _)); // what Grow makes acceptable
        d.Grow(new byte[StreamFraming.TwoFrames(4000)], 4000);
        Assert.Equal(4000, d.MaxMessage);
        Assert.Equal(StreamFrameStatus.NeedMore, d.Next(out _));
        Feed(d, frame.AsSpan(50));
        Assert.Equal(StreamFrameStatus.Message, d.Next(out var got));
        Assert.Equal(message, got.ToArray());
    }

    [Fact]
    public void Deframer_RefusesABufferTooSmall_AndAReceiveBeyondItsRoom()
    {
        var e = Assert.Throws<ArgumentException>(() => new StreamDeframer(new byte[1501], 1500, Peer));
        Assert.Contains("cannot hold a frame of 1500 bytes", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamDeframer(new byte[10], 0, Peer));
        var d = new StreamDeframer(new byte[10], 8, Peer);
        Assert.Throws<ArgumentOutOfRangeException>(() => d.Received(11));
    }

    [Fact]
    public void Framer_QueuesFrames_TakesPartialWrites_RefusesWhatDoesNotFit()
    {
        var f = new StreamFramer(new byte[12]);
        Assert.False(f.HasPending);
        Assert.True(f.TryAppend([1, 2, 3]));
        Assert.True(f.TryAppend([4]));
        Assert.Equal(new byte[] { 0, 3, 1, 2, 3, 0, 1, 4 }, f.Pending.ToArray());
        Assert.False(f.TryAppend([5, 6, 7])); // 5 more bytes: 13 > 12
        Assert.Equal(8, f.Pending.Length);
        f.Consumed(6); // the socket took the first frame and one byte of the second
        Assert.Equal(new byte[] { 1, 4 }, f.Pending.ToArray());
        Assert.True(f.TryAppend([5, 6, 7, 8, 9, 10, 11, 12])); // fits after moving the rest to the front
        Assert.Equal(new byte[] { 1, 4, 0, 8, 5, 6, 7, 8, 9, 10, 11, 12 }, f.Pending.ToArray());
        f.Consumed(12);
        Assert.False(f.HasPending);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Consumed(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.TryAppend([]));
    }

    [Fact]
    public void Framer_OwnBuffer_AllocatedOnFirstAppend_DroppedOnRelease()
    {
        var f = new StreamFramer(1 << 20);
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = f.HasPending;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(f.TryAppend([9]));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before >= 1 << 20);
        f.Release();
        Assert.False(f.HasPending);
        Assert.True(f.Pending.IsEmpty);
        Assert.True(f.TryAppend([7]));
        Assert.Equal(new byte[] { 0, 1, 7 }, f.Pending.ToArray());
    }

    [Fact]
    public void FramerToDeframer_PerFrame_AllocatesNothing()
    {
        var framer = new StreamFramer(new byte[64 * 1024]);
        var deframer = new StreamDeframer(new byte[256 * 1024], 1500, Peer, new FirstByteCheck());
        var packet = new byte[1400];
        packet[0] = 1;
        Round(framer, deframer, packet); // warm-up
        var before = GC.GetAllocatedBytesForCurrentThread();
        var frames = 0;
        for (var round = 0; round < 500; round++)
        {
            frames += Round(framer, deframer, packet);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(500 * 40, frames);
        Assert.Equal(0, allocated);
    }

    private static int Round(StreamFramer framer, StreamDeframer deframer, byte[] packet)
    {
        for (var i = 0; i < 40; i++)
        {
            Assert.True(framer.TryAppend(packet));
        }
        var pending = framer.Pending;
        pending.CopyTo(deframer.ReceiveSpace());
        deframer.Received(pending.Length);
        framer.Consumed(pending.Length);
        var frames = 0;
        while (deframer.Next(out _) == StreamFrameStatus.Message)
        {
            frames++;
        }
        return frames;
    }

    private static void Feed(StreamDeframer d, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(d.ReceiveSpace());
        d.Received(bytes.Length);
    }

    /// <summary>Feeds <paramref name="bytes"/> in receives as large as the room allows, taking messages after each.</summary>
    private static void FeedAll(StreamDeframer d, ReadOnlySpan<byte> bytes, List<byte[]> got)
    {
        while (!bytes.IsEmpty)
        {
            var space = d.ReceiveSpace();
            var n = Math.Min(space.Length, bytes.Length);
            bytes[..n].CopyTo(space);
            d.Received(n);
            bytes = bytes[n..];
            Drain(d, got);
        }
        Drain(d, got);
    }

    private static void Drain(StreamDeframer d, List<byte[]> got)
    {
        StreamFrameStatus status;
        while ((status = d.Next(out var m)) == StreamFrameStatus.Message)
        {
            got.Add(m.ToArray());
        }
        Assert.Equal(StreamFrameStatus.NeedMore, status);
    }

    private static List<byte[]> RandomMessages(Random rng, int count, int max)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var length = (i % 5) switch
            {
                0 => 1,
                1 => max,
                _ => rng.Next(1, max + 1),
            };
            var m = new byte[length];
            rng.NextBytes(m);
            list.Add(m);
        }
        return list;
    }

    private static byte[] Wire(List<byte[]> messages)
    {
        var framer = new StreamFramer(messages.Sum(m => m.Length + StreamFraming.HeaderSize));
        foreach (var m in messages)
        {
            Assert.True(framer.TryAppend(m));
        }
        return framer.Pending.ToArray();
    }

    private static void AssertSame(List<byte[]> expected, List<byte[]> got, string what)
    {
        Assert.True(expected.Count == got.Count, $"{what}: {got.Count} messages, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(got[i]), $"{what}: message {i} ({expected[i].Length} bytes) differs");
        }
    }

    /// <summary>A check that wants frames to start with 0x01 and records what it saw.</summary>
    private sealed class FirstByteCheck : IStreamFrameCheck
    {
        public (int Length, int Start) Last { get; private set; }

        public int StartBytes => 1;

        public string? Check(int length, ReadOnlySpan<byte> start)
        {
            Last = (length, start.Length);
            return start.IsEmpty || start[0] == 1 ? null : $"first byte 0x{start[0]:x2} is not 0x01";
        }
    }
}

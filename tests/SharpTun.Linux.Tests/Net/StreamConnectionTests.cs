using System.Net;
using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Linux.Net;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tests.Net;

/// <summary>
/// <see cref="StreamConnection"/> over a real TCP connection on loopback (no root): batches both ways
/// through both send forms, backpressure (bounded output, ENOBUFS, flush when writable, nothing
/// reordered or torn), a connect in progress, the other end's close (clean and inside a frame), and a reset.
/// </summary>
public sealed class StreamConnectionTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Batches_GoBothWays_Framed_AndArriveWhole(string loopback)
    {
        using var pair = Pair.Open(IPAddress.Parse(loopback));
        const int offset = 12;
        var batch = Messages(64, offset, 1, 1400);
        Assert.Equal(0, pair.A.Send(batch, offset));
        var sizes = batch.Select(m => m.Length - offset).ToArray();
        Assert.Equal(0, pair.B.Send(batch, sizes, offset));
        AssertReceived(pair.B, batch, offset);
        AssertReceived(pair.A, batch, offset);
    }

    [Fact]
    public void Wire_IsTheTwoByteLengthThenTheMessage()
    {
        using var pair = Pair.Open(IPAddress.Loopback, rawB: true);
        Assert.Equal(0, pair.A.Send([new byte[] { 0xaa, 0xbb, 0xcc }, new byte[] { 0x45 }], 0));
        var got = new byte[8];
        var n = 0;
        Poll.Until(() => (n += pair.RawB!.Receive(got.AsSpan(n), SocketFlags.None, out _)) >= 8 || n < 0, "8 bytes on the wire", s_wait);
        Assert.Equal(new byte[] { 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0x00, 0x01, 0x45 }, got);
    }

    [Fact]
    public void FullOutput_SaysEnobufs_WaitsForWritable_ThenDeliversInOrder()
    {
        using var pair = Pair.Open(IPAddress.Loopback, outputCapacity: 64 * 1024);
        pair.A.Socket.SendBufferSize = 4096;
        pair.B.Socket.ReceiveBufferSize = 4096;
        var sent = new List<byte[]>();
        var errno = 0;
        for (var i = 0; i < 10_000 && errno == 0; i++)
        {
            var m = Messages(1, 0, i, 1000);
            errno = pair.A.Send(m, 0);
            if (errno == 0)
            {
                sent.Add(m[0].ToArray());
            }
        }
        Assert.Equal(Errno.ENOBUFS, errno);
        Assert.True(pair.A.WantWrite, "a send that stopped short asks to be flushed");
        Assert.True(pair.A.HasOutput);
        var got = new List<byte[]>();
        Poll.Until(() =>
        {
            Assert.True(pair.A.Flush(), "flush failed");
            Take(pair.B, got);
            return got.Count == sent.Count;
        }, $"{sent.Count} messages", s_wait);
        Assert.False(pair.A.HasOutput);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.True(sent[i].AsSpan().SequenceEqual(got[i]), $"message {i} differs");
        }
    }

    [Fact]
    public void Connecting_OutputWaits_UntilConnected()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        try
        {
            client.Connect(listener.LocalEndPoint!);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }
        using var a = new StreamConnection(client, Deframer("b"), new StreamFramer(4096), connecting: true);
        Assert.Equal(0, a.Send([new byte[] { 1, 2, 3 }], 0));
        Assert.True(a.HasOutput);
        Assert.False(a.WantWrite);
        using var b = new StreamConnection(listener.Accept(), Deframer("a"), new StreamFramer(4096));
        Poll.Until(() => client.Poll(0, SelectMode.SelectWrite), "the connect to complete", s_wait);
        Assert.True(a.Connected());
        Assert.False(a.HasOutput);
        AssertReceived(b, [new byte[] { 1, 2, 3 }], 0);
    }

    [Fact]
    public void OtherEndCloses_Ended_AndInsideAFrame_LeavesThePartialFrame()
    {
        using var pair = Pair.Open(IPAddress.Loopback, rawB: true);
        pair.RawB!.Send([0x00, 0x01, 0x41, 0x00, 0x09, 0x01, 0x02]);
        pair.RawB.Shutdown(SocketShutdown.Send);
        var got = new List<byte[]>();
        var result = StreamReceive.WouldBlock;
        Poll.Until(() =>
        {
            result = pair.A.Receive(out _);
            if (result == StreamReceive.Data)
            {
                while (pair.A.Input.Next(out var m) == StreamFrameStatus.Message)
                {
                    got.Add(m.ToArray());
                }
            }
            return result == StreamReceive.Ended;
        }, "the end of the stream", s_wait);
        Assert.Equal(new byte[] { 0x41 }, Assert.Single(got));
        Assert.Equal(4, pair.A.Input.Buffered);
        Assert.Equal("length 9, 2 bytes received", pair.A.Input.DescribePartial());
    }

    [Fact]
    public void Reset_TheOtherEndFails_AndASendAfterCloseIsNotConnected()
    {
        using var pair = Pair.Open(IPAddress.Loopback);
        pair.B.Close(reset: true);
        Assert.True(pair.B.Closed);
        Assert.Equal(Errno.ENOTCONN, pair.B.Send([new byte[] { 1 }], 0));
        var error = SocketError.Success;
        Poll.Until(() => pair.A.Receive(out error) == StreamReceive.Failed, "the reset to arrive", s_wait);
        Assert.Equal(SocketError.ConnectionReset, error);
        pair.B.Close(reset: false); // idempotent
    }

    private static void AssertReceived(StreamConnection c, Memory<byte>[] expected, int offset)
    {
        var got = new List<byte[]>();
        Poll.Until(() => Take(c, got) && got.Count >= expected.Length, $"{expected.Length} messages from {c.Peer}", s_wait);
        Assert.Equal(expected.Length, got.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Span[offset..].SequenceEqual(got[i]), $"message {i} differs");
        }
    }

    /// <summary>One receive and every whole message in it; false when the connection ended or failed.</summary>
    private static bool Take(StreamConnection c, List<byte[]> got)
    {
        var r = c.Receive(out var error);
        Assert.True(r is StreamReceive.Data or StreamReceive.WouldBlock, $"receive from {c.Peer}: {r} {error}");
        StreamFrameStatus status;
        while ((status = c.Input.Next(out var m)) == StreamFrameStatus.Message)
        {
            got.Add(m.ToArray());
        }
        Assert.Equal(StreamFrameStatus.NeedMore, status);
        return true;
    }

    private static Memory<byte>[] Messages(int count, int offset, int seed, int maxLength)
    {
        var rng = new Random(seed);
        var list = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var m = new byte[offset + rng.Next(1, maxLength + 1)];
            rng.NextBytes(m);
            list[i] = m;
        }
        return list;
    }

    private static StreamDeframer Deframer(string peer) => new(new byte[StreamFraming.TwoFrames(1500)], 1500, peer);

    private sealed class Pair : IDisposable
    {
        private Pair(StreamConnection a, StreamConnection b, Socket? rawB)
        {
            A = a;
            B = b;
            RawB = rawB;
        }

        internal StreamConnection A { get; }

        internal StreamConnection B { get; }

        /// <summary>B's socket, when the test speaks raw bytes from it (B is then not read).</summary>
        internal Socket? RawB { get; }

        internal static Pair Open(IPAddress loopback, bool rawB = false, int outputCapacity = 1 << 20)
        {
            using var listener = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(loopback, 0));
            listener.Listen(1);
            var client = new Socket(loopback.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            var server = listener.Accept();
            var a = new StreamConnection(client, Deframer("b"), new StreamFramer(outputCapacity));
            var b = new StreamConnection(server, Deframer("a"), new StreamFramer(outputCapacity));
            return new Pair(a, b, rawB ? server : null);
        }

        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
        }
    }
}

using System.Buffers.Binary;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Transport;

/// <summary>
/// The TCP fallback's input: the shared <see cref="StreamDeframer"/> with <see cref="WireGuardFrameCheck"/>
/// (the deframer's own split/length behaviour is tested in SharpTun.Linux.Tests: StreamFramingTests).
/// Round trips of real message kinds through arbitrary read splits, and every malformed frame refused for good.
/// </summary>
public sealed class WireGuardFrameCheckTests(ITestOutputHelper output)
{
    private const string Peer = "198.18.0.2:51820";

    [Fact]
    public void RandomMessages_ThroughRandomReadSplits_ComeOutWhole_InOrder()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        var messages = new List<byte[]>();
        for (var i = 0; i < 500; i++)
        {
            var m = i == 0 ? Message(1, WireGuardConstants.InitiationSize, rng) : rng.Next(4) switch
            {
                0 => Message(1, WireGuardConstants.InitiationSize, rng),
                1 => Message(2, WireGuardConstants.ResponseSize, rng),
                2 => Message(3, WireGuardConstants.CookieReplySize, rng),
                _ => Message(4, 32 + 16 * rng.Next(0, 4090), rng),
            };
            messages.Add(m);
        }
        var stream = new MemoryStream();
        var frame = new byte[StreamFraming.HeaderSize + StreamFraming.MaxMessage];
        foreach (var m in messages)
        {
            stream.Write(frame, 0, StreamFraming.Encode(m, frame));
        }
        var bytes = stream.ToArray();

        var reader = Answered();
        var got = new List<byte[]>();
        var at = 0;
        while (at < bytes.Length)
        {
            var space = reader.ReceiveSpace();
            Assert.False(space.IsEmpty);
            var n = Math.Min(Math.Min(space.Length, bytes.Length - at), rng.Next(1, 3000));
            bytes.AsSpan(at, n).CopyTo(space);
            reader.Received(n);
            at += n;
            StreamFrameStatus status;
            while ((status = reader.Next(out var message)) == StreamFrameStatus.Message)
            {
                got.Add(message.ToArray());
            }
            Assert.Equal(StreamFrameStatus.NeedMore, status);
        }
        Assert.Equal(messages.Count, got.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.True(messages[i].AsSpan().SequenceEqual(got[i]), $"message {i} ({messages[i].Length} bytes) differs");
        }
        Assert.Equal(0, reader.Buffered);
    }

    [Fact]
    public void OneByteAtATime_Initiation_ThenNothingMore()
    {
        var m = Message(1, WireGuardConstants.InitiationSize, new Random(1));
        var framed = new byte[StreamFraming.HeaderSize + m.Length];
        StreamFraming.Encode(m, framed);
        Assert.Equal(0, framed[0]);
        Assert.Equal(148, framed[1]);
        var reader = Unanswered();
        for (var i = 0; i < framed.Length - 1; i++)
        {
            framed.AsSpan(i, 1).CopyTo(reader.ReceiveSpace());
            reader.Received(1);
            Assert.Equal(StreamFrameStatus.NeedMore, reader.Next(out _));
        }
        framed.AsSpan(framed.Length - 1, 1).CopyTo(reader.ReceiveSpace());
        reader.Received(1);
        Assert.Equal(StreamFrameStatus.Message, reader.Next(out var got));
        Assert.True(m.AsSpan().SequenceEqual(got.Span));
        Assert.Equal(StreamFrameStatus.NeedMore, reader.Next(out _));
    }

    [Theory]
    [InlineData(0, 1, true, "frame length 0 from 198.18.0.2:51820 (valid: 1..65535)")]
    [InlineData(31, 4, true, "frame from 198.18.0.2:51820 refused: frame length 31 is not the length of any WireGuard message")]
    [InlineData(33, 4, true, "frame length 33 is not the length of any WireGuard message")]
    [InlineData(149, 1, true, "frame length 149 is not the length of any WireGuard message")]
    [InlineData(65535, 4, true, "frame length 65535 is not the length of any WireGuard message")]
    [InlineData(148, 2, true, "a 148-byte frame carries type word 0x00000002")]
    [InlineData(148, 0x01010101, true, "a 148-byte frame carries type word 0x01010101")]
    [InlineData(92, 5, true, "a 92-byte frame carries type word 0x00000005")]
    [InlineData(2064, 4, false, "frame length 2064 from 198.18.0.2:51820 (valid: 1..2048)")]
    [InlineData(65520, 4, false, "frame length 65520 from 198.18.0.2:51820 (valid: 1..2048)")]
    public void MalformedFrame_IsInvalid_AndStaysInvalid(int length, uint type, bool answered, string problem)
    {
        var reader = answered ? Answered() : Unanswered();
        var bytes = new byte[StreamFraming.HeaderSize + 4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(2), type);
        bytes.CopyTo(reader.ReceiveSpace());
        reader.Received(bytes.Length);
        Assert.Equal(StreamFrameStatus.Invalid, reader.Next(out var m));
        Assert.True(m.IsEmpty);
        Assert.Contains(problem, reader.Problem, StringComparison.Ordinal);
        // A valid frame afterwards does not revive the connection.
        var good = new byte[StreamFraming.HeaderSize + WireGuardConstants.InitiationSize];
        StreamFraming.Encode(Message(1, WireGuardConstants.InitiationSize, new Random(2)), good);
        good.CopyTo(reader.ReceiveSpace());
        reader.Received(good.Length);
        Assert.Equal(StreamFrameStatus.Invalid, reader.Next(out _));
    }

    [Theory]
    [InlineData(WireGuardConstants.InitiationSize, 1)]
    [InlineData(WireGuardConstants.ResponseSize, 2)]
    [InlineData(WireGuardConstants.CookieReplySize, 3)]
    [InlineData(32, 4)]
    [InlineData(1456, 4)]
    [InlineData(65520, 4)]
    public void EveryMessageKind_Passes_WithItsTypeWord(int length, uint type)
    {
        Span<byte> start = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(start, type);
        Assert.Null(WireGuardFrameCheck.Instance.Check(length, start));
        Assert.Null(WireGuardFrameCheck.Instance.Check(length, start[..2])); // type word not in yet
    }

    [Fact]
    public void BadLength_IsJudged_FromTheHeaderAlone_BeforeTheBodyArrives()
    {
        var reader = Answered();
        reader.ReceiveSpace()[0] = 0x00;
        reader.ReceiveSpace()[1] = 0x10; // 16 bytes: no WireGuard message is that short
        reader.Received(2);
        Assert.Equal(StreamFrameStatus.Invalid, reader.Next(out _));
    }

    [Fact]
    public void Unanswered_KeepsASmallBuffer_Grow_AcceptsData_AndKeepsPartialFrame()
    {
        var reader = Unanswered();
        Assert.True(reader.Capacity <= 4200, $"an unanswered connection holds {reader.Capacity} bytes");
        var init = new byte[StreamFraming.HeaderSize + WireGuardConstants.InitiationSize];
        StreamFraming.Encode(Message(1, WireGuardConstants.InitiationSize, new Random(3)), init);
        var data = new byte[StreamFraming.HeaderSize + 8000];
        var dataMessage = Message(4, 8000, new Random(4));
        StreamFraming.Encode(dataMessage, data);
        init.CopyTo(reader.ReceiveSpace());
        reader.Received(init.Length);
        data.AsSpan(0, 100).CopyTo(reader.ReceiveSpace());
        reader.Received(100);
        Assert.Equal(StreamFrameStatus.Message, reader.Next(out _));
        reader.Grow(new byte[WireGuardFrameCheck.AnsweredCapacity], StreamFraming.MaxMessage);
        Assert.Equal(WireGuardFrameCheck.AnsweredCapacity, reader.Capacity);
        Assert.Equal(StreamFrameStatus.NeedMore, reader.Next(out _));
        data.AsSpan(100).CopyTo(reader.ReceiveSpace());
        reader.Received(data.Length - 100);
        Assert.Equal(StreamFrameStatus.Message, reader.Next(out var got));
        Assert.True(dataMessage.AsSpan().SequenceEqual(got.Span));
    }

    [Fact]
    public void Next_WithTheCheck_AllocatesNothing()
    {
        var reader = Answered();
        var data = new byte[StreamFraming.HeaderSize + 1440];
        StreamFraming.Encode(Message(4, 1440, new Random(5)), data);
        for (var warm = 0; warm < 2; warm++)
        {
            data.CopyTo(reader.ReceiveSpace());
            reader.Received(data.Length);
            reader.Next(out _);
        }
        var messages = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            data.CopyTo(reader.ReceiveSpace());
            reader.Received(data.Length);
            messages += reader.Next(out _) == StreamFrameStatus.Message ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, messages);
        Assert.Equal(0, allocated);
    }

    private static StreamDeframer Answered() =>
        new(new byte[WireGuardFrameCheck.AnsweredCapacity], StreamFraming.MaxMessage, Peer, WireGuardFrameCheck.Instance);

    private static StreamDeframer Unanswered() =>
        new(new byte[WireGuardFrameCheck.UnansweredCapacity], WireGuardFrameCheck.MaxUnansweredMessage, Peer, WireGuardFrameCheck.Instance);

    private static byte[] Message(uint type, int length, Random rng)
    {
        var m = new byte[length];
        rng.NextBytes(m);
        BinaryPrimitives.WriteUInt32LittleEndian(m, type);
        return m;
    }
}

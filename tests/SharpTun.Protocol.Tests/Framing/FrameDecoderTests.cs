using SharpTun.Protocol.Framing;
using Xunit.Abstractions;

namespace SharpTun.Protocol.Tests.Framing;

public sealed class FrameDecoderTests(ITestOutputHelper output)
{
    [Fact]
    public void Header_is_two_bytes_big_endian()
    {
        var buf = new byte[2 + 300];
        var n = LengthPrefixFraming.Encode(new byte[300], buf);
        Assert.Equal(302, n);
        Assert.Equal(new byte[] { 0x01, 0x2C }, buf[..2]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Encoder_rejects_lengths_the_prefix_cannot_carry(int length)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthPrefixFraming.WriteHeader(new byte[2], length));
    }

    [Fact]
    public void Whole_packet_in_one_input_is_a_slice_of_it()
    {
        var stream = new byte[] { 0, 3, 0xAA, 0xBB, 0xCC, 0, 1, 0x11 };
        var decoder = new FrameDecoder(1500);
        ReadOnlySpan<byte> input = stream;
        Assert.Equal(FrameDecodeStatus.Packet, decoder.Decode(ref input, out var p1));
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, p1.ToArray());
        Assert.True(p1.Overlaps(stream), "expected zero-copy slice of the input");
        Assert.Equal(FrameDecodeStatus.Packet, decoder.Decode(ref input, out var p2));
        Assert.Equal(new byte[] { 0x11 }, p2.ToArray());
        Assert.Equal(FrameDecodeStatus.NeedMoreData, decoder.Decode(ref input, out _));
        Assert.False(decoder.HasPartialPacket);
    }

    [Fact]
    public void Zero_length_is_invalid_and_sticky()
    {
        var decoder = new FrameDecoder(1500);
        ReadOnlySpan<byte> input = new byte[] { 0, 0, 0, 1, 5 };
        Assert.Equal(FrameDecodeStatus.InvalidLength, decoder.Decode(ref input, out _));
        Assert.Equal(0, decoder.InvalidLengthValue);
        ReadOnlySpan<byte> more = new byte[] { 0, 1, 5 };
        Assert.Equal(FrameDecodeStatus.InvalidLength, decoder.Decode(ref more, out _));
        decoder.Reset();
        Assert.Equal(FrameDecodeStatus.Packet, decoder.Decode(ref more, out var p));
        Assert.Equal(5, p[0]);
    }

    [Theory]
    [InlineData(1501, 1500)]
    [InlineData(65535, 1518)]
    public void Length_above_the_limit_is_invalid_even_when_split(int length, int max)
    {
        var decoder = new FrameDecoder(max);
        ReadOnlySpan<byte> first = new[] { (byte)(length >> 8) };
        Assert.Equal(FrameDecodeStatus.NeedMoreData, decoder.Decode(ref first, out _));
        Assert.True(decoder.HasPartialPacket);
        ReadOnlySpan<byte> second = new[] { (byte)length, (byte)1 };
        Assert.Equal(FrameDecodeStatus.InvalidLength, decoder.Decode(ref second, out _));
        Assert.Equal(length, decoder.InvalidLengthValue);
    }

    [Fact]
    public void Truncated_packet_is_reported_as_partial()
    {
        var decoder = new FrameDecoder(1500);
        ReadOnlySpan<byte> input = new byte[] { 0x05, 0xDC, 1, 2, 3 };
        Assert.Equal(FrameDecodeStatus.NeedMoreData, decoder.Decode(ref input, out _));
        Assert.True(decoder.HasPartialPacket);
        Assert.Equal(1500, decoder.PendingLength);
        Assert.Equal(5, decoder.PartialBytes);
    }

    [Fact]
    public void Maximum_length_packet_round_trips()
    {
        var packet = new byte[65535];
        new Random(7).NextBytes(packet);
        var stream = new byte[65537];
        LengthPrefixFraming.Encode(packet, stream);
        var decoder = new FrameDecoder(65535);
        ReadOnlySpan<byte> a = stream.AsSpan(0, 30000);
        Assert.Equal(FrameDecodeStatus.NeedMoreData, decoder.Decode(ref a, out _));
        ReadOnlySpan<byte> b = stream.AsSpan(30000);
        Assert.Equal(FrameDecodeStatus.Packet, decoder.Decode(ref b, out var p));
        Assert.True(p.SequenceEqual(packet));
    }

    [Fact]
    public void Any_split_of_a_valid_stream_yields_the_same_packets()
    {
        var seed = Environment.GetEnvironmentVariable("FRAMING_SEED") is { } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (rerun with FRAMING_SEED={seed})");
        var rng = new Random(seed);
        const int max = 1600;
        var decoder = new FrameDecoder(max);
        var packets = new List<byte[]>();
        var stream = new byte[64 * 1024];
        for (var testCase = 0; testCase < 100_000; testCase++)
        {
            packets.Clear();
            var used = 0;
            var count = rng.Next(1, 8);
            for (var i = 0; i < count; i++)
            {
                // Mostly small packets so 100,000 cases stay fast; sometimes full size.
                var len = rng.Next(4) == 0 ? rng.Next(1, max + 1) : rng.Next(1, 64);
                var p = new byte[len];
                rng.NextBytes(p);
                packets.Add(p);
                used += LengthPrefixFraming.Encode(p, stream.AsSpan(used));
            }
            decoder.Reset();
            var got = 0;
            var pos = 0;
            while (pos < used)
            {
                var chunk = Math.Min(used - pos, rng.Next(3) == 0 ? rng.Next(1, 4) : rng.Next(1, used + 1));
                ReadOnlySpan<byte> input = stream.AsSpan(pos, chunk);
                pos += chunk;
                while (true)
                {
                    var status = decoder.Decode(ref input, out var packet);
                    if (status == FrameDecodeStatus.NeedMoreData)
                    {
                        Assert.True(input.IsEmpty);
                        break;
                    }
                    Assert.Equal(FrameDecodeStatus.Packet, status);
                    Assert.True(got < packets.Count, $"seed {seed} case {testCase}: extra packet");
                    Assert.True(packet.SequenceEqual(packets[got]), $"seed {seed} case {testCase}: packet {got} differs");
                    got++;
                }
            }
            Assert.True(got == packets.Count, $"seed {seed} case {testCase}: got {got} of {packets.Count} packets");
            Assert.False(decoder.HasPartialPacket);
        }
    }
}

using System.Diagnostics;
using Xunit.Abstractions;

namespace SharpTun.Packets.Tests;

public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// One million seeded random and mutated packets through the decoder, the summary printer,
    /// the filter and the responder: not one exception. Mutations flip bytes, rewrite length and
    /// header-length fields, truncate and extend the hand-built vectors.
    /// </summary>
    [Fact]
    public void A_million_random_and_mutated_packets_cause_no_exception()
    {
        var seed = Environment.GetEnvironmentVariable("SHARPTUN_FUZZ_SEED") is { } s ? int.Parse(s) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (rerun with SHARPTUN_FUZZ_SEED={seed})");
        var rng = new Random(seed);
        var raw = Vectors.Raw().Select(v => v.Bytes).ToArray();
        var eth = Vectors.Ethernet().Select(v => v.Bytes).ToArray();
        var filter = PacketFilter.Parse("(tcp port 80 or udp) and not host 198.19.0.2 or icmp6 or arp or vlan");
        var tracker = new TcpSequenceTracker();
        var responders = new[]
        {
            new PacketResponder(LinkType.Raw, MacAddress.Parse(Vectors.PeerMac)),
            new PacketResponder(LinkType.Ethernet, MacAddress.Parse(Vectors.PeerMac)),
        };
        var buffer = new byte[1600];
        var reply = new byte[1700];
        var text = new char[PacketSummary.MaxLineLength];
        var sw = Stopwatch.StartNew();
        long malformed = 0, replies = 0;
        const int total = 1_000_000;
        for (var i = 0; i < total; i++)
        {
            var link = (i & 1) == 0 ? LinkType.Raw : LinkType.Ethernet;
            var packet = Mutate(rng, link == LinkType.Raw ? raw : eth, buffer);
            try
            {
                var p = PacketDecoder.Decode(packet, link);
                malformed += p.IsMalformed ? 1 : 0;
                Assert.True(PacketSummary.TryFormatLine(i, i / 1000.0, p, text, out _, tracker));
                filter.Matches(p);
                var (kind, n) = responders[link == LinkType.Raw ? 0 : 1].Respond(packet, reply);
                if (kind != ResponseKind.None)
                {
                    replies++;
                    Assert.False(PacketDecoder.Decode(reply.AsSpan(0, n), link).IsMalformed);
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"packet {i} (seed {seed}) {Convert.ToHexString(packet)}: {e}");
            }
        }
        output.WriteLine($"{total} packets in {sw.Elapsed.TotalSeconds:0.0} s: {malformed} malformed, {replies} replies");
        Assert.True(malformed > total / 10 && malformed < total, $"mutations should mix valid and malformed packets ({malformed})");
        Assert.True(replies > 0);
    }

    private static Span<byte> Mutate(Random rng, byte[][] vectors, byte[] buffer)
    {
        var mode = rng.Next(8);
        if (mode == 0)
        {
            var len = rng.Next(0, 200);
            var r = buffer.AsSpan(0, len);
            rng.NextBytes(r);
            if (len > 0 && rng.Next(2) == 0)
            {
                r[0] = (byte)((rng.Next(2) == 0 ? 0x40 : 0x60) | (r[0] & 0x0F));
            }
            return r;
        }
        var v = vectors[rng.Next(vectors.Length)];
        v.CopyTo(buffer, 0);
        var length = v.Length;
        var flips = mode switch { 1 => 0, 2 => 1, 3 => 3, _ => rng.Next(1, 6) };
        for (var k = 0; k < flips; k++)
        {
            buffer[rng.Next(length)] = (byte)rng.Next(256);
        }
        if (mode is 1 or 4)
        {
            length = rng.Next(0, length + 1);
        }
        else if (mode == 5)
        {
            var extra = rng.Next(0, 60);
            rng.NextBytes(buffer.AsSpan(length, extra));
            length += extra;
        }
        else if (mode == 6 && length > 50)
        {
            // Length-ish fields of IPv4/IPv6/UDP/TCP headers and their Ethernet-shifted positions.
            ReadOnlySpan<int> positions = [0, 2, 3, 4, 5, 6, 12, 16, 17, 18, 20, 24, 26, 32, 40, 44, 45, 54, 58];
            var at = positions[rng.Next(positions.Length)];
            if (at < length)
            {
                buffer[at] = (byte)rng.Next(256);
            }
        }
        return buffer.AsSpan(0, length);
    }
}

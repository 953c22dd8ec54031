using System.Buffers.Binary;

namespace SharpTun.Netlink.Tests;

/// <summary>
/// <see cref="RtNetlinkClient.RouteAddMany"/>/<see cref="RtNetlinkClient.RouteDeleteMany"/> over a fake socket: many
/// requests per datagram (each with its own sequence number and NLM_F_ACK), byte-identical to the one-at-a-time
/// request, answers matched by sequence number whatever their datagrams, a failure confined to its own route.
/// </summary>
public class RouteBatchTests
{
    /// <summary>Splits a datagram into its netlink messages.</summary>
    private static List<byte[]> Messages(byte[] datagram)
    {
        var list = new List<byte[]>();
        for (var at = 0; at < datagram.Length;)
        {
            var len = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram.AsSpan(at));
            list.Add(datagram.AsSpan(at, len).ToArray());
            at += (len + 3) & ~3;
        }
        return list;
    }

    private static RouteSpec Route(int i) => new()
    {
        Destination = i % 2 == 0 ? IpPrefix.Parse($"198.18.{i >> 8}.{i & 255}/32") : IpPrefix.Parse($"2001:db8::{i:x}/128"),
        Device = "st0",
        IPv6 = i % 2 == 1,
    };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 1)]
    [InlineData(65, 2)]
    [InlineData(150, 3)]
    public void RouteAddMany_SendsBatchesOf64_EachMessageAsRouteAddWould(int count, int datagrams)
    {
        var failAt = count / 2;
        var failing = Msg.WithoutSeq(Single(Route(failAt)));
        // ACKs come back in reverse order and split over two datagrams: only sequence numbers tie them to requests.
        var socket = new FakeNetlinkSocket(d => FakeNetlinkSocket.Type(d) == 18
            ? [Msg.Link(FakeNetlinkSocket.Seq(d), 4, "st0")]
            : Split([.. Messages(d).Select(m => Msg.WithoutSeq(m).AsSpan().SequenceEqual(failing)
                ? Msg.Error(m, -17, "File exists") : Msg.Ack(m)).Reverse()]));
        using var c = new RtNetlinkClient(socket);
        var routes = Enumerable.Range(0, count).Select(Route).ToList();
        var results = c.RouteAddMany(routes);

        Assert.Equal(1 + datagrams, socket.Sent.Count); // the device is looked up once
        var sent = socket.Sent.Skip(1).SelectMany(Messages).ToList();
        Assert.Equal(count, sent.Count);
        Assert.Equal(Enumerable.Range(0, datagrams).Select(b => Math.Min(64, count - 64 * b)), socket.Sent.Skip(1).Select(d => Messages(d).Count));
        var seqs = sent.Select(FakeNetlinkSocket.Seq).ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], count).Select(s => (uint)s), seqs);
        for (var i = 0; i < count; i++)
        {
            // The same bytes the single RouteAdd sends (REQUEST|ACK|EXCL|CREATE), but for the sequence number.
            Assert.Equal(Msg.WithoutSeq(Single(routes[i])), Msg.WithoutSeq(sent[i]));
            if (i == failAt)
            {
                var e = Assert.IsType<NetlinkException>(results[i]);
                Assert.Equal($"cannot add route {routes[i]}: file exists (File exists)", e.Message);
                Assert.Equal(17, e.Errno);
            }
            else
            {
                Assert.Null(results[i]);
            }
        }
    }

    [Fact]
    public void RouteDeleteMany_SendsDeletes_AndEveryFailureIsReportedOnItsOwn()
    {
        var socket = new FakeNetlinkSocket(d => FakeNetlinkSocket.Type(d) == 18
            ? [Msg.Link(FakeNetlinkSocket.Seq(d), 4, "st0")]
            : [Msg.Concat([.. Messages(d).Select(m => FakeNetlinkSocket.Seq(m) % 3 == 0 ? Msg.Error(m, -3) : Msg.Ack(m))])]);
        using var c = new RtNetlinkClient(socket);
        var results = c.RouteDeleteMany([.. Enumerable.Range(0, 10).Select(Route)]);
        var sent = Messages(socket.Sent[1]);
        Assert.All(sent, m => Assert.Equal(25, FakeNetlinkSocket.Type(m))); // RTM_DELROUTE
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(FakeNetlinkSocket.Seq(sent[i]) % 3 == 0, results[i] is { Errno: 3 });
        }
        Assert.Contains(results, r => r is null);
    }

    /// <summary>The request the one-at-a-time <see cref="RtNetlinkClient.RouteAdd"/> sends for <paramref name="route"/>.</summary>
    private static byte[] Single(RouteSpec route)
    {
        var socket = new FakeNetlinkSocket(d => FakeNetlinkSocket.Type(d) == 18 ? [Msg.Link(FakeNetlinkSocket.Seq(d), 4, "st0")] : [Msg.Ack(d)]);
        using var c = new RtNetlinkClient(socket);
        c.RouteAdd(route);
        return socket.Sent[^1];
    }

    /// <summary>Answers in two datagrams (first half, rest).</summary>
    private static IEnumerable<byte[]> Split(List<byte[]> answers) =>
        answers.Count < 2 ? [Msg.Concat([.. answers])] : [Msg.Concat([.. answers.Take(answers.Count / 2)]), Msg.Concat([.. answers.Skip(answers.Count / 2)])];
}

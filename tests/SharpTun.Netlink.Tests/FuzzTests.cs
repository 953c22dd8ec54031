using System.Net;
using Xunit.Abstractions;

namespace SharpTun.Netlink.Tests;

/// <summary>
/// Truncated and mutated replies (seeded; the seed is printed) give a NetlinkException (usually a
/// NetlinkFormatException) or a result — never an exception from deep inside (index out of range, overflow, …).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static byte[][] ValidReplies(uint seq)
    {
        var link = Msg.Concat(Msg.LinkBody(2, "eth0"), Msg.Attr(18, Msg.Concat(Msg.Attr(1, Msg.Str("veth")))),
            Msg.Attr(23, new byte[24 * 8]), Msg.Attr(1, [2, 0, 0, 0, 0, 1]));
        var addr = Msg.Concat([2, 24, 0x80, 0, 2, 0, 0, 0], Msg.Attr(2, [198, 18, 0, 1]), Msg.Attr(1, [198, 18, 0, 1]),
            Msg.Attr(4, [198, 18, 0, 255]), Msg.Attr(3, Msg.Str("eth0")), Msg.Attr(6, new byte[16]));
        var route = Msg.Concat([2, 24, 0, 0, 254, 2, 253, 1, 0, 0, 0, 0], Msg.Attr(15, Msg.U32(254)),
            Msg.Attr(1, [198, 18, 0, 0]), Msg.Attr(4, Msg.U32(2)), Msg.Attr(7, [198, 18, 0, 1]));
        return
        [
            Msg.Concat(Msg.Message(16, 2, seq, link), Msg.Message(16, 2, seq, link)),
            Msg.Concat(Msg.Message(20, 2, seq, addr), Msg.Message(24, 2, seq, route), Msg.Done(seq)),
        ];
    }

    private static void Survives(Action action)
    {
        try
        {
            action();
        }
        catch (NetlinkException)
        {
        }
        catch (FakeNetlinkSocket.ExhaustedException)
        {
            // The mutation hid the end of the reply; a real socket would wait for more.
        }
    }

    [Fact]
    public void TruncatedAndMutatedReplies_GiveNetlinkErrorsOnly()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        for (var i = 0; i < 3000; i++)
        {
            var mode = rng.Next(3);
            var socket = new FakeNetlinkSocket(req =>
            {
                var replies = ValidReplies(FakeNetlinkSocket.Seq(req));
                var k = rng.Next(replies.Length);
                var d = replies[k];
                switch (mode)
                {
                    case 0:
                        d = d[..rng.Next(0, d.Length)];
                        break;
                    case 1:
                        for (var m = rng.Next(1, 6); m > 0; m--)
                        {
                            d[rng.Next(d.Length)] = (byte)rng.Next(256);
                        }
                        break;
                    default:
                        d[rng.Next(d.Length)] ^= (byte)(1 << rng.Next(8));
                        d = d[..rng.Next(d.Length / 2, d.Length + 1)];
                        break;
                }
                replies[k] = d;
                return replies;
            });
            using var c = new RtNetlinkClient(socket);
            switch (i % 3)
            {
                case 0: Survives(() => c.GetLinks()); break;
                case 1: Survives(() => c.GetAddresses()); break;
                default: Survives(() => c.GetRoutes()); break;
            }
        }
    }

    [Fact]
    public void MutatedBodies_ParseOrGiveFormatErrors()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        var bodies = new (byte[] Body, Action<byte[]> Parse)[]
        {
            (Msg.Concat(Msg.LinkBody(2, "eth0"), Msg.Attr(18, Msg.Attr(1, Msg.Str("veth"))), Msg.Attr(23, new byte[200])), b => LinkInfo.Parse(b)),
            (Msg.Concat([10, 64, 0, 0, 2, 0, 0, 0], Msg.Attr(1, IPAddress.Parse("2001:db8::1").GetAddressBytes()), Msg.Attr(8, Msg.U32(0x80))), b => AddressInfo.Parse(b)),
            (Msg.Concat([2, 24, 0, 0, 0, 4, 0, 1, 0, 0, 0, 0], Msg.Attr(15, Msg.U32(1000)), Msg.Attr(5, [10, 0, 0, 1]), Msg.Attr(6, Msg.U32(7))), b => RouteInfo.Parse(b)),
            (Msg.Concat(new byte[72], Msg.Attr(11, [1])), b => SockDiagClient.ParseInet(b, "tcp")),
            (Msg.Concat([1, 1, 10, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Msg.Attr(0, Msg.Str("/tmp/x")), Msg.Attr(4, new byte[8]), Msg.Attr(2, Msg.U32(9))), b => SockDiagClient.ParseUnix(b)),
            (Msg.Concat(BitConverter.GetBytes(-22), new byte[16], Msg.Attr(1, Msg.Str("bad"))), b => NetlinkConnection.ParseError(b, 0x300, out _)),
            (Msg.Concat(BitConverter.GetBytes(-22), Msg.U32(36), new byte[32], Msg.Attr(1, Msg.Str("bad"))), b => NetlinkConnection.ParseError(b, 0x200, out _)),
        };
        foreach (var (body, parse) in bodies)
        {
            parse(body);
            for (var i = 0; i < 2000; i++)
            {
                var d = (byte[])body.Clone();
                for (var m = rng.Next(0, 4); m > 0; m--)
                {
                    d[rng.Next(d.Length)] = (byte)rng.Next(256);
                }
                d = d[..rng.Next(0, d.Length + 1)];
                try
                {
                    parse(d);
                }
                catch (NetlinkFormatException)
                {
                }
            }
        }
    }
}

using System.Buffers.Binary;
using System.Net;

namespace SharpTun.Netlink.Tests;

/// <summary>sock_diag requests and replies over the fake socket: request layout, decoding, ss-style text.</summary>
public class SockDiagTests
{
    private static byte[] InetMsg(byte family, byte state, string local, int lport, string peer, int pport, uint rq, uint wq, uint inode, bool? v6only = null)
    {
        var b = new byte[72];
        b[0] = family;
        b[1] = state;
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)lport);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(6), (ushort)pport);
        IPAddress.Parse(local).GetAddressBytes().CopyTo(b, 8);
        IPAddress.Parse(peer).GetAddressBytes().CopyTo(b, 24);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(56), rq);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(60), wq);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(68), inode);
        return v6only is null ? b : Msg.Concat(b, Msg.Attr(11, [(byte)(v6only.Value ? 1 : 0)]));
    }

    [Fact]
    public void ListTcp_SendsInetDiagReqV2PerFamily_AndDecodesLikeSs()
    {
        var socket = new FakeNetlinkSocket(req =>
        {
            var seq = FakeNetlinkSocket.Seq(req);
            var family = req[16];
            var msgs = family == 2
                ? new[] { Msg.Message(20, 2, seq, InetMsg(2, 10, "0.0.0.0", 5000, "0.0.0.0", 0, 0, 5, 1111)),
                          Msg.Message(20, 2, seq, InetMsg(2, 1, "127.0.0.1", 5000, "127.0.0.1", 40000, 3, 4, 2222)) }
                : [Msg.Message(20, 2, seq, InetMsg(10, 10, "::", 5001, "::", 0, 0, 5, 3333, v6only: false))];
            return [Msg.Concat([.. msgs.SelectMany(m => m), .. Msg.Done(seq)])];
        });
        using var c = new SockDiagClient(socket);
        var list = c.List(new SocketQuery { Tcp = true, All = true });
        Assert.Equal(2, socket.Sent.Count);
        // SOCK_DIAG_BY_FAMILY, REQUEST|DUMP; inet_diag_req_v2: family, IPPROTO_TCP, ext 0, pad, states = all.
        Assert.Equal(Msg.Hex("48000000 1400 0103 01000000 00000000 02060000 fe1f0000"), socket.Sent[0][..24]);
        Assert.Equal(72, socket.Sent[0].Length);
        Assert.Equal(10, socket.Sent[1][16]);
        Assert.Equal(["LISTEN 0 5 0.0.0.0:5000 0.0.0.0:* 1111", "ESTAB 3 4 127.0.0.1:5000 127.0.0.1:40000 2222", "LISTEN 0 5 *:5001 *:* 3333"],
            list.Select(s => $"{SocketStates.Name(s.State)} {s.ReceiveQueue} {s.SendQueue} {SocketAddressText.Local(s)} {SocketAddressText.Peer(s)} {s.Inode}"));
    }

    [Fact]
    public void ListUnix_AsksForNamePeerRqlen_AndShowsAbstractNamesWithAt()
    {
        var socket = new FakeNetlinkSocket(req =>
        {
            var seq = FakeNetlinkSocket.Seq(req);
            var listener = Msg.Concat([1, 1, 10, 0], Msg.U32(77), new byte[8], Msg.Attr(0, [0, .. "stabs"u8.ToArray()]), Msg.Attr(4, Msg.Concat(Msg.U32(0), Msg.U32(5))));
            var conn = Msg.Concat([1, 2, 1, 0], Msg.U32(78), new byte[8], Msg.Attr(2, Msg.U32(79)), Msg.Attr(4, Msg.Concat(Msg.U32(0), Msg.U32(0))));
            return [Msg.Concat(Msg.Message(20, 2, seq, listener), Msg.Message(20, 2, seq, conn), Msg.Done(seq))];
        });
        using var c = new SockDiagClient(socket);
        var list = c.List(new SocketQuery { Unix = true, All = true });
        // unix_diag_req: AF_UNIX, protocol 0, pad, states, ino 0, show = NAME|PEER|RQLEN, cookie.
        Assert.Equal(Msg.Hex("01000000 fe1f0000 00000000 15000000 00000000 00000000"), socket.Sent[0][16..]);
        Assert.Equal(["u_str LISTEN 0 5 @stabs 77 * 0", "u_dgr ESTAB 0 0 * 78 * 79"],
            list.Select(s => $"{s.NetId} {SocketStates.Name(s.State)} {s.ReceiveQueue} {s.SendQueue} {SocketAddressText.Local(s)} {SocketAddressText.Peer(s)}"));
    }

    [Theory]
    [InlineData(false, false, null, 0x1ffe & ~(1 << 10 | 1 << 7 | 1 << 6 | 1 << 3))]
    [InlineData(true, false, null, 1 << 10 | 1 << 7)]
    [InlineData(false, true, null, 0x1ffe)]
    [InlineData(false, false, "established", 1 << 1)]
    [InlineData(false, true, "time-wait", 1 << 6)]
    public void StateMask_AsSs(bool listening, bool all, string? state, int expected)
    {
        var q = new SocketQuery { Listening = listening, All = all, States = state is null ? null : SocketStates.Parse(state) };
        Assert.Equal((uint)expected, q.StateMask);
    }
}

namespace SharpTun.Netlink.Tests;

/// <summary>The client over a fake socket: sequence numbers, ACKs, multi-part dumps, error replies.</summary>
public class ConnectionTests
{
    [Fact]
    public void Sequence_IncrementsPerRequest_AndStaleRepliesAreSkipped()
    {
        var socket = new FakeNetlinkSocket(req =>
        {
            var seq = FakeNetlinkSocket.Seq(req);
            return FakeNetlinkSocket.Type(req) == 18
                // A leftover reply to an older request first, then the real one.
                ? [Msg.Link(seq - 1, 99, "stale"), Msg.Link(seq, 3, "st0")]
                : [Msg.Concat(Msg.Error(req, -19) is var stale ? Stale(stale) : [], Msg.Ack(req))];
        });
        using var c = new RtNetlinkClient(socket);
        c.LinkSetDown("st0");
        Assert.Equal(2, socket.Sent.Count);
        Assert.Equal(1u, FakeNetlinkSocket.Seq(socket.Sent[0]));
        Assert.Equal(2u, FakeNetlinkSocket.Seq(socket.Sent[1]));
        Assert.Equal(3, c.GetLink("st0").Index);
        Assert.Equal(3u, FakeNetlinkSocket.Seq(socket.Sent[2]));
    }

    private static byte[] Stale(byte[] error)
    {
        var c = (byte[])error.Clone();
        c[8] ^= 0x80;
        return c;
    }

    [Fact]
    public void Dump_CollectsMultipartRepliesAcrossDatagrams_UntilDone()
    {
        var socket = new FakeNetlinkSocket(req =>
        {
            var seq = FakeNetlinkSocket.Seq(req);
            return
            [
                Msg.Concat(Msg.Link(seq, 1, "lo", 2), Msg.Link(seq, 2, "eth0", 2)),
                Msg.Concat(Msg.Link(seq, 3, "veth0", 2)),
                Msg.Concat(Msg.Link(seq, 4, "br0", 2), Msg.Done(seq)),
            ];
        });
        using var c = new RtNetlinkClient(socket);
        var links = c.GetLinks();
        Assert.Equal(["lo", "eth0", "veth0", "br0"], links.Select(l => l.Name));
        Assert.Equal([1, 2, 3, 4], links.Select(l => l.Index));
        // The dump request: RTM_GETLINK with NLM_F_REQUEST|NLM_F_DUMP.
        Assert.Equal(0x301, BitConverter.ToUInt16(socket.Sent[0], 6));
    }

    [Fact]
    public void ErrorReply_WithExtendedAck_NamesOperationObjectReasonAndKernelText()
    {
        var socket = new FakeNetlinkSocket(req => FakeNetlinkSocket.Type(req) == 18
            ? [Msg.Link(FakeNetlinkSocket.Seq(req), 4, "st0")]
            : [Msg.Error(req, -22, "Nexthop has invalid gateway", capped: false)]);
        using var c = new RtNetlinkClient(socket);
        var e = Assert.Throws<NetlinkException>(() => c.RouteAdd(new RouteSpec
        {
            Destination = IpPrefix.Parse("198.18.9.0/24"),
            Gateway = System.Net.IPAddress.Parse("198.19.9.9"),
            Device = "st0",
        }));
        Assert.Equal("cannot add route 198.18.9.0/24 via 198.19.9.9 dev st0: invalid argument (Nexthop has invalid gateway)", e.Message);
        Assert.Equal(22, e.Errno);
        Assert.Equal("Nexthop has invalid gateway", e.KernelMessage);
    }

    [Fact]
    public void ErrorReply_WithoutExtendedAck_NamesTheReason()
    {
        var socket = new FakeNetlinkSocket(req => [Msg.Error(req, -19)]);
        using var c = new RtNetlinkClient(socket);
        var e = Assert.Throws<NetlinkException>(() => c.AddressAdd("nope0", IpPrefix.Parse("10.0.0.1/24")));
        Assert.Equal("cannot add address 10.0.0.1/24 to 'nope0': no such device", e.Message);
        Assert.Null(e.KernelMessage);
        Assert.Single(socket.Sent);
    }

    [Fact]
    public void ErrorInsideADump_Throws()
    {
        var socket = new FakeNetlinkSocket(req => [Msg.Concat(Msg.Link(FakeNetlinkSocket.Seq(req), 1, "lo", 2), Msg.Error(req, -16))]);
        using var c = new RtNetlinkClient(socket);
        var e = Assert.Throws<NetlinkException>(() => c.GetLinks());
        Assert.Equal("cannot list links: device or resource busy", e.Message);
    }

    [Fact]
    public void Dispose_ClosesTheSocket()
    {
        var socket = new FakeNetlinkSocket(_ => []);
        new RtNetlinkClient(socket).Dispose();
        Assert.True(socket.Disposed);
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Net;
using SharpTun.Testing.Fakes;

namespace SharpTun.WireGuard.Host.Tests.Transport;

/// <summary>
/// The composite bind over loopback with real sockets: frames in both directions with the transport
/// marked, a dialed connection, and hostile connections (garbage, bad lengths, idle, a flood) closed
/// with nothing delivered and memory bounded.
/// </summary>
public sealed class TcpFallbackBindTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Frames_ArriveMarkedTcp_AndTheReplyGoesBackFramedOnTheSameConnection()
    {
        using var r = new BindRunner(Open(out var bind, out var port));
        using var client = Connect(port);
        var init = Message(1, WireGuardConstants.InitiationSize, 7);
        client.Send(Framed(init));
        var (data, from) = r.Next(s_wait);
        Assert.Equal(init, data);
        Assert.Equal(DatagramTransport.Tcp, from.Transport);
        Assert.Equal(((IPEndPoint)client.LocalEndPoint!).Port, from.Remote.Port);

        // Reply (a response and then data) to that endpoint: framed on the same connection.
        var response = Message(2, WireGuardConstants.ResponseSize, 8);
        var payload = Message(4, 1440, 9);
        Assert.Equal(0, bind.Send(new Memory<byte>[] { response, payload }, 0, from));
        Assert.Equal(response, ReadFrame(client));
        Assert.Equal(payload, ReadFrame(client));

        // Answered now: full-size data frames are accepted from it.
        var big = Message(4, 65520, 10);
        client.Send(Framed(big));
        Assert.Equal(big, r.Next(s_wait).Data);
        Assert.Equal(1, bind.ConnectionCount);
        Assert.Equal(2, bind.Counters.FramesReceived);
    }

    [Fact]
    public void DialTarget_SendOverTcp_Connects_AndTheOtherBindReceives()
    {
        using var server = new BindRunner(Open(out var serverBind, out var port));
        using var clientRunner = new BindRunner(Open(out var clientBind, out _, listen: false));
        var target = NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, port));
        Assert.Equal(Netlink.Errno.ENOTCONN, clientBind.Send(new Memory<byte>[] { new byte[148] }, 0, new DatagramEndpoint(target, DatagramTransport.Tcp)));
        clientBind.AddDialTarget(target);
        var init = Message(1, WireGuardConstants.InitiationSize, 11);
        Assert.Equal(0, clientBind.Send(new Memory<byte>[] { init }, 0, new DatagramEndpoint(target, DatagramTransport.Tcp)));
        var (data, from) = server.Next(s_wait);
        Assert.Equal(init, data);
        var response = Message(2, WireGuardConstants.ResponseSize, 12);
        Assert.Equal(0, serverBind.Send(new Memory<byte>[] { response }, 0, from));
        var back = clientRunner.Next(s_wait);
        Assert.Equal(response, back.Data);
        Assert.Equal(new DatagramEndpoint(target, DatagramTransport.Tcp), back.From);
        Assert.Equal(1, clientBind.Counters.Dialed);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("zero length")]
    [InlineData("short length")]
    [InlineData("big data before handshake")]
    [InlineData("wrong type")]
    public void HostileFrame_ClosesTheConnection_NothingDelivered(string kind)
    {
        using var r = new BindRunner(Open(out var bind, out var port));
        using var client = Connect(port);
        byte[] bytes = kind switch
        {
            "garbage" => "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(),
            "zero length" => [0, 0, 1, 0, 0, 0],
            "short length" => [0, 20, .. new byte[20]],
            "big data before handshake" => Framed(Message(4, 4000, 13)),
            _ => Framed(Message(7, WireGuardConstants.InitiationSize, 14)),
        };
        client.Send(bytes);
        AssertClosedByPeer(client);
        Assert.False(r.Received.TryTake(out _, TimeSpan.FromMilliseconds(200)), "a hostile frame was delivered");
        Poll.Until(() => bind.ConnectionCount == 0, "the bind to forget the connection", s_wait);
        Assert.Equal(1, bind.Counters.ClosedInvalid);
        r.EnsureAlive();

        // The listener still serves a well-behaved client.
        using var good = Connect(port);
        good.Send(Framed(Message(1, WireGuardConstants.InitiationSize, 15)));
        Assert.Equal(WireGuardConstants.InitiationSize, r.Next(s_wait).Data.Length);
    }

    [Fact]
    public void IdleAndFloodingConnections_AreBounded_AndClosedByDeadline()
    {
        var clock = new ManualTimeProvider();
        var options = new TcpFallbackOptions { MaxUnanswered = 8 };
        using var r = new BindRunner(Open(out var bind, out var port, options: options, time: clock));
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                clients.Add(Connect(port));
            }
            Poll.Until(() => bind.Counters.Accepted == 40, "40 connections accepted", s_wait);
            Assert.True(bind.ConnectionCount <= 8, $"{bind.ConnectionCount} unanswered connections kept, cap 8");
            Assert.Equal(32, bind.Counters.ClosedTimeout);

            clock.Advance(options.FirstFrameTimeout);
            Poll.Until(() => bind.ConnectionCount == 0, "idle connections closed after the first-frame deadline", s_wait);
            foreach (var c in clients)
            {
                AssertClosedByPeer(c);
            }
            Assert.Empty(r.Received);
        }
        finally
        {
            foreach (var c in clients)
            {
                c.Dispose();
            }
        }
    }

    private static TcpFallbackBind Open(out TcpFallbackBind bind, out ushort port, bool listen = true, TcpFallbackOptions? options = null, TimeProvider? time = null)
    {
        var udp = UdpBind.Open(new UdpBindOptions { Port = 0 });
        options ??= new TcpFallbackOptions();
        bind = new TcpFallbackBind(udp, options with { ListenPort = listen ? FreeTcpPort() : (ushort)0 }, HostLog.None, "test", time);
        port = bind.TcpPort;
        return bind;
    }

    private static ushort FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.IPv6Any, 0);
        probe.Start();
        return (ushort)((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static Socket Connect(ushort port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        s.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    private static void AssertClosedByPeer(Socket s)
    {
        var buffer = new byte[16];
        try
        {
            Assert.Equal(0, s.Receive(buffer));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
    }

    private static byte[] ReadFrame(Socket s)
    {
        var header = ReadExactly(s, 2);
        return ReadExactly(s, BinaryPrimitives.ReadUInt16BigEndian(header));
    }

    private static byte[] ReadExactly(Socket s, int n)
    {
        var b = new byte[n];
        for (var at = 0; at < n;)
        {
            var got = s.Receive(b, at, n - at, SocketFlags.None);
            Assert.True(got > 0, "connection closed mid-frame");
            at += got;
        }
        return b;
    }

    private static byte[] Framed(byte[] message)
    {
        var f = new byte[StreamFraming.HeaderSize + message.Length];
        StreamFraming.Encode(message, f);
        return f;
    }

    private static byte[] Message(uint type, int length, int seed)
    {
        var m = new byte[length];
        new Random(seed).NextBytes(m);
        BinaryPrimitives.WriteUInt32LittleEndian(m, type);
        return m;
    }
}

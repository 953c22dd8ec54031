using System.Diagnostics;
using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Linux.Net;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tests.IO;

/// <summary><see cref="UdpBind"/> over loopback (no root): batches, endpoints, truncation, shutdown, errors, allocation.</summary>
public sealed class UdpBindLoopbackTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void Batches_go_both_ways_with_source_and_local_address_reported(string loopback)
    {
        var lo = IPAddress.Parse(loopback);
        using var a = UdpBind.Open(new UdpBindOptions());
        using var b = UdpBind.Open(new UdpBindOptions());
        Assert.NotEqual(0, a.LocalPort);
        var ha = new BindHarness(a);
        var hb = new BindHarness(b);
        const int n = 40;
        const int offset = 12;
        var toB = new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(lo, b.LocalPort)));
        Assert.Equal(0, a.Send(BindHarness.Datagrams(n, offset, 0xA1), offset, toB));

        var seen = new bool[n];
        DatagramEndpoint from = default;
        var largest = hb.ReceiveExactly(n, offset, (p, size, ep) =>
        {
            seen[BindHarness.Check(p, size, 0xA1, offset)] = true;
            from = ep;
        });
        Assert.All(seen, Assert.True);
        Assert.True(largest > 1, "every receive returned one datagram: the batch was not used");
        Assert.Equal(NetEndpoint.From(new IPEndPoint(lo, a.LocalPort)), from.Remote);
        Assert.Equal(NetEndpoint.From(new IPEndPoint(lo, 0)), from.Local);
        Assert.Equal(1, from.InterfaceIndex); // lo

        // The reply goes to the endpoint as received (with its local hint).
        Assert.Equal(0, b.Send(BindHarness.Datagrams(n, offset, 0xB2), offset, from));
        DatagramEndpoint back = default;
        ha.ReceiveExactly(n, offset, (p, size, ep) =>
        {
            BindHarness.Check(p, size, 0xB2, offset);
            back = ep;
        });
        Assert.Equal(toB.Remote, back.Remote);
    }

    [Fact]
    public void A_datagram_longer_than_its_buffer_is_reported_as_minus_one_and_the_next_is_whole()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        var hb = new BindHarness(b, size: 64);
        var to = new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint));
        Assert.Equal(0, a.Send(new Memory<byte>[] { new byte[65] }, 0, to));
        Assert.Equal(0, a.Send(new Memory<byte>[] { new byte[64] }, 0, to));
        var sizes = new List<int>();
        hb.ReceiveExactly(2, 0, (_, size, _) => sizes.Add(size));
        Assert.Equal([-1, 64], sizes);
    }

    [Fact]
    public void Shutdown_wakes_a_blocked_receive_within_50_ms()
    {
        using var b = UdpBind.Open(new UdpBindOptions());
        var hb = new BindHarness(b);
        var result = -1;
        long returnedAt = 0;
        string? task = null;
        var reader = new Thread(() =>
        {
            Volatile.Write(ref task, File.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)!.FullName);
            result = b.Receive(hb.Buffers, hb.Sizes, hb.Endpoints, 0);
            returnedAt = Stopwatch.GetTimestamp();
        });
        reader.Start();
        Poll.Until(() => Volatile.Read(ref task) is { } t && File.ReadAllText(Path.Combine(t, "wchan")).Contains("epoll", StringComparison.Ordinal),
            "the receiver to block in epoll_wait", interval: TimeSpan.FromMilliseconds(5));
        var shutdownAt = Stopwatch.GetTimestamp();
        b.Shutdown();
        Assert.True(reader.Join(TimeSpan.FromSeconds(5)), "Shutdown did not wake the blocked Receive");
        var elapsed = Stopwatch.GetElapsedTime(shutdownAt, returnedAt);
        Assert.Equal(0, result);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(50), $"the blocked Receive returned {elapsed.TotalMilliseconds:0.0} ms after Shutdown");
        Assert.Equal(0, b.Receive(hb.Buffers, hb.Sizes, hb.Endpoints, 0));
    }

    [Fact]
    public void Steady_state_send_and_receive_do_not_allocate()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.IPv6Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.IPv6Loopback });
        var hb = new BindHarness(b);
        var datagrams = BindHarness.Datagrams(32, 16, 1);
        var to = new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint));
        var count = 0;
        void Round()
        {
            if (a.Send(datagrams, 16, to) != 0)
            {
                throw new InvalidOperationException("send failed"); // not Assert: xunit's comparer allocates
            }
            var got = 0;
            while (got < datagrams.Length)
            {
                got += b.Receive(hb.Buffers, hb.Sizes, hb.Endpoints, 0);
            }
            count += got;
        }
        for (var i = 0; i < 20; i++)
        {
            Round();
        }
        count = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 40; i++)
        {
            Round();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(40 * 32, count);
        Assert.True(allocated < 256, $"{count} datagrams sent and received allocated {allocated} bytes");
    }

    [Fact]
    public void A_port_in_use_is_an_error_naming_the_address_and_the_cause()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        var e = Assert.Throws<PacketIOException>(() => UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Port = a.LocalPort }));
        Assert.Equal($"cannot bind UDP socket to 127.0.0.1:{a.LocalPort}: address already in use (EADDRINUSE)", e.Message);
        var foreign = Assert.Throws<PacketIOException>(() => UdpBind.Open(new UdpBindOptions { Address = IPAddress.Parse("192.0.2.1") }));
        Assert.Equal("cannot bind UDP socket to 192.0.2.1:0: cannot assign requested address (EADDRNOTAVAIL) (it is not an address of this host)", foreign.Message);
    }

    [Fact]
    public void An_IPv6_destination_on_an_IPv4_socket_is_refused_without_a_system_call()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        var to = new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.IPv6Loopback, 9)));
        Assert.Equal(Errno.EAFNOSUPPORT, a.Send(new Memory<byte>[] { new byte[4] }, 0, to));
        Assert.Equal(Errno.EDESTADDRREQ, a.Send(new Memory<byte>[] { new byte[4] }, 0, default));
    }

    [RootFact]
    public void Firewall_mark_and_forced_buffer_sizes_are_set_on_the_socket()
    {
        using var a = UdpBind.Open(new UdpBindOptions { FirewallMark = 0x2a });
        Assert.Equal(0x2a, GetInt(a, SockOpt.SO_MARK));
        a.SetFirewallMark(0x51);
        Assert.Equal(0x51, GetInt(a, SockOpt.SO_MARK));
        // The kernel reports twice the size asked for (its bookkeeping overhead).
        Assert.Equal(2 * UdpBindOptions.DefaultBufferSize, GetInt(a, SockOpt.SO_RCVBUF));
        Assert.Equal(2 * UdpBindOptions.DefaultBufferSize, GetInt(a, SockOpt.SO_SNDBUF));
    }

    private static int GetInt(UdpBind bind, int name)
    {
        var value = new byte[4];
        bind.Socket.GetRawSocketOption(SockOpt.SOL_SOCKET, name, value);
        return BitConverter.ToInt32(value);
    }
}

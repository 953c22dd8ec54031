using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.IO;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests.IO;

/// <summary>The <see cref="Poller"/> over a real queue's PollHandle and a TCP socket, with its own wake-up.</summary>
public sealed class PollerTests
{
    [RootFact]
    public void A_queue_polls_readable_when_a_packet_is_queued_and_after_shutdown()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        using var poller = new Poller();
        var index = poller.Add(q.PollHandle);
        Assert.Equal(0, poller.Wait(0));
        Assert.False(poller.IsReadable(index));

        var request = new byte[84];
        Icmp.Build(request, QueueFixture.Peer, QueueFixture.Local, 1, 1);
        Assert.Equal(1, q.Write(new Memory<byte>[] { request }, 0));
        Assert.Equal(1, poller.Wait(5000));
        Assert.True(poller.IsReadable(index));
        var buffers = new Memory<byte>[] { new byte[2048] };
        var sizes = new int[1];
        Assert.Equal(1, q.TryRead(buffers, sizes, 0));
        Assert.Equal(0, poller.Wait(0));

        q.Shutdown();
        Assert.Equal(1, poller.Wait(0));
        Assert.True(poller.IsReadable(index));
    }

    [Fact]
    public void Wake_from_another_thread_ends_a_wait_at_once_and_is_consumed()
    {
        using var poller = new Poller();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var index = poller.Add(listener.SafeHandle);
        var waker = new Thread(() =>
        {
            Thread.Sleep(100); // the wait under test must have started; an early wake only makes the wait shorter
            poller.Wake();
        });
        var sw = Stopwatch.StartNew();
        waker.Start();
        Assert.Equal(0, poller.Wait(10_000));
        Assert.True(poller.WasWoken);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"woke after {sw.ElapsedMilliseconds} ms");
        waker.Join();
        Assert.Equal(0, poller.Wait(0));
        Assert.False(poller.WasWoken);
        Assert.False(poller.IsReadable(index));
    }

    [Fact]
    public void Sockets_report_readable_and_writable_as_asked()
    {
        using var poller = new Poller();
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        var c = poller.Add(client.SafeHandle, PollEvents.Readable | PollEvents.Writable);
        var s = poller.Add(server.SafeHandle);
        Assert.Equal(1, poller.Wait(5000));
        Assert.Equal(PollEvents.Writable, poller.Ready(c));
        Assert.Equal(PollEvents.None, poller.Ready(s));

        client.Send("x"u8);
        poller.SetEvents(c, PollEvents.Readable);
        Assert.Equal(1, poller.Wait(5000));
        Assert.True(poller.IsReadable(s));
        Assert.False(poller.IsReadable(c));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            poller.Wait(0);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 256, $"1000 waits allocated {allocated} bytes");
    }
}

using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.IO;

namespace SharpTun.Linux.Tests.IO;

/// <summary>The <see cref="Poller"/>'s epoll set: more sources than its first arrays hold, interest changes, closed sources.</summary>
public sealed class PollerSetTests
{
    [Fact]
    public void Eight_sources_each_report_only_their_own_readiness()
    {
        using var poller = new Poller();
        var pairs = Enumerable.Range(0, 8).Select(_ => Pair()).ToArray();
        try
        {
            var indexes = pairs.Select(p => poller.Add(p.Server.SafeHandle)).ToArray();
            Assert.Equal(Enumerable.Range(0, 8), indexes);
            Assert.Equal(0, poller.Wait(0));
            foreach (var ready in new[] { 0, 5, 7 })
            {
                pairs[ready].Client.Send("x"u8);
            }
            Assert.True(WaitFor(poller, 3), "three sources did not become readable");
            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(i is 0 or 5 or 7, poller.IsReadable(i));
            }
            // Level-triggered: still ready until drained.
            var buffer = new byte[16];
            Assert.Equal(1, pairs[5].Server.Receive(buffer));
            Assert.Equal(2, poller.Wait(1000));
            Assert.False(poller.IsReadable(5));
        }
        finally
        {
            foreach (var (client, server) in pairs)
            {
                client.Dispose();
                server.Dispose();
            }
        }
    }

    [Fact]
    public void Interest_changes_take_effect_on_the_next_wait()
    {
        using var poller = new Poller();
        var (client, server) = Pair();
        using (client)
        using (server)
        {
            var c = poller.Add(client.SafeHandle, PollEvents.None);
            Assert.Equal(0, poller.Wait(0));
            poller.SetEvents(c, PollEvents.Writable);
            poller.SetEvents(c, PollEvents.Writable); // unchanged: no second registration, no error
            Assert.Equal(1, poller.Wait(1000));
            Assert.Equal(PollEvents.Writable, poller.Ready(c));
            poller.SetEvents(c, PollEvents.Readable);
            Assert.Equal(0, poller.Wait(0));
            server.Send("y"u8);
            Assert.Equal(1, poller.Wait(5000));
            Assert.Equal(PollEvents.Readable, poller.Ready(c));
        }
    }

    [Fact]
    public void A_peer_that_closes_reports_readable_and_a_closed_source_drops_out()
    {
        using var poller = new Poller();
        var (client, server) = Pair();
        using (client)
        {
            var s = poller.Add(server.SafeHandle);
            client.Shutdown(SocketShutdown.Both);
            Assert.Equal(1, poller.Wait(5000));
            Assert.True(poller.IsReadable(s)); // the next receive sees the end of the stream
            server.Dispose();
            // The kernel drops the descriptor from the epoll set when its last reference goes, which .NET may
            // release a moment after Dispose returns (a runtime thread still holding the handle): wait for it.
            Assert.True(WaitFor(poller, 0), "the closed source still reports");
            Assert.False(poller.IsReadable(s));
        }
    }

    private static bool WaitFor(Poller poller, int count)
    {
        var deadline = Environment.TickCount64 + 5000;
        while (Environment.TickCount64 < deadline)
        {
            if (poller.Wait(100) == count)
            {
                return true;
            }
        }
        return false;
    }

    private static (Socket Client, Socket Server) Pair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (client, listener.Accept());
    }
}

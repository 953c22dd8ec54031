using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.Testing;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

public sealed class HostileInputTests(ITestOutputHelper output)
{
    private static readonly IPEndPoint s_server = new(IPAddress.Parse(Testbed.WireA), 55555);

    [RootFact]
    public void Server_survives_garbage_writes_nothing_keeps_memory_flat_then_serves_a_client()
    {
        using var bed = Testbed.Create();
        var server = bed.StartServer("tcp");
        server.WaitForStart();
        var rxBefore = Testbed.RxPackets(bed.A, Testbed.Device);

        // Each attack is one protocol error, counted; the server closes the connection.
        // 1) length 0
        Attack(bed, [0, 0], expectClose: true);
        server.WaitForCounters(c => c["protocol errors"] == 1, "protocol error 1 (length 0)");
        // 2) length 65535, then close
        Attack(bed, [0xFF, 0xFF], expectClose: true);
        server.WaitForCounters(c => c["protocol errors"] == 2, "protocol error 2 (length 65535)");
        // 3) a valid length, then a truncated packet, then close
        Attack(bed, [0x00, 0x54, .. new byte[30]], expectClose: false);
        server.WaitForCounters(c => c["protocol errors"] == 3, "protocol error 3 (truncated packet)");
        // 4) 1 MB of random bytes whose first length is beyond the MTU
        var seed = Random.Shared.Next();
        output.WriteLine($"random garbage seed {seed}");
        var garbage = new byte[1 << 20];
        new Random(seed).NextBytes(garbage);
        garbage[0] |= 0x80;
        Attack(bed, garbage, expectClose: true);
        var afterAttacks = server.WaitForCounters(c => c["protocol errors"] == 4, "protocol error 4 (garbage)");
        Assert.Equal(0, afterAttacks["from peer packets"]);

        var rssBefore = server.RssKiB();
        // 5) 10,000 short hostile connections in a row, each waiting for the server to close it.
        NetNamespace.Run(bed.B.Name, () =>
        {
            var buffer = new byte[16];
            for (var i = 0; i < 10_000; i++)
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.Connect(s_server);
                s.Send((i % 3) switch { 0 => [0, 0], 1 => [0xFF, 0xFF], _ => [0x06, 0x00] });
                s.ReceiveTimeout = 10_000;
                Assert.Equal(0, ReceiveUntilClosed(s, buffer));
            }
        });
        server.WaitForCounters(c => c["protocol errors"] == 10_004, "10,004 protocol errors", 60);
        var rssAfter = server.RssKiB();
        output.WriteLine($"server RSS {rssBefore} KiB before, {rssAfter} KiB after 10,000 connections");
        Assert.True(rssAfter - rssBefore < 40 * 1024, $"RSS grew from {rssBefore} to {rssAfter} KiB");
        Assert.False(server.HasExited);
        Assert.Equal(rxBefore, Testbed.RxPackets(bed.A, Testbed.Device));

        // A real client is served afterwards, and a second one meanwhile is refused.
        var before = server.Counters()["connections"];
        var client = bed.StartClient("tcp");
        server.WaitForPeer((int)before + 1);
        client.WaitForPeer();
        Assert.Equal(5, Testbed.Ping(bed.B, Testbed.TunA, 5));
        NetNamespace.Run(bed.B.Name, () =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(s_server);
            s.ReceiveTimeout = 10_000;
            try
            {
                Assert.Equal(0, ReceiveUntilClosed(s, new byte[16]));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
        });
        server.WaitForCounters(c => c["refused"] == 1, "the second connection refused");
        Assert.Equal(5, Testbed.Ping(bed.B, Testbed.TunA, 5));
        var final = server.Counters();
        Assert.Equal(10_004, final["protocol errors"]);
        Assert.Equal(1, final["refused"]);
        Assert.False(client.HasExited);
    }

    private static void Attack(Testbed bed, byte[] data, bool expectClose)
    {
        NetNamespace.Run(bed.B.Name, () =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(s_server);
            try
            {
                s.Send(data);
            }
            catch (SocketException)
            {
                // The server closed (reset) after the bad prefix while the rest was still being sent.
                return;
            }
            if (expectClose)
            {
                s.ReceiveTimeout = 10_000;
                try
                {
                    Assert.Equal(0, ReceiveUntilClosed(s, new byte[16]));
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset)
                {
                    // Closed with unread data queued: the kernel resets instead of FIN. A timeout is a failure.
                }
            }
            else
            {
                s.Shutdown(SocketShutdown.Send);
                s.ReceiveTimeout = 10_000;
                Assert.Equal(0, ReceiveUntilClosed(s, new byte[16]));
            }
        });
    }

    private static int ReceiveUntilClosed(Socket s, byte[] buffer)
    {
        int n;
        while ((n = s.Receive(buffer)) > 0)
        {
        }
        return n;
    }
}

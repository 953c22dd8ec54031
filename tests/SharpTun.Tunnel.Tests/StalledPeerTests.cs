using System.Net;
using System.Net.Sockets;
using SharpTun.Testing.Fakes;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

/// <summary>A TCP peer that stops reading: the relay stops reading its device (pending output stays one batch) and still stops at once.</summary>
public sealed class StalledPeerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_peer_that_never_reads_stalls_the_device_side_not_the_loop()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var (device, kernel) = FakePacketQueue.CreatePair("stallA", "kernelA", new FakeQueueOptions { QueueBytes = 256 * 1024 });
        using var d = device;
        using var k = kernel;
        var counters = new TunnelCounters();
        var client = new TcpClientTransport([(IPEndPoint)listener.LocalEndPoint!], f => new Socket(f, SocketType.Stream, ProtocolType.Tcp),
            new TcpBuffers(1500, 16), counters, new EventLimiter(null));
        var relay = new Relay(device, client, counters);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                relay.Run(CancellationToken.None);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true };
        thread.Start();
        using var stalled = listener.Accept(); // accepted, never read from
        stalled.ReceiveBufferSize = 64 * 1024;
        var packet = RelayOverFakesTests.Packet(new Random(7));
        // Far more than the socket buffers hold: the kernel side of the fake device fills and drops.
        for (var i = 0; i < 20_000; i++)
        {
            kernel.Write([packet], 0);
        }
        long last = -1;
        Poll.Until(() =>
        {
            var now = counters.DeviceToNetPackets;
            var settled = now == last;
            last = now;
            return settled && now > 0;
        }, "the relay to stop taking packets from the device", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300));
        output.WriteLine($"{counters.DeviceToNetPackets} packets sent before the stall, {kernel.Dropped} dropped at the device queue");
        Assert.InRange(counters.DeviceToNetPackets, 1, 19_999);
        Assert.True(kernel.Dropped > 0, "the device queue never filled: the relay kept reading while its peer was stalled");
        Assert.Equal(0, counters.DropSendFailed);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        relay.Stop();
        Assert.True(thread.Join(2000), "the relay did not stop while its peer was stalled");
        Assert.True(sw.ElapsedMilliseconds < 500, $"stop took {sw.ElapsedMilliseconds} ms");
        Assert.Null(failure);
        client.Dispose();
    }
}

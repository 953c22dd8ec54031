using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.IO;
using SharpTun.Testing.Fakes;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// The TCP client against a loopback server that accepts and resets every connection, driven by hand
/// on its own clock (milliseconds passed to <c>Process</c>, as the relay does from its TimeProvider):
/// each reconnect waits exactly the next <see cref="Backoff"/> delay, not a millisecond less. Replaces
/// the 8 s wall-clock HardeningTests.Client_backoff_grows_while_the_server_accepts_and_resets.
/// </summary>
public sealed class ClientBackoffTests
{
    [Fact]
    public void Reconnects_to_a_server_that_resets_at_once_wait_exactly_the_growing_backoff()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var (device, kernel) = FakePacketQueue.CreatePair("boA", "boK");
        using var d = device;
        using var k = kernel;
        var counters = new TunnelCounters();
        using var client = new TcpClientTransport([(IPEndPoint)listener.LocalEndPoint!], f => new Socket(f, SocketType.Stream, ProtocolType.Tcp),
            new TcpBuffers(1500, 16), counters, new EventLimiter(null));
        using var loop = new TransportLoop(client, new DeviceWriter(device, counters, null));
        long now = 0;
        loop.Step(now, 0); // the first attempt starts at once
        long[] expected = [100, 200, 400, 800, 1600, 2000, 2000];
        for (var i = 0; i < expected.Length; i++)
        {
            loop.RunUntil(now, () => client.PeerName is not null, $"connection {i + 1} to be established");
            using (var accepted = listener.Accept())
            {
                accepted.LingerState = new LingerOption(true, 0); // close = RST
            }
            loop.RunUntil(now, () => client.PeerName is null, $"connection {i + 1} to be seen reset");
            Assert.Equal(expected[i], client.MillisecondsToNextTimer(now));
            var version = client.HandleVersion;
            now += expected[i] - 1;
            loop.Step(now, 0);
            Assert.True(version == client.HandleVersion, $"attempt {i + 2} started {expected[i] - 1} ms after reset {i + 1}, before its {expected[i]} ms delay");
            now += 1;
            loop.Step(now, 0);
            Assert.True(version != client.HandleVersion, $"attempt {i + 2} did not start {expected[i]} ms after reset {i + 1}");
        }
        loop.RunUntil(now, () => client.PeerName is not null, "the last connection");
        Assert.Equal(expected.Length + 1, counters.Connections);
    }

    /// <summary>The relay's loop for one transport, one step at a time on a given clock.</summary>
    private sealed class TransportLoop(TcpClientTransport transport, DeviceWriter writer) : IDisposable
    {
        private Poller? _poller;
        private int _version = int.MinValue;

        internal void Step(long nowMs, int waitMs)
        {
            if (_version != transport.HandleVersion)
            {
                _version = transport.HandleVersion;
                _poller?.Dispose();
                _poller = new Poller();
                transport.Register(_poller);
            }
            transport.UpdateInterest(_poller!);
            _poller!.Wait(waitMs);
            transport.Process(_poller, nowMs, writer);
        }

        // Socket events are real (loopback); the clock stands still meanwhile.
        internal void RunUntil(long nowMs, Func<bool> done, string what)
        {
            var deadline = Environment.TickCount64 + 10_000;
            while (!done())
            {
                Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}");
                Step(nowMs, 100);
            }
        }

        public void Dispose() => _poller?.Dispose();
    }
}

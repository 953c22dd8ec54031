using SharpTun.Testing.Fakes;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

/// <summary>The relay's per-packet path allocates nothing: measured on the event-loop thread itself, from the packet observer.</summary>
public sealed class RelayAllocationTests(ITestOutputHelper output)
{
    private const int Warmup = 8000;
    private const int Measured = 4000;

    // With a virtio-net header (offloads) every read goes through the offload path (header parsed,
    // packet handed on in place) and every write through the coalescer (copied behind a header).
    [Theory]
    [InlineData(TransportKind.Tcp, false)]
    [InlineData(TransportKind.Udp, false)]
    [InlineData(TransportKind.Tcp, true)]
    [InlineData(TransportKind.Udp, true)]
    public void Relaying_a_packet_allocates_nothing_on_the_loop_thread(TransportKind kind, bool vnet)
    {
        var options = new FakeQueueOptions { VnetHeaderSize = vnet ? 10 : 0 };
        var (deviceA, kernelA) = FakePacketQueue.CreatePair("allocA", "kernelA", options);
        var (deviceB, kernelB) = FakePacketQueue.CreatePair("allocB", "kernelB", options);
        using var da = deviceA;
        using var ka = kernelA;
        using var db = deviceB;
        using var kb = kernelB;
        var countersA = new TunnelCounters();
        var countersB = new TunnelCounters();
        var (server, client) = RelayOverFakesTests.LoopbackPair(kind, countersA, countersB);
        // A's loop sends every packet (device -> peer), B's loop receives it (peer -> device); each
        // passes the observer on that loop's own thread, which measures its thread's allocations.
        var sender = new AllocationWindow(PacketDirection.DeviceToPeer);
        var receiver = new AllocationWindow(PacketDirection.PeerToDevice);
        var relayA = new Relay(deviceA, server, countersA, sender.Observe, wirePacketSize: 1500);
        var relayB = new Relay(deviceB, client, countersB, receiver.Observe, wirePacketSize: 1500);
        var threads = new[] { new Thread(() => relayA.Run(CancellationToken.None)), new Thread(() => relayB.Run(CancellationToken.None)) };
        foreach (var t in threads)
        {
            t.IsBackground = true;
            t.Start();
        }
        try
        {
            Poll.Until(() => relayA.PeerName is not null, "the server relay to have its peer");
            var ip = RelayOverFakesTests.Packet(new Random(1));
            // A plain (NONE) virtio-net header is ten zero bytes.
            var packet = vnet ? [.. new byte[10], .. ip] : ip;
            var sink = new Memory<byte>[32];
            for (var i = 0; i < sink.Length; i++)
            {
                sink[i] = new byte[2048 + 64];
            }
            var sizes = new int[32];
            for (var sent = 0; sent < Warmup + Measured + 100; sent += 20)
            {
                for (var i = 0; i < 20; i++)
                {
                    kernelA.Write([packet], 0);
                }
                // Keep B's kernel side drained and pace the sender so loopback UDP never overflows.
                Poll.Until(() =>
                {
                    while (kernelB.TryRead(sink, sizes, 0) > 0)
                    {
                    }
                    return countersB.NetToDevicePackets >= sent + 20;
                }, $"packet {sent + 20} through", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(1));
            }
            Poll.Until(() => sender.Done && receiver.Done, "the measured windows to end");
            output.WriteLine($"{kind}: {sender.Bytes} bytes allocated on the sending loop, {receiver.Bytes} on the receiving loop, for {Measured} packets");
            Assert.Equal(0, sender.Bytes);
            Assert.Equal(0, receiver.Bytes);
        }
        finally
        {
            relayA.Stop();
            relayB.Stop();
            foreach (var t in threads)
            {
                Assert.True(t.Join(5000), "a relay did not stop");
            }
            server.Dispose();
            client.Dispose();
        }
    }

    // Allocated bytes of the observing thread between packet Warmup and packet Warmup + Measured.
    private sealed class AllocationWindow(PacketDirection direction)
    {
        private long _seen;
        private long _start;
        private long _end = -1;

        public bool Done => Volatile.Read(ref _end) >= 0;

        public long Bytes => Volatile.Read(ref _end) - Volatile.Read(ref _start);

        public void Observe(PacketDirection d, ReadOnlySpan<byte> packet)
        {
            if (d != direction)
            {
                return;
            }
            var n = ++_seen;
            if (n == Warmup)
            {
                Volatile.Write(ref _start, GC.GetAllocatedBytesForCurrentThread());
            }
            else if (n == Warmup + Measured)
            {
                Volatile.Write(ref _end, GC.GetAllocatedBytesForCurrentThread());
            }
        }
    }
}

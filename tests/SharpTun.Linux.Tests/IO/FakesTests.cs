using System.Diagnostics;
using System.Net;
using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Testing.Fakes;

namespace SharpTun.Linux.Tests.IO;

/// <summary>The shared fakes of SharpTun.Testing behave like the real queue and bind where it matters to their users.</summary>
public sealed class FakesTests
{
    [Fact]
    public void A_fake_queue_pair_carries_packets_both_ways_at_the_offset_and_polls_like_a_device()
    {
        var (a, b) = FakePacketQueue.CreatePair("fa", "fb");
        using (a)
        using (b)
        using (var poller = new Poller())
        {
            var ib = poller.Add(b.PollHandle);
            Assert.Equal(0, poller.Wait(0));
            var packets = new Memory<byte>[] { new byte[] { 9, 9, 1, 2, 3 }, new byte[] { 9, 9, 4 }, new byte[] { 9, 9 } };
            Assert.Equal(2, a.Write(packets, 2)); // the empty one is refused
            Assert.Equal(1, a.Dropped);
            Assert.Equal(1, poller.Wait(1000));
            Assert.True(poller.IsReadable(ib));
            var buffers = new Memory<byte>[] { new byte[8], new byte[8], new byte[8] };
            var sizes = new int[3];
            Assert.Equal(2, b.Read(buffers, sizes, 4));
            Assert.Equal([3, 1], sizes[..2]);
            Assert.Equal(new byte[] { 0, 0, 0, 0, 1, 2, 3, 0 }, buffers[0].ToArray());
            Assert.Equal(0, b.TryRead(buffers, sizes, 0));
            Assert.Equal(1, b.Write(packets[..1], 0));
            Assert.Equal(1, a.Read(buffers, sizes, 0));
            Assert.Equal(5, sizes[0]);
        }
    }

    [Fact]
    public void Shutdown_of_a_fake_queue_wakes_a_blocked_read_and_makes_it_poll_readable()
    {
        var (a, b) = FakePacketQueue.CreatePair();
        using (a)
        using (b)
        {
            var result = -1;
            var reader = new Thread(() => result = b.Read(new Memory<byte>[] { new byte[64] }, new int[1], 0));
            reader.Start();
            Thread.Sleep(50); // give the reader time to block; an earlier shutdown passes the same way
            b.Shutdown();
            Assert.True(reader.Join(TimeSpan.FromSeconds(5)));
            Assert.Equal(0, result);
            using var poller = new Poller();
            poller.Add(b.PollHandle);
            Assert.Equal(1, poller.Wait(0));
        }
    }

    [Fact]
    public void Reading_after_the_other_end_was_disposed_is_a_named_error()
    {
        var (a, b) = FakePacketQueue.CreatePair("fa", "fb");
        a.Dispose();
        using (b)
        {
            var e = Assert.Throws<PacketIOException>(() => b.Read(new Memory<byte>[] { new byte[64] }, new int[1], 0));
            Assert.Equal("cannot read from fake device 'fb': the other end was closed", e.Message);
        }
    }

    [Fact]
    public void A_fake_network_delivers_by_endpoint_reports_source_and_local_and_lets_tests_spoof()
    {
        var net = new FakeDatagramNetwork();
        using var server = net.Bind("198.18.0.1:51820");
        using var client = net.Bind("[2001:db8::2]:0");
        Assert.NotEqual(0, client.LocalPort);
        var to = new DatagramEndpoint(server.LocalEndpoint);
        var datagrams = new Memory<byte>[] { new byte[] { 0, 7, 7 }, new byte[] { 0, 8 } };
        Assert.Equal(0, client.Send(datagrams, 1, to));
        client.Source = NetEndpoint.From(IPEndPoint.Parse("198.18.0.66:1234"));
        Assert.Equal(0, client.Send(datagrams[..1], 1, to));
        Assert.Equal(0, client.Send(datagrams, 0, new DatagramEndpoint(NetEndpoint.From(IPEndPoint.Parse("198.18.0.9:9")))));
        Assert.Equal(2, net.Undeliverable);

        var buffers = new Memory<byte>[] { new byte[4], new byte[4], new byte[1] };
        var sizes = new int[3];
        var endpoints = new DatagramEndpoint[3];
        Assert.Equal(3, server.Receive(buffers, sizes, endpoints, 0));
        Assert.Equal([2, 1, -1], sizes);
        Assert.Equal(client.LocalEndpoint, endpoints[0].Remote);
        Assert.Equal(NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:0")), endpoints[0].Local);
        Assert.Equal(client.Source, endpoints[2].Remote);

        // The reply to what was received reaches the (real) client only when the source was not spoofed.
        Assert.Equal(0, server.Send(datagrams[..1], 0, endpoints[0]));
        Assert.Equal(1, client.Receive(buffers, sizes, endpoints, 0));
        Assert.Equal(server.LocalEndpoint, endpoints[0].Remote);
    }

    [Fact]
    public void The_network_filter_drops_and_shutdown_stops_a_fake_bind()
    {
        var net = new FakeDatagramNetwork { Filter = (_, _, payload) => payload.Length != 3 };
        using var a = net.Bind("198.18.0.1:1");
        using var b = net.Bind("198.18.0.2:2");
        Assert.Equal(0, a.Send(new Memory<byte>[] { new byte[3], new byte[4] }, 0, new DatagramEndpoint(b.LocalEndpoint)));
        var buffers = new Memory<byte>[] { new byte[8], new byte[8] };
        var sizes = new int[2];
        var endpoints = new DatagramEndpoint[2];
        Assert.Equal(1, b.Receive(buffers, sizes, endpoints, 0));
        Assert.Equal(4, sizes[0]);
        b.Shutdown();
        Assert.Equal(0, b.Receive(buffers, sizes, endpoints, 0));
        Assert.Throws<PacketIOException>(() => net.Bind("198.18.0.1:1"));
    }

    [Fact]
    public void Manual_time_fires_timers_in_due_order_inside_advance()
    {
        var clock = new ManualTimeProvider();
        var fired = new List<string>();
        using var once = clock.CreateTimer(_ => fired.Add($"once@{clock.GetTimestamp() / TimeSpan.TicksPerSecond}"), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var every = clock.CreateTimer(_ => fired.Add($"every@{clock.GetTimestamp() / TimeSpan.TicksPerSecond}"), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var start = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["every@2", "every@4", "once@5", "every@6"], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(6), clock.GetUtcNow());
        every.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(4, fired.Count);
    }

    [Fact]
    public void Seeded_random_repeats_for_a_seed()
    {
        byte[] a = new byte[16], b = new byte[16];
        new SeededRandom(7).Fill(a);
        new SeededRandom(7).Fill(b);
        Assert.Equal(a, b);
    }
}

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
    public void A_slot_ring_wraps_its_arena_keeps_order_and_tags_and_is_bounded_by_bytes_and_entries()
    {
        using var ring = new SlotRing(capacity: 4, slotSize: 6, bytes: 10);
        var a = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:1"));
        var b = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:2"));
        Assert.True(ring.TryPush([1, 2, 3, 4, 5, 6], a, b));
        Assert.False(ring.TryPush([7, 8, 9, 10, 11], a, b)); // 6 + 5 > 10 bytes
        Assert.False(ring.TryPush(new byte[7], a, b)); // larger than a slot
        Assert.True(ring.TryPush([7, 8, 9, 10], b, a));
        Assert.Equal(10, ring.Bytes);
        var buffer = new byte[8];
        Assert.Equal(6, ring.Pop(buffer, out var tag, out var local));
        Assert.Equal((a, b), (tag, local));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, buffer[..6]);
        Assert.True(ring.TryPush([20, 21, 22, 23, 24], a, a)); // bytes 0..3 of it at the arena's end, 4 at its start
        Assert.Equal(4, ring.Pop(buffer, out tag));
        Assert.Equal(b, tag);
        Assert.Equal(-1, ring.Pop(buffer.AsSpan(0, 3), out _)); // cut: the part that fits is copied
        Assert.Equal(new byte[] { 20, 21, 22 }, buffer[..3]);
        Assert.Equal(0, ring.Count);
        Assert.Throws<InvalidOperationException>(() => ring.Pop(buffer, out _));
        for (var i = 0; i < 4; i++)
        {
            ring.Push([(byte)i]);
        }
        Assert.Equal("fake ring is full", Assert.Throws<InvalidOperationException>(() => ring.Push([9])).Message);
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(_ => ring.PopArray()[0]).ToArray());
    }

    [Fact]
    public void A_slot_ring_handle_polls_readable_exactly_while_entries_wait_and_for_good_after_shutdown()
    {
        using var ring = new SlotRing(8, 16);
        using var poller = new Poller();
        ring.Push([1]); // queued before the handle was made: it starts readable
        poller.Add(ring.WakeHandle);
        Assert.Equal(1, poller.Wait(0));
        ring.Push([2]);
        ring.PopArray();
        Assert.Equal(1, poller.Wait(0));
        ring.PopArray();
        Assert.Equal(0, poller.Wait(0));
        Assert.False(ring.WaitReadable(20));
        var waiter = new Thread(() => ring.WaitReadable(Timeout.Infinite));
        waiter.Start();
        ring.Push([3]);
        Assert.True(waiter.Join(TimeSpan.FromSeconds(5)));
        Assert.Equal(1, poller.Wait(1000));
        ring.PopArray();
        ring.Shutdown();
        Assert.True(ring.WaitReadable(0));
        Assert.Equal(1, poller.Wait(0));
        Assert.False(ring.TryPush([4], default, default));
        Assert.Equal("fake ring is shut down", Assert.Throws<InvalidOperationException>(() => ring.Push([4])).Message);
    }

    [Fact]
    public void The_synchronous_fake_tun_and_bind_never_wait_and_poll_like_a_device()
    {
        var network = new FakeNetwork();
        var a = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));
        var b = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:51820"));
        using var bindA = new FakeBind(network, a);
        using var bindB = new FakeBind(network, b);
        using var tun = new FakeTun("wgt");
        using var poller = new Poller();
        var it = poller.Add(tun.PollHandle);
        var ib = poller.Add(bindB.PollHandle);
        var buffers = new Memory<byte>[] { new byte[64], new byte[64] };
        var sizes = new int[2];
        var endpoints = new DatagramEndpoint[2];
        Assert.Equal(0, tun.Read(buffers, sizes, 0)); // never waits
        Assert.Equal(0, bindB.Receive(buffers, sizes, endpoints, 0));
        tun.Inject([0x45, 1, 2]);
        Assert.Equal(0, bindA.Send(new Memory<byte>[] { new byte[] { 7, 7 } }, 0, new DatagramEndpoint(b)));
        Assert.Equal(0, bindA.Send(new Memory<byte>[] { new byte[] { 8 } }, 0, new DatagramEndpoint(NetEndpoint.From(IPEndPoint.Parse("198.18.0.9:1")))));
        Assert.Equal((1, 1), (bindA.SentCount - 1, network.Lost));
        Assert.Equal(2, poller.Wait(1000));
        Assert.True(poller.IsReadable(it) && poller.IsReadable(ib));
        Assert.Equal(1, tun.Read(buffers, sizes, 1));
        Assert.Equal(3, sizes[0]);
        Assert.Equal(1, bindB.Receive(buffers, sizes, endpoints, 0));
        Assert.Equal((2, a), (sizes[0], endpoints[0].Remote));
        Assert.Equal(0, poller.Wait(0));
        Assert.Equal(1, tun.Write(buffers[..1], 0));
        Assert.Equal(1, tun.Written.Count);
        tun.Shutdown();
        Assert.Equal(1, poller.Wait(0));
    }

    [Fact]
    public void A_fake_queue_carries_64_KB_super_packets_and_drops_and_counts_what_exceeds_its_bytes()
    {
        var (a, b) = FakePacketQueue.CreatePair("fa", "fb", new FakeQueueOptions { VnetHeaderSize = 10, QueueBytes = 4 * (65536 + 10) });
        using (a)
        using (b)
        {
            var super = new byte[65536 + 10];
            new Random(19).NextBytes(super);
            var packets = Enumerable.Repeat<Memory<byte>>(super, 5).ToArray();
            Assert.Equal(4, a.Write(packets, 0)); // the fifth does not fit the queue's bytes
            Assert.Equal((4, 1), (a.Written, a.Dropped));
            var buffers = Enumerable.Range(0, 8).Select(_ => (Memory<byte>)new byte[super.Length]).ToArray();
            var sizes = new int[8];
            Assert.Equal(4, b.Read(buffers, sizes, 0));
            Assert.All(sizes[..4], n => Assert.Equal(super.Length, n));
            Assert.Equal(super, buffers[3].ToArray());
            Assert.Equal(1, a.Write(packets[..1], 0));
        }
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

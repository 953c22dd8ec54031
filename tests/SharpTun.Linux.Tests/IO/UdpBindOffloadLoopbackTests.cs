using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Net;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// UDP GSO and GRO of <see cref="UdpBind"/> over loopback (no root): lo keeps a UDP_SEGMENT send
/// as one GSO packet up to the receiving socket, so a GRO receiver gets it as one coalesced message
/// and a plain receiver gets the datagrams the kernel cut.
/// </summary>
public sealed class UdpBindOffloadLoopbackTests
{
    // What WireGuard sends: 1420-byte packets + 32 bytes of header and tag, and a shorter last one.
    private const int Wire = 1452;

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", true)]
    [InlineData("::1", false)]
    public void A_batch_of_equal_datagrams_leaves_in_one_gso_send_and_arrives_as_exactly_those_datagrams(string loopback, bool gro)
    {
        var lo = IPAddress.Parse(loopback);
        using var a = UdpBind.Open(new UdpBindOptions { Address = lo });
        using var b = UdpBind.Open(new UdpBindOptions { Address = lo, Gro = gro });
        var hb = new BindHarness(b, OffloadData.GroBuffer);
        Assert.True(a.GsoEnabled, "GSO is off on a kernel that has UDP_SEGMENT");
        var sizes = OffloadData.Sizes(20, Wire, last: 600);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x51), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        Assert.Equal((1, 1, 21, 0, 0), OffloadData.Counters(a));

        var largest = OffloadData.ReceiveInOrder(hb, sizes, 0x51, NetEndpoint.From(a.LocalEndPoint));
        Assert.Equal(gro, b.GroEnabled);
        if (gro)
        {
            // One message with 21 datagrams, split into 21 buffers by one receive.
            Assert.Equal((1L, 21L), (b.GroReceives, b.GroSegments));
            Assert.Equal(1, b.ReceiveCalls);
            Assert.Equal(21, largest);
        }
        else
        {
            Assert.Equal((0L, 0L), (b.GroReceives, b.GroSegments));
        }
    }

    [Fact]
    public void Runs_split_where_the_size_grows_and_at_64_segments_and_at_the_64_KB_limit()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = 256 });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = 256 });
        var hb = new BindHarness(b, OffloadData.GroBuffer);
        // A run is same-size datagrams and may end with one shorter datagram; a larger one, 64
        // segments or 65507 bytes start the next. Runs: [100 100 100 50] [200 200] 300 alone
        // [1452 x45, as 46 would pass 65507 bytes] [1452 x5 + 100] [100 x64] [100 x5 + 10] 30 alone.
        int[] sizes = [100, 100, 100, 50, 200, 200, 300, .. OffloadData.Sizes(50, Wire), .. OffloadData.Sizes(70, 100), 10, 30];
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x52), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        var (calls, gsoSends, gsoSegments, _, _) = OffloadData.Counters(a);
        Assert.Equal(1, calls);
        Assert.Equal(6, gsoSends);
        Assert.Equal(4 + 2 + 45 + 6 + 64 + 6, gsoSegments);
        OffloadData.ReceiveInOrder(hb, sizes, 0x52, NetEndpoint.From(a.LocalEndPoint));
        Assert.Equal(6, b.GroReceives);
        Assert.Equal(gsoSegments, b.GroSegments);
    }

    [Fact]
    public void A_flush_of_several_64_KB_reads_to_one_peer_is_one_system_call()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        // 200 datagrams: GSO messages of 45, 45, 45, 45, 20 in one sendmmsg (64 message slots, 256 iovecs).
        var sizes = OffloadData.Sizes(199, Wire, last: 1000);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x58), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        Assert.Equal((1, 5, 200, 0, 0), OffloadData.Counters(a));
        OffloadData.ReceiveInOrder(new BindHarness(b, OffloadData.GroBuffer), sizes, 0x58);
        Assert.Equal((5L, 200L), (b.GroReceives, b.GroSegments));
    }

    [Theory]
    [InlineData("127.0.0.1", 2)] // 65527 bytes > 65507: the first alone, then a GSO message of two
    [InlineData("::1", 3)] // 65527 bytes, the IPv6 limit: one GSO message of three
    public void The_64_KB_limit_of_one_gso_send_is_the_familys(string loopback, int gsoSegments)
    {
        var lo = IPAddress.Parse(loopback);
        using var a = UdpBind.Open(new UdpBindOptions { Address = lo });
        using var b = UdpBind.Open(new UdpBindOptions { Address = lo });
        int[] sizes = [32760, 32760, 7];
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x59), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        Assert.Equal((1L, gsoSegments), (a.GsoSends, a.GsoSegments));
        Assert.Equal(1, a.SendCalls);
        OffloadData.ReceiveInOrder(new BindHarness(b, OffloadData.GroBuffer), sizes, 0x59);
    }

    [Fact]
    public void Batches_to_several_destinations_each_arrive_whole_at_their_own()
    {
        using var a = UdpBind.Open(new UdpBindOptions());
        using var b4 = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b6 = UdpBind.Open(new UdpBindOptions { Address = IPAddress.IPv6Loopback, Gro = false });
        using var bDual = UdpBind.Open(new UdpBindOptions());
        var s4 = OffloadData.Sizes(30, Wire, 77);
        var s6 = OffloadData.Sizes(9, 1280);
        var sDual = OffloadData.Sizes(3, 500, 499);
        var h4 = new BindHarness(b4, OffloadData.GroBuffer);
        var h6 = new BindHarness(b6, OffloadData.GroBuffer);
        var hDual = new BindHarness(bDual, OffloadData.GroBuffer);
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(0, a.Send(OffloadData.Make(s4, 8, 4), 8, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, b4.LocalPort)))));
            Assert.Equal(0, a.Send(OffloadData.Make(s6, 8, 6), 8, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.IPv6Loopback, b6.LocalPort)))));
            Assert.Equal(0, a.Send(OffloadData.Make(sDual, 8, 9), 8, new DatagramEndpoint(NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, bDual.LocalPort)))));
            OffloadData.ReceiveInOrder(h4, s4, 4, NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, a.LocalPort)));
            OffloadData.ReceiveInOrder(h6, s6, 6, NetEndpoint.From(new IPEndPoint(IPAddress.IPv6Loopback, a.LocalPort)));
            OffloadData.ReceiveInOrder(hDual, sDual, 9, NetEndpoint.From(new IPEndPoint(IPAddress.Loopback, a.LocalPort)));
        }
        Assert.Equal(9, a.GsoSends);
        Assert.Equal(3 * (31 + 9 + 4), a.GsoSegments);
        Assert.Equal(3 * 31, b4.GroSegments);
        Assert.Equal(0, b6.GroSegments);
        Assert.Equal(3 * 4, bDual.GroSegments);
    }

    [Fact]
    public void With_gso_off_by_option_the_batch_goes_by_sendmmsg_and_arrives_whole()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gso = false });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        Assert.False(a.GsoEnabled);
        var sizes = OffloadData.Sizes(40, Wire, 100);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x53), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        Assert.Equal((1, 0, 0, 0, 0), OffloadData.Counters(a));
        OffloadData.ReceiveInOrder(new BindHarness(b, OffloadData.GroBuffer), sizes, 0x53);
        Assert.True(b.GroEnabled);
        Assert.Equal(0, b.GroReceives); // nothing to coalesce: lo does not GRO separate datagrams
    }

    [Theory]
    [InlineData(8)]
    [InlineData(3)]
    public void Coalesced_datagrams_beyond_the_free_buffers_wait_for_the_next_receive_in_order(int buffers)
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = buffers });
        var hb = new BindHarness(b, OffloadData.GroBuffer);
        // GSO messages of 41 (40 x1452 + 700) and 40 (39 x700 + 33), two plain ones, one of 20.
        int[] sizes = [.. OffloadData.Sizes(40, Wire), .. OffloadData.Sizes(40, 700, 33), 5, 9, .. OffloadData.Sizes(20, 64)];
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x54), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        var largest = OffloadData.ReceiveInOrder(hb, sizes, 0x54);
        Assert.Equal(buffers, largest);
        Assert.Equal(40 + 41 + 20, b.GroSegments);
    }

    [Fact]
    public void HasPending_says_datagrams_wait_inside_the_bind_where_the_poll_handle_cannot_show_them()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = 8 });
        var sizes = OffloadData.Sizes(40, Wire);
        Assert.False(b.HasPending);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 0, 0x58), 0, new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint))));
        var buffers = Enumerable.Range(0, 8).Select(_ => (Memory<byte>)new byte[OffloadData.GroBuffer]).ToArray();
        var got = new int[8];
        var from = new DatagramEndpoint[8];
        var total = b.Receive(buffers, got, from, 0);
        Assert.Equal(8, total);
        Assert.True(b.HasPending, "33 of the 41 coalesced datagrams should wait inside the bind");
        // The socket itself is empty: only HasPending tells an event loop to receive again.
        using (var poll = new SharpTun.Linux.IO.Poller())
        {
            poll.Add(b.PollHandle);
            Assert.Equal(0, poll.Wait(0));
        }
        while (b.HasPending)
        {
            total += b.Receive(buffers, got, from, 0);
        }
        Assert.Equal(sizes.Length, total);
    }

    [Fact]
    public void Buffers_too_small_for_a_coalesced_message_get_its_datagrams_through_the_binds_own_slots()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = 16 });
        var hb = new BindHarness(b, 1500);
        var to = new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint));
        var sizes = OffloadData.Sizes(30, Wire, last: 3);
        Assert.Equal(0, a.Send(OffloadData.Make(sizes, 4, 0x55), 4, to));
        Assert.Equal(16, OffloadData.ReceiveInOrder(hb, sizes, 0x55));
        Assert.True(b.GroEnabled);
        Assert.Equal((1L, 31L), (b.GroReceives, b.GroSegments));
        // Longer than the caller's buffer: reported -1 (as without GRO), the next datagram whole.
        Assert.Equal(0, a.Send(OffloadData.Make([1501, 1501], 0, 0x56), 0, to));
        Assert.Equal(0, a.Send(OffloadData.Make([1500], 0, 0x57), 0, to));
        Assert.Equal(2, a.GsoSends);
        var seen = new List<int>();
        hb.ReceiveExactly(3, 0, (p, size, _) => seen.Add(size < 0 ? -1 : OffloadData.Check(p.Span, size, [1500], 0x57) + 1500));
        Assert.Equal([-1, -1, 1500], seen);
    }

    [Fact]
    public void Steady_gso_sends_and_gro_receives_do_not_allocate_nor_pin_again()
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, BatchSize = 128 });
        // As the pumps hold them: slots of one block each side.
        var tx = Slots(44, Wire + 16);
        var datagrams = new Memory<byte>[44];
        for (var i = 0; i < datagrams.Length; i++)
        {
            datagrams[i] = tx[i][..(i == 43 ? 16 + 300 : 16 + Wire)];
        }
        var rx = Slots(128, OffloadData.GroBuffer);
        var sizes = new int[128];
        var endpoints = new DatagramEndpoint[128];
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
                got += b.Receive(rx, sizes, endpoints, 0);
            }
            count += got;
        }
        for (var i = 0; i < 20; i++)
        {
            Round();
        }
        var pins = (a.ArrayPins, b.ArrayPins);
        count = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 50; i++)
        {
            Round();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(50 * 44, count);
        Assert.True(allocated < 256, $"{count} datagrams sent and received allocated {allocated} bytes");
        Assert.Equal(pins, (a.ArrayPins, b.ArrayPins));
        Assert.Equal((1L, 1L), pins); // one block each side, pinned once
        Assert.Equal(70, a.GsoSends);
        Assert.Equal(70, b.GroReceives);
    }

    private static Memory<byte>[] Slots(int count, int size)
    {
        var block = new byte[count * size];
        var slots = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            slots[i] = block.AsMemory(i * size, size);
        }
        return slots;
    }
}

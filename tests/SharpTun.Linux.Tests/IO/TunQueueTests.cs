using System.Diagnostics;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests.IO;

/// <summary>
/// The batched <see cref="IPacketQueue"/> API of <see cref="TunDevice"/> against a real tun device
/// in a fresh namespace: the namespace's kernel answers the echo requests the test writes.
/// </summary>
public sealed class TunQueueTests
{
    private const int Headroom = 16;

    private static Memory<byte>[] Buffers(int count, int size, byte fill)
    {
        var buffers = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var b = new byte[size];
            b.AsSpan().Fill(fill);
            buffers[i] = b;
        }
        return buffers;
    }

    // Echo requests from the peer to the device's address, each of its own length (boundaries show).
    private static Memory<byte>[] Requests(int count, int offset, Func<int, int> length)
    {
        var packets = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var b = new byte[offset + length(i)];
            b.AsSpan(0, offset).Fill(0xEE);
            Icmp.Build(b.AsSpan(offset), QueueFixture.Peer, QueueFixture.Local, id: 0x5151, seq: (ushort)i);
            packets[i] = b;
        }
        return packets;
    }

    [RootFact]
    public void A_batch_written_is_counted_and_the_answers_come_back_in_one_read_with_exact_boundaries_at_the_offset()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        const int n = 16;
        var rxBefore = f.Counter("rx_packets");
        var txBefore = f.EchoRepliesSent();
        Assert.Equal(n, q.Write(Requests(n, Headroom, i => 28 + 7 * i), Headroom));
        Assert.Equal(rxBefore + n, f.Counter("rx_packets"));
        // The kernel answers within the write (softirq on the writing CPU), so all are queued once counted.
        f.WaitEchoReplies(txBefore, n);

        var buffers = Buffers(q.BatchSize, Headroom + q.MaxPacketSize, 0xAA);
        var sizes = new int[q.BatchSize];
        var got = q.Read(buffers, sizes, Headroom);
        Assert.Equal(n, got);
        for (var i = 0; i < got; i++)
        {
            var b = buffers[i].Span;
            Assert.True(b[..Headroom].IndexOfAnyExcept((byte)0xAA) < 0, $"bytes before the offset of packet {i} were touched");
            var packet = b.Slice(Headroom, sizes[i]);
            Assert.True(Icmp.IsEchoReply(packet), $"packet {i} is not an echo reply");
            var seq = Icmp.Sequence(packet);
            Assert.Equal(28 + 7 * seq, sizes[i]);
            Assert.True(b[(Headroom + sizes[i])..].IndexOfAnyExcept((byte)0xAA) < 0, $"bytes after packet {i} were touched");
        }
        Assert.Equal(0, q.TryRead(buffers, sizes, Headroom));
    }

    [RootFact]
    public void Read_takes_no_more_than_the_buffers_given_and_the_rest_stays_queued()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        var txBefore = f.EchoRepliesSent();
        Assert.Equal(5, q.Write(Requests(5, 0, _ => 84), 0));
        f.WaitEchoReplies(txBefore, 5);
        var buffers = Buffers(3, q.MaxPacketSize, 0);
        var sizes = new int[3];
        Assert.Equal(3, q.Read(buffers, sizes, 0));
        Assert.Equal(2, q.TryRead(buffers, sizes, 0));
        Assert.Equal(0, q.TryRead(buffers, sizes, 0));
    }

    [RootFact]
    public void A_refused_packet_is_skipped_and_the_rest_of_the_batch_goes_through()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        var packets = Requests(3, 0, _ => 84);
        packets[1] = new byte[] { 0x00, 0x01, 0x02 }; // not an IP packet: tun refuses it with EINVAL
        var before = f.Counter("rx_packets");
        Assert.Equal(2, q.Write(packets, 0));
        Assert.Equal(22, q.LastWriteError);
        Assert.Equal(before + 2, f.Counter("rx_packets"));
    }

    [RootFact]
    public void Shutdown_wakes_a_blocked_read_within_50_ms_and_later_reads_return_0()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        var buffers = Buffers(4, q.MaxPacketSize, 0);
        var sizes = new int[4];
        var result = -1;
        long returnedAt = 0;
        string? task = null;
        var reader = new Thread(() =>
        {
            Volatile.Write(ref task, File.ResolveLinkTarget("/proc/thread-self", returnFinalTarget: false)!.FullName);
            result = q.Read(buffers, sizes, 0);
            returnedAt = Stopwatch.GetTimestamp();
        });
        reader.Start();
        // The reader is blocked once the kernel shows its thread sleeping in epoll_wait.
        Poll.Until(() => Volatile.Read(ref task) is { } t && File.ReadAllText(Path.Combine(t, "wchan")).Contains("epoll", StringComparison.Ordinal),
            "the reader to block in epoll_wait", interval: TimeSpan.FromMilliseconds(5));
        Assert.True(reader.IsAlive, "Read returned before anything was queued");
        var shutdownAt = Stopwatch.GetTimestamp();
        q.Shutdown();
        Assert.True(reader.Join(TimeSpan.FromSeconds(5)), "Shutdown did not wake the blocked Read");
        var elapsed = Stopwatch.GetElapsedTime(shutdownAt, returnedAt);
        Assert.Equal(0, result);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(50), $"the blocked Read returned {elapsed.TotalMilliseconds:0.0} ms after Shutdown");
        Assert.Equal(0, q.Read(buffers, sizes, 0));
        Assert.Equal(0, q.TryRead(buffers, sizes, 0));
    }

    [RootFact]
    public void Steady_state_batches_do_not_allocate()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        const int n = 16;
        var requests = Requests(n, Headroom, _ => 84);
        var buffers = Buffers(q.BatchSize, Headroom + q.MaxPacketSize, 0);
        var sizes = new int[q.BatchSize];
        var packets = 0;
        void Round()
        {
            var written = q.Write(requests, Headroom);
            var answered = 0;
            while (answered < written)
            {
                var got = q.Read(buffers, sizes, Headroom);
                for (var i = 0; i < got; i++)
                {
                    if (Icmp.IsEchoReply(buffers[i].Span.Slice(Headroom, sizes[i])))
                    {
                        answered++;
                    }
                }
            }
            packets += written + answered;
        }
        for (var i = 0; i < 20; i++)
        {
            Round();
        }
        packets = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 64; i++)
        {
            Round();
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(packets >= 2000, $"only {packets} packets");
        // Less than one small object per round of 32 packets: nothing is allocated per packet or per batch.
        Assert.True(allocated < 256, $"{packets} packets through Write and Read allocated {allocated} bytes");
    }

    [RootFact]
    public void A_device_deleted_while_open_is_an_error_naming_it_and_the_cause()
    {
        using var f = QueueFixture.Create(new TunOptions());
        var q = f.Device;
        f.Ns.Ip($"link del {q.Name}");
        var buffers = Buffers(2, 2048, 0);
        var sizes = new int[2];
        var read = Assert.Throws<PacketIOException>(() => q.Read(buffers, sizes, 0));
        Assert.Equal($"cannot read from device '{q.Name}': the device was deleted (EBADFD)", read.Message);
        Assert.Equal(q.Name, read.ObjectName);
        var write = Assert.Throws<PacketIOException>(() => q.Write(Requests(1, 0, _ => 84), 0));
        Assert.Equal($"cannot write to device '{q.Name}': the device was deleted (EBADFD)", write.Message);
    }

    [RootFact]
    public void Vnet_header_comes_first_at_the_offset_with_the_size_asked_for()
    {
        using var f = QueueFixture.Create(new TunOptions { VnetHdr = true, VnetHeaderSize = 12 });
        var q = f.Device;
        Assert.Equal(12, q.VnetHeaderSize);
        Assert.Equal(12, q.GetVnetHeaderSize());
        // A zeroed header (no checksum offload, no GSO) in front of each request.
        var packets = new Memory<byte>[2];
        for (var i = 0; i < 2; i++)
        {
            var b = new byte[Headroom + 12 + 84];
            Icmp.Build(b.AsSpan(Headroom + 12), QueueFixture.Peer, QueueFixture.Local, 7, (ushort)i);
            packets[i] = b;
        }
        var txBefore = f.EchoRepliesSent();
        Assert.Equal(2, q.Write(packets, Headroom));
        f.WaitEchoReplies(txBefore, 2);
        var buffers = Buffers(4, Headroom + q.VnetHeaderSize + q.MaxPacketSize, 0);
        var sizes = new int[4];
        Assert.Equal(2, q.Read(buffers, sizes, Headroom));
        Assert.Equal(12 + 84, sizes[0]);
        Assert.True(Icmp.IsEchoReply(buffers[0].Span.Slice(Headroom + 12, 84)));
        Assert.Equal(0, buffers[0].Span[Headroom + 4]); // virtio_net_hdr.gso_type: GSO_NONE for one echo reply
    }

    [RootFact]
    public void Each_queue_of_a_multi_queue_device_is_its_own_IPacketQueue()
    {
        var name = UniqueName.Next("mq");
        using var f = QueueFixture.Create(new TunOptions { Name = name, MultiQueue = true });
        using var second = NetNamespace.Run(f.Ns.Name, () => TunDevice.Open(new TunOptions { Name = name, MultiQueue = true }));
        IPacketQueue[] queues = [f.Device, second];
        var before = f.Counter("rx_packets");
        foreach (var q in queues)
        {
            Assert.Equal(name, q.Name);
            Assert.Equal(3, q.Write(Requests(3, 0, _ => 84), 0));
        }
        Assert.Equal(before + 6, f.Counter("rx_packets"));
        second.Shutdown();
        Assert.Equal(0, second.Read(Buffers(1, 2048, 0), new int[1], 0));
        Assert.Equal(1, f.Device.Write(Requests(1, 0, _ => 84), 0)); // the other queue still works
    }

    [RootFact]
    public void MaxPacketSize_follows_the_MTU_and_the_link_header()
    {
        using var f = QueueFixture.Create(new TunOptions());
        Assert.Equal(1500, f.Device.MaxPacketSize);
        f.Device.UpdateMtu(1420);
        Assert.Equal(1420, f.Device.MaxPacketSize);
        using var tap = QueueFixture.Create(new TunOptions { Mode = TunMode.Tap, PacketInfo = true });
        Assert.Equal(1500 + 18 + 4, tap.Device.MaxPacketSize);
        Assert.True(tap.Device.IsEthernet);
        Assert.False(f.Device.IsEthernet);
    }
}

using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests.IO;

/// <summary>The batched queue API on a tap device: whole Ethernet frames in and out.</summary>
public sealed class TapQueueTests
{
    [RootFact]
    public void Frames_go_in_and_come_back_in_batches_with_exact_boundaries()
    {
        using var f = QueueFixture.Create(new TunOptions { Mode = TunMode.Tap });
        var q = f.Device;
        Assert.True(q.IsEthernet);
        const int n = 8;
        const int offset = 32;
        var frames = new Memory<byte>[n];
        for (var i = 0; i < n; i++)
        {
            var b = new byte[offset + 14 + 40 + 10 * i];
            Icmp.Frame(b.AsSpan(offset), dstMac: f.Mac, srcMac: QueueFixture.PeerMac);
            Icmp.Build(b.AsSpan(offset + 14), QueueFixture.Peer, QueueFixture.Local, 0x7a7a, (ushort)i);
            frames[i] = b;
        }
        var rx = f.Counter("rx_packets");
        var tx = f.EchoRepliesSent();
        Assert.Equal(n, q.Write(frames, offset));
        Assert.Equal(rx + n, f.Counter("rx_packets"));
        f.WaitEchoReplies(tx, n);

        var buffers = new Memory<byte>[q.BatchSize];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new byte[offset + q.MaxPacketSize];
        }
        var sizes = new int[q.BatchSize];
        var got = q.Read(buffers, sizes, offset);
        Assert.Equal(n, got);
        for (var i = 0; i < got; i++)
        {
            var frame = buffers[i].Span.Slice(offset, sizes[i]);
            Assert.Equal(QueueFixture.PeerMac, frame[..6].ToArray());
            Assert.Equal(f.Mac, frame[6..12].ToArray());
            Assert.True(Icmp.IsEchoReply(frame[14..]));
            Assert.Equal(14 + 40 + 10 * Icmp.Sequence(frame[14..]), sizes[i]);
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SharpTun.Packets.Offload;
using SharpTun.Testing.Fakes;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// The relay's tun offload path (the shared TunOffloadReader and TunCoalescingWriter) end to end over
/// fake devices with virtio-net headers and a real loopback TCP link: super-packets the "kernel" hands
/// relay A leave as wire-sized segments and reach B's "kernel" coalesced again, byte for byte.
/// </summary>
public sealed class RelayOffloadTests
{
    private const int Vnet = VirtioNetHeader.Size;

    [Fact]
    public void Super_packets_are_split_on_the_way_out_and_coalesced_on_the_way_in()
    {
        var options = new FakeQueueOptions { VnetHeaderSize = Vnet, MaxPacketSize = 65535, QueueBytes = 8 << 20 };
        var (deviceA, kernelA) = FakePacketQueue.CreatePair("fakeA", "kernelA", options);
        var (deviceB, kernelB) = FakePacketQueue.CreatePair("fakeB", "kernelB", options);
        using var da = deviceA;
        using var ka = kernelA;
        using var db = deviceB;
        using var kb = kernelB;
        var countersA = new TunnelCounters();
        var countersB = new TunnelCounters();
        var batch = Relay.SendBatch(deviceA);
        var listener = TcpServerTransport.Listen(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), new IPEndPoint(IPAddress.Loopback, 0));
        using var server = new TcpServerTransport(listener, new TcpBuffers(1500, batch), countersA, new EventLimiter(null), new AddressFilter([]), new TcpPolicy());
        using var client = new TcpClientTransport([server.LocalEndPoint], f => new Socket(f, SocketType.Stream, ProtocolType.Tcp), new TcpBuffers(1500, batch), countersB,
            new EventLimiter(null));
        using var failures = new BlockingCollection<Exception>();
        var relayA = new Relay(deviceA, server, countersA, wirePacketSize: 1500);
        var relayB = new Relay(deviceB, client, countersB, wirePacketSize: 1500);
        var threads = new[] { RelayOverFakesTests.Start(relayA, failures), RelayOverFakesTests.Start(relayB, failures) };
        try
        {
            Poll.Until(() => relayA.PeerName is not null || failures.Count > 0, "the server relay to have its peer");
            Assert.Empty(failures);
            // 4 super-packets of 100 segments: when they come in one read batch they overflow the 256 segment slots.
            var expected = new List<byte[]>();
            var frames = new Memory<byte>[4];
            for (var f = 0; f < frames.Length; f++)
            {
                var flow = TestFlow.TcpV4((ushort)(42000 + f));
                var payload = Buffers(100 * 400, f);
                var (h, p) = flow.SuperPacket(payload, 400, seq: 1, id: 1);
                var frame = new byte[Vnet + p.Length];
                h.TryWrite(frame);
                p.CopyTo(frame, Vnet);
                frames[f] = frame;
                for (var i = 0; i < 100; i++)
                {
                    expected.Add(flow.Packet(payload.AsSpan(i * 400, 400).ToArray(), 1 + (uint)(i * 400), 0x10, (ushort)(1 + i)));
                }
            }
            Assert.Equal(1, kernelA.Write([new byte[4]], 0)); // shorter than a virtio-net header: refused, counted by cause
            Assert.Equal(4, kernelA.Write(frames, 0));

            var got = new List<byte[]>();
            var superPackets = 0;
            Poll.Until(() =>
            {
                superPackets += Drain(kernelB, got);
                return got.Count >= expected.Count || failures.Count > 0;
            }, "400 segments at B", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));
            Assert.Empty(failures);

            Assert.Equal(expected, got);
            Assert.True(superPackets > 0, "B wrote no super-packet: nothing was coalesced");
            Assert.Equal((4, 400L, 1L, 0L), (countersA.SuperPacketsSplit, countersA.DeviceToNetPackets, countersA.DropOffload, countersA.DropSendFailed));
            Assert.Equal((1L, 1L), (countersA.OffloadErrors[OffloadError.HeaderTooShort], countersA.OffloadErrors.Total));
            Assert.Equal(expected.Sum(p => (long)p.Length), countersA.DeviceToNetBytes);
            Assert.Equal((400L, (long)superPackets, 0L), (countersB.NetToDevicePackets, countersB.SuperPacketsWritten, countersB.DeviceWriteErrors));
            Assert.Equal(expected.Sum(p => (long)p.Length), countersB.NetToDeviceBytes);
        }
        finally
        {
            relayA.Stop();
            relayB.Stop();
            foreach (var t in threads)
            {
                Assert.True(t.Join(5000), $"relay thread {t.Name} did not stop within 5 s of Stop()");
            }
        }
        Assert.Empty(failures);
    }

    /// <summary>Reads what the kernel side has (header + packet each), splits every output again as the kernel's GSO would; returns how many were super-packets.</summary>
    private static int Drain(FakePacketQueue kernel, List<byte[]> into)
    {
        var buffers = new Memory<byte>[4];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = new byte[Vnet + 65535];
        }
        var sizes = new int[4];
        var segments = new Memory<byte>[128];
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = new byte[1500];
        }
        var segmentSizes = new int[128];
        var superPackets = 0;
        int n;
        while ((n = kernel.TryRead(buffers, sizes, 0)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(OffloadError.None, GsoSplitter.Split(buffers[i].Span[..sizes[i]], Vnet, segments, segmentSizes, 0, out var count));
                Assert.True(VirtioNetHeader.TryRead(buffers[i].Span, out var h));
                superPackets += h.IsGso ? 1 : 0;
                for (var s = 0; s < count; s++)
                {
                    into.Add(segments[s].Span[..segmentSizes[s]].ToArray());
                }
            }
        }
        return superPackets;
    }

    private static byte[] Buffers(int length, int salt)
    {
        var p = new byte[length];
        for (var i = 0; i < length; i++)
        {
            p[i] = (byte)((i * 13) + salt + (i >> 8));
        }
        return p;
    }
}

using System.Buffers.Binary;
using SharpTun.Packets;
using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>Capture over fakes: exactly the chosen peer's inner packets, both directions, as a pcap tshark and PcapReader read.</summary>
public sealed class CaptureTests
{
    [Fact]
    public void CaptureOfOnePeer_HoldsExactlyItsPackets_BothDirections_ThenEnds()
    {
        using var pair = new FakePair();
        var keyOfB = SharpTun.WireGuard.WireGuardKeys.PublicKey(pair.KeyB);
        var ping = Packets.Echo("198.19.0.1", "198.19.0.2", payload: 100);
        var reply = Packets.Echo("198.19.0.2", "198.19.0.1", payload: 100, type: 0);
        pair.TunA.Inject(ping); // before the capture: not in it
        pair.Settle();
        using var file = new MemoryStream();
        var stop = 0;
        using var started = new ManualResetEventSlim();
        var run = Task.Run(() => pair.A.Capture(keyOfB, file, () => Volatile.Read(ref stop) != 0, started.Set));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 3; i++)
        {
            pair.TunA.Inject(ping);
            pair.Settle();
            pair.TunB.Inject(reply);
            pair.Settle();
        }
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.99")); // no route: no peer, not captured
        pair.Settle();
        Volatile.Write(ref stop, 1);
        var (captured, dropped) = run.Wait(TimeSpan.FromSeconds(30)) ? run.Result : throw new TimeoutException("capture did not end");
        Assert.Equal((6L, 0L), (captured, dropped));

        file.Position = 0;
        using var reader = new PcapReader(new MemoryStream(file.ToArray()));
        Assert.Equal(LinkType.Raw, reader.LinkType);
        var records = new List<byte[]>();
        while (reader.TryRead(out var r))
        {
            records.Add(r.Data);
        }
        Assert.Equal([ping, reply, ping, reply, ping, reply], records);

        // Once it ended the hook is off again.
        pair.TunA.Inject(ping);
        pair.Settle();
        Assert.Equal(6, captured);
    }

    [Fact]
    public void Capture_OfAKeyNoPeerHas_IsAnErrorNamingIt()
    {
        using var pair = new FakePair();
        var key = new byte[32];
        key[0] = 7;
        var e = Assert.Throws<KeyNotFoundException>(() => pair.A.Capture(key, new MemoryStream(), () => true));
        Assert.Equal($"interface 'wga' has no peer {Convert.ToBase64String(key)}", e.Message);
    }

    [Fact]
    public void WithTunOffloads_ASuperPacketIsCapturedAsTheWireSizedPacketsItBecame_OnBothSides()
    {
        const PacketOffloads all = PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation;
        using var pair = new FakePair(offloads: all);
        static byte[] Framed(in VirtioNetHeader h, byte[] packet)
        {
            var frame = new byte[VirtioNetHeader.Size + packet.Length];
            Assert.True(h.TryWrite(frame));
            packet.CopyTo(frame, VirtioNetHeader.Size);
            return frame;
        }
        pair.TunA.Inject(Framed(default, Packets.Echo("198.19.0.1", "198.19.0.2")));
        pair.Settle();
        var flow = new TestFlow(false, true, "198.19.0.2", "198.19.0.1", 40000, 5201);
        var payload = new byte[1368 * 6 + 100];
        new Random(10).NextBytes(payload);
        var (header, packet) = flow.SuperPacket(payload, 1368, seq: 1000, flags: 0x18);

        var files = new[] { new MemoryStream(), new MemoryStream() };
        var stop = 0;
        using var startedA = new ManualResetEventSlim();
        using var startedB = new ManualResetEventSlim();
        var onA = Task.Run(() => pair.A.Capture(SharpTun.WireGuard.WireGuardKeys.PublicKey(pair.KeyB), files[0], () => Volatile.Read(ref stop) != 0, startedA.Set));
        var onB = Task.Run(() => pair.B.Capture(null, files[1], () => Volatile.Read(ref stop) != 0, startedB.Set));
        Assert.True(startedA.Wait(TimeSpan.FromSeconds(30)) && startedB.Wait(TimeSpan.FromSeconds(30)));
        pair.TunB.Inject(Framed(header, packet));
        pair.Settle();
        Volatile.Write(ref stop, 1);
        Assert.True(Task.WaitAll([onA, onB], TimeSpan.FromSeconds(30)));
        foreach (var file in files)
        {
            using var reader = new PcapReader(new MemoryStream(file.ToArray()));
            var data = new List<byte>();
            var n = 0;
            while (reader.TryRead(out var r))
            {
                n++;
                var p = r.Data;
                Assert.Equal(4, p[0] >> 4);
                Assert.Equal(p.Length, BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2)));
                var ihl = (p[0] & 15) * 4;
                var tcp = ihl + (p[ihl + 12] >> 4) * 4;
                Assert.InRange(p.Length - tcp, 1, 1368);
                data.AddRange(p.AsSpan(tcp).ToArray());
            }
            // Seven segments (six of 1368 bytes, one of 100), in order: the payload whole.
            Assert.Equal(7, n);
            Assert.Equal(payload, data.ToArray());
        }
    }
}

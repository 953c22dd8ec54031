using SharpTun.Testing;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using SharpTun.IO;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.Bench;

/// <summary>
/// CPU cost per 1420-byte packet of Encapsulate for one peer, from one thread and from two threads at
/// once (thread CPU time): what the per-peer lock and the shared AEAD cost when the crypto runs on
/// several cores. Was tests/SharpTun.WireGuard.Tests ScalingMeasurementTests; the correctness it touched
/// (every packet encrypted once from parallel threads) is ConcurrencyTests.ParallelEncrypt_ParallelDecrypt_EachPacketOnce_ReplayRaceAcceptsOne.
/// </summary>
internal static class ScalingBench
{
    internal static int Run(int packets)
    {
        var clock = new ManualTimeProvider();
        var rng = new SeededRandom(1);
        var ka = new byte[32];
        var kb = new byte[32];
        rng.Fill(ka);
        rng.Fill(kb);
        using var a = new WireGuardDevice(ka, clock, new SeededRandom(2));
        using var b = new WireGuardDevice(kb, clock, new SeededRandom(3));
        var endA = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));
        var endB = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:51820"));
        var peerB = a.AddPeer(b.PublicKey.Span);
        b.AddPeer(a.PublicKey.Span);
        peerB.Endpoint = endB;
        a.AllowedIps.Insert(IPAddress.Parse("198.19.0.2"), 32, peerB);
        Handshake(a, b, peerB, endA, endB);
        var packet = Ipv4Udp("198.19.0.1", "198.19.0.2", 1420);
        Measure(a, peerB, packet, 1, packets); // JIT tiering settles
        var one = Measure(a, peerB, packet, 1, packets);
        var two = Measure(a, peerB, packet, 2, packets);
        Console.WriteLine($"Encapsulate 1420 B, thread CPU per packet ({packets} packets per thread): 1 thread {one:F0} ns, 2 threads at once {two:F0} ns");
        return 0;
    }

    private static void Handshake(WireGuardDevice a, WireGuardDevice b, WireGuardPeer peerB, NetEndpoint endA, NetEndpoint endB)
    {
        var x = new byte[2048];
        var y = new byte[2048];
        var init = a.InitiateHandshake(peerB, x, force: true);
        var resp = b.Decapsulate(endA, x.AsSpan(0, init.Length), y);
        var confirm = a.Decapsulate(endB, y.AsSpan(0, resp.Length), x);
        b.Decapsulate(endA, x.AsSpan(0, confirm.Length), y);
        if (init.Action != WireGuardAction.WriteToNetwork || resp.Action != WireGuardAction.WriteToNetwork || confirm.Action != WireGuardAction.WriteToNetwork)
        {
            throw new InvalidOperationException($"handshake failed: {init.Action}, {resp.Action}, {confirm.Action}");
        }
    }

    private static double Measure(WireGuardDevice a, WireGuardPeer peer, byte[] packet, int threads, int packets)
    {
        var cpu = new ConcurrentBag<long>();
        var ok = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var wire = new byte[2048];
            for (var i = 0; i < 2000; i++)
            {
                a.Encapsulate(peer, packet, wire);
            }
            var start = ThreadCpuClock.Nanoseconds();
            var n = 0;
            for (var i = 0; i < packets; i++)
            {
                n += a.Encapsulate(peer, packet, wire).Action == WireGuardAction.WriteToNetwork ? 1 : 0;
            }
            cpu.Add(ThreadCpuClock.Nanoseconds() - start);
            Interlocked.Add(ref ok, n);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        if (ok != threads * packets)
        {
            throw new InvalidOperationException($"only {ok} of {threads * packets} packets were encrypted");
        }
        return (double)cpu.Sum() / (threads * packets);
    }

    // An IPv4/UDP packet of length bytes with a valid header checksum.
    private static byte[] Ipv4Udp(string source, string destination, int length)
    {
        var p = new byte[length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)length);
        p[8] = 64;
        p[9] = 17;
        IPAddress.Parse(source).TryWriteBytes(p.AsSpan(12), out _);
        IPAddress.Parse(destination).TryWriteBytes(p.AsSpan(16), out _);
        for (var i = 20; i < length; i++)
        {
            p[i] = (byte)(0xA5 + i);
        }
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(i));
        }
        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), (ushort)~sum);
        return p;
    }
}

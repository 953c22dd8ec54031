using System.Diagnostics;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>The per-packet path allocates nothing; a throughput figure for the notes (printed, not asserted).</summary>
public sealed class DataPathTests(ITestOutputHelper output)
{
    [Fact]
    public void EncapsulateAndDecapsulate_DoNotAllocate()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1420);
        var wire = new byte[2048];
        var inner = new byte[2048];
        for (var i = 0; i < 100; i++)
        {
            RoundTrip(pair, packet, wire, inner);
        }
        Assert.Equal(0, Allocation.SteadyState(2000, _ => RoundTrip(pair, packet, wire, inner)));
    }

    [Fact]
    public void Decapsulate_FromAnUnchangedEndpointWithLocalHint_DoesNotAllocate_ARoamAllocatesOnce()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1420);
        var wire = new byte[2048];
        var inner = new byte[2048];
        var local = NetEndpoint.From(System.Net.IPAddress.Parse("198.18.0.2").GetAddressBytes(), 0);
        var source = new DatagramEndpoint(PeerPair.EndA, local, 4);
        var moved = new DatagramEndpoint(NetEndpoint.From(System.Net.IPEndPoint.Parse("198.18.0.9:40000")), local, 4);
        for (var i = 0; i < 100; i++)
        {
            RoundTrip(pair, packet, wire, inner, source);
        }
        Assert.Equal(0, Allocation.SteadyState(2000, _ => RoundTrip(pair, packet, wire, inner, source)));
        Assert.Equal(source, pair.PeerAOnB.Destination);
        Assert.Equal(local, pair.PeerAOnB.Destination.Local);

        // A roam replaces the endpoint once (one small immutable box), then the path is allocation-free again.
        var before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrip(pair, packet, wire, inner, moved);
        var roam = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(roam, 1, 128);
        Assert.Equal(0, Allocation.SteadyState(2000, _ => RoundTrip(pair, packet, wire, inner, moved)));
        Assert.Equal(moved.Remote, pair.PeerAOnB.Endpoint);
    }

    [Fact]
    public void Throughput_1420BytePackets()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1420);
        var wire = new byte[2048];
        var inner = new byte[2048];
        const int n = 20_000;
        for (var i = 0; i < 3000; i++)
        {
            RoundTrip(pair, packet, wire, inner); // warm up (JIT tiering)
        }
        var lengths = 0L;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            lengths += pair.A.Encapsulate(pair.PeerBOnA, packet, wire).Length;
        }
        var encrypt = sw.Elapsed;
        var message = wire.AsSpan(0, pair.A.Encapsulate(pair.PeerBOnA, packet, wire).Length).ToArray();
        // Decrypt fresh messages: encrypt a batch first so the replay window accepts each once.
        var batch = new byte[n][];
        for (var i = 0; i < n; i++)
        {
            var r = pair.A.Encapsulate(pair.PeerBOnA, packet, wire);
            batch[i] = wire.AsSpan(0, r.Length).ToArray();
        }
        sw.Restart();
        var ok = 0;
        for (var i = 0; i < n; i++)
        {
            if (pair.B.Decapsulate(PeerPair.EndA, batch[i], inner).Action == WireGuardAction.WriteToTunnel)
            {
                ok++;
            }
        }
        var decrypt = sw.Elapsed;
        Assert.Equal(n, ok);
        Assert.Equal(1420 + 32 + 4, message.Length);
        output.WriteLine($"encrypt: {n / encrypt.TotalSeconds:N0} packets/s ({lengths * 8 / encrypt.TotalSeconds / 1e9:N2} Gbit/s of datagrams)");
        output.WriteLine($"decrypt: {n / decrypt.TotalSeconds:N0} packets/s ({(long)n * 1420 * 8 / decrypt.TotalSeconds / 1e9:N2} Gbit/s of inner packets)");
    }

    private static void RoundTrip(PeerPair pair, byte[] packet, byte[] wire, byte[] inner) =>
        RoundTrip(pair, packet, wire, inner, new DatagramEndpoint(PeerPair.EndA));

    private static void RoundTrip(PeerPair pair, byte[] packet, byte[] wire, byte[] inner, in DatagramEndpoint source)
    {
        var e = pair.A.Encapsulate(packet, wire);
        var d = pair.B.Decapsulate(source, wire.AsSpan(0, e.Length), inner);
        if (d.Action != WireGuardAction.WriteToTunnel)
        {
            throw new InvalidOperationException(d.ToString());
        }
    }
}

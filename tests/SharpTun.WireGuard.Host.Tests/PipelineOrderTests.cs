using System.Buffers.Binary;
using SharpTun.Testing;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The data-plane pipeline over load fakes: 100k packets for several peers, interleaved at random (seeded),
/// sealed and opened by 1, 2 and 4 workers, arrive each peer's in order: nothing lost, nothing duplicated,
/// counters (nonces) rising with the sequence; and the threads that did it allocated nothing per packet.
/// </summary>
public sealed class PipelineOrderTests(ITestOutputHelper output)
{
    private const int Packets = 100_000;
    private const int Peers = 5;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Outbound_EachPeersSequence_SurvivesParallelSealing(int workers)
    {
        var random = new Random(TestSeed.Get(output));
        var next = new int[Peers];
        var packets = new List<ReadOnlyMemory<byte>>(Packets);
        for (var i = 0; i < Packets; i++)
        {
            var k = random.Next(Peers);
            packets.Add(LoadRig.Packet(k, next[k]++, random.Next(28, 300), toPeer: true));
        }
        using var rig = new LoadRig(Peers, workers, packets);
        var expected = new int[Peers];
        var lastCounter = new ulong[Peers];
        var received = 0;
        string? failure = null;
        var plain = new byte[2048];
        var sync = new Lock();
        rig.Bind.OnSend = (datagram, destination) =>
        {
            lock (sync)
            {
                var k = Array.IndexOf(rig.RemoteEndpoints, destination.Remote);
                var r = rig.Remote[k].Decapsulate(LoadRig.EndpointA, datagram.Span, plain);
                if (r.Action != WireGuardAction.WriteToTunnel)
                {
                    return; // a keepalive (or a timer's message): no sequence
                }
                var (peer, sequence) = LoadRig.Read(plain);
                var counter = BinaryPrimitives.ReadUInt64LittleEndian(datagram.Span[8..]);
                if (failure is null && (peer != k || sequence != expected[k] || (sequence > 0 && counter <= lastCounter[k])))
                {
                    failure = $"peer {k}: got packet ({peer}, {sequence}) with counter {counter}, expected sequence {expected[k]} after counter {lastCounter[k]}";
                }
                expected[k] = sequence + 1;
                lastCounter[k] = counter;
                received++;
            }
        };
        rig.A.Start();
        rig.Tun.Go();
        Poll.Until(() => Volatile.Read(ref received) >= Packets || rig.A.Completion.IsCompleted, $"{Packets} packets sealed and sent", TimeSpan.FromSeconds(120));
        rig.A.Stop();
        Assert.Null(failure);
        Assert.Equal(Packets, received);
        Assert.Equal(next, expected);
        Assert.Equal(0, rig.A.Drops.Total);
        AssertAllocationFree(rig.A);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Inbound_EachPeersSequence_SurvivesParallelOpening(int workers)
    {
        var random = new Random(TestSeed.Get(output));
        using var rig = new LoadRig(Peers, workers, []);
        var next = new int[Peers];
        var datagrams = new List<ReadOnlyMemory<byte>>(Packets);
        var sources = new List<DatagramEndpoint>(Packets);
        var wire = new byte[2048];
        for (var i = 0; i < Packets; i++)
        {
            var k = random.Next(Peers);
            var packet = LoadRig.Packet(k, next[k]++, random.Next(28, 300), toPeer: false);
            var r = rig.Remote[k].Encapsulate(rig.Remote[k].Peers[0], packet, wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
            datagrams.Add(wire.AsSpan(0, r.Length).ToArray());
            sources.Add(new DatagramEndpoint(rig.RemoteEndpoints[k]));
        }
        var expected = new int[Peers];
        string? failure = null;
        rig.Tun.OnWrite = packet =>
        {
            var (peer, sequence) = LoadRig.Read(packet.Span);
            if (failure is null && (peer >= Peers || sequence != expected[peer]))
            {
                failure = $"peer {peer}: got sequence {sequence}, expected {(peer < Peers ? expected[peer] : -1)}";
            }
            if (peer < Peers)
            {
                expected[peer] = sequence + 1;
            }
        };
        rig.Bind.Replay(datagrams, sources);
        rig.A.Start();
        rig.Bind.Go();
        Poll.Until(() => rig.Tun.PacketsWritten >= Packets || rig.A.Completion.IsCompleted, $"{Packets} packets opened and written", TimeSpan.FromSeconds(120));
        rig.A.Stop();
        Assert.Null(failure);
        Assert.Equal(Packets, rig.Tun.PacketsWritten);
        Assert.Equal(next, expected);
        Assert.Equal(0, rig.A.Drops.Total);
        AssertAllocationFree(rig.A);
    }

    /// <summary>
    /// The data-plane threads (readers, workers, whoever released) allocated less than one byte per packet over
    /// their whole life, start-up included: one allocation per packet would be ≥ 24 bytes each (2.4 MB).
    /// </summary>
    private void AssertAllocationFree(WireGuardInterface wg)
    {
        var allocated = wg.DataPlaneAllocatedBytes;
        output.WriteLine($"data-plane threads allocated {allocated} bytes for {Packets} packets");
        Assert.True(allocated < Packets, $"the data-plane threads allocated {allocated} bytes for {Packets} packets");
    }

    [Fact]
    public void StartStop_WithWorkers_NeverHangs()
    {
        for (var i = 0; i < 200; i++)
        {
            using var rig = new LoadRig(1, 2, []);
            rig.A.Start();
            var stop = Task.Run(rig.A.Stop);
            Assert.True(stop.Wait(TimeSpan.FromSeconds(10)), $"round {i}: Stop did not return within 10 s");
        }
    }
}

using System.Net;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Two started interfaces (their own pump and timer threads) over the shared fakes: packet queue pairs
/// for the tun devices and a fake UDP network; a test thread plays both kernels.
/// </summary>
public sealed class ThreadedFakesTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private readonly FakeDatagramNetwork _network = new();
    private readonly FakePacketQueue _kernelA;
    private readonly FakePacketQueue _kernelB;
    private readonly FakeDatagramBind _bindA;
    private readonly FakeDatagramBind _bindB;
    private readonly WireGuardInterface _a;
    private readonly WireGuardInterface _b;

    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public ThreadedFakesTests(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        var (kernelA, tunA) = FakePacketQueue.CreatePair("ka", "wga");
        var (kernelB, tunB) = FakePacketQueue.CreatePair("kb", "wgb");
        _kernelA = kernelA;
        _kernelB = kernelB;
        _bindA = _network.Bind("198.18.0.1:51820");
        _bindB = _network.Bind("198.18.0.2:51820");
        var keyA = WireGuardKeys.GeneratePrivateKey();
        var keyB = WireGuardKeys.GeneratePrivateKey();
        _a = new WireGuardInterface(tunA, keyA, (_, _) => _bindA, 51820);
        _b = new WireGuardInterface(tunB, keyB, (_, _) => _bindB, 51820);
        _a.SetPeer(WireGuardKeys.PublicKey(keyB), endpoint: _bindB.LocalEndpoint, allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        _b.SetPeer(WireGuardKeys.PublicKey(keyA), allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);
        _a.Start();
        _b.Start();
    }

    [Fact]
    public void ManyPacketsBothWays_ArriveExactAndInOrder()
    {
        var seed = TestSeed.Get(_output);
        var random = new Random(seed);
        for (var round = 0; round < 4; round++)
        {
            var toB = Enumerable.Range(0, 50).Select(i => Packets.Echo("198.19.0.1", "198.19.0.2", random.Next(0, 1372), (ushort)i)).ToList();
            Send(_kernelA, toB);
            Assert.Equal(toB, Receive(_kernelB, toB.Count));
            var toA = Enumerable.Range(0, 50).Select(i => Packets.Echo("198.19.0.2", "198.19.0.1", random.Next(0, 1372), (ushort)i, type: 0)).ToList();
            Send(_kernelB, toA);
            Assert.Equal(toA, Receive(_kernelA, toA.Count));
        }
        Assert.Equal(0, _a.Drops.Total);
        Assert.Equal(0, _b.Drops.Total);
    }

    [Fact]
    public void Roaming_FollowsOneAuthenticatedPacket_SpoofedOnesChangeNothing()
    {
        Send(_kernelA, [Packets.Echo("198.19.0.1", "198.19.0.2")]);
        Receive(_kernelB, 1);
        Send(_kernelB, [Packets.Echo("198.19.0.2", "198.19.0.1")]);
        Receive(_kernelA, 1);

        // B's outer address changes (NAT rebinding): the next authenticated packet moves A's endpoint.
        var moved = _network.Bind("198.18.0.3:40001");
        _bindB.Source = moved.LocalEndpoint;
        Send(_kernelB, [Packets.Echo("198.19.0.2", "198.19.0.1", sequence: 2)]);
        Receive(_kernelA, 1);
        Assert.Equal("198.18.0.3:40001", _a.GetPeers()[0].Endpoint!.ToString());

        // A third party sends unauthenticated datagrams (a data header with an unknown index, a zero
        // initiation) from its own address: both are dropped and the endpoint does not move.
        var third = _network.Bind("198.18.0.66:4444");
        var bogus = new byte[64];
        bogus[0] = 4;
        third.Send([bogus], 0, new DatagramEndpoint(_bindA.LocalEndpoint));
        third.Send([new byte[148]], 0, new DatagramEndpoint(_bindA.LocalEndpoint));
        Poll.Until(() => _a.Drops.Total >= 2, "A to drop the two forged datagrams", s_wait);
        Assert.Equal("198.18.0.3:40001", _a.GetPeers()[0].Endpoint!.ToString());
        moved.Dispose();
        third.Dispose();
    }

    private static void Send(FakePacketQueue kernel, List<byte[]> packets)
    {
        var memories = packets.Select(p => (Memory<byte>)p).ToArray();
        Assert.Equal(packets.Count, kernel.Write(memories, 0));
    }

    private static List<byte[]> Receive(FakePacketQueue kernel, int count)
    {
        var got = new List<byte[]>();
        var buffers = Enumerable.Range(0, 64).Select(_ => (Memory<byte>)new byte[2048]).ToArray();
        var sizes = new int[64];
        var deadline = DateTime.UtcNow + s_wait;
        while (got.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {got.Count} of {count} packets arrived");
            var n = kernel.TryRead(buffers, sizes, 0);
            if (n == 0)
            {
                Thread.Sleep(1);
                continue;
            }
            for (var i = 0; i < n; i++)
            {
                got.Add(buffers[i][..sizes[i]].ToArray());
            }
        }
        return got;
    }

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
        _kernelA.Dispose();
        _kernelB.Dispose();
    }
}

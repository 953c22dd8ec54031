using System.Net;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard.Host.Tests.Integration;

namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>
/// Two started <see cref="WireGuardInterface"/>s (their own pump and timer threads), A = host 1
/// (198.19.0.1) and B = host 2 (198.19.0.2), over fake tun devices whose kernel side the test plays,
/// and over the UDP sockets of an <see cref="IScenarioNetwork"/>. A knows B's endpoint; B learns A's
/// from the handshake. B's socket records what it sends.
/// </summary>
internal sealed class ScenarioPair : IRoamingPair, IDisposable
{
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly FakePacketQueue _tunA;
    private readonly FakePacketQueue _tunB;

    internal ScenarioPair(IScenarioNetwork network)
    {
        Network = network;
        try
        {
            (KernelA, _tunA) = FakePacketQueue.CreatePair("ka", "wga");
            (KernelB, _tunB) = FakePacketQueue.CreatePair("kb", "wgb");
            BindA = network.OpenBind(1);
            BindB = new RecordingBind(network.OpenBind(2));
            var keyA = WireGuardKeys.GeneratePrivateKey();
            var keyB = WireGuardKeys.GeneratePrivateKey();
            A = new WireGuardInterface(_tunA, keyA, (_, _) => BindA, 51820);
            B = new WireGuardInterface(_tunB, keyB, (_, _) => BindB, 51820);
            A.SetPeer(WireGuardKeys.PublicKey(keyB), endpoint: EndpointOf("198.18.0.2"), allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
            B.SetPeer(WireGuardKeys.PublicKey(keyA), allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);
            A.Start();
            B.Start();
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    internal IScenarioNetwork Network { get; }

    internal WireGuardInterface A { get; }

    internal WireGuardInterface B { get; }

    internal FakePacketQueue KernelA { get; }

    internal FakePacketQueue KernelB { get; }

    internal IDatagramBind BindA { get; }

    internal RecordingBind BindB { get; }

    internal static NetEndpoint EndpointOf(string address) => NetEndpoint.From(new IPEndPoint(IPAddress.Parse(address), 51820));

    /// <summary>A's current endpoint for B, as <c>wg show</c> prints it.</summary>
    public string EndpointOfBOnA => A.GetPeers()[0].Endpoint?.ToString() ?? "(none)";

    string IRoamingPair.Description => Network.Description;

    long IRoamingPair.DeliveredToA => _tunA.Written;

    long IRoamingPair.WireDropsAtA => A.Drops.Total - A.Drops[DropReason.NoRoute];

    void IRoamingPair.Exchange(ushort sequence)
    {
        var request = Packets.Echo("198.19.0.1", "198.19.0.2", sequence: sequence);
        Send(KernelA, [request]);
        Assert.Equal(request, Receive(KernelB, 1)[0]);
        var reply = Packets.Echo("198.19.0.2", "198.19.0.1", sequence: sequence, type: 0);
        Send(KernelB, [reply]);
        Assert.Equal(reply, Receive(KernelA, 1)[0]);
    }

    void IRoamingPair.SendFromB(ushort sequence)
    {
        var packet = Packets.Echo("198.19.0.2", "198.19.0.1", sequence: sequence, type: 0);
        Send(KernelB, [packet]);
        Assert.Equal(packet, Receive(KernelA, 1)[0]);
    }

    void IRoamingPair.MoveB() => Network.MoveHost2(BindB.Inner);

    List<byte[]> IRoamingPair.SentByB() => BindB.Sent;

    IThirdHost IRoamingPair.AddThirdHost() => Network.AddThirdHost();

    /// <summary>The kernel side of one tun sends <paramref name="packets"/> into its interface.</summary>
    internal static void Send(FakePacketQueue kernel, List<byte[]> packets) =>
        Assert.Equal(packets.Count, kernel.Write(packets.Select(p => (Memory<byte>)p).ToArray(), 0));

    /// <summary>What the interface delivers to the kernel side of its tun: exactly <paramref name="count"/> packets within <see cref="Wait"/>.</summary>
    internal static List<byte[]> Receive(FakePacketQueue kernel, int count)
    {
        var got = new List<byte[]>();
        var buffers = Enumerable.Range(0, 64).Select(_ => (Memory<byte>)new byte[2048]).ToArray();
        var sizes = new int[64];
        Poll.Until(() =>
        {
            var n = kernel.TryRead(buffers, sizes, 0);
            for (var i = 0; i < n; i++)
            {
                got.Add(buffers[i][..sizes[i]].ToArray());
            }
            return got.Count >= count;
        }, $"{count} packets on {kernel.Name} (got {got.Count})", Wait, TimeSpan.FromMilliseconds(2));
        Assert.Equal(count, got.Count);
        return got;
    }

    /// <summary>Packets queued on the kernel side of a tun right now (read and discarded).</summary>
    internal static int Pending(FakePacketQueue kernel)
    {
        var buffers = Enumerable.Range(0, 64).Select(_ => (Memory<byte>)new byte[2048]).ToArray();
        var sizes = new int[64];
        var total = 0;
        int n;
        while ((n = kernel.TryRead(buffers, sizes, 0)) > 0)
        {
            total += n;
        }
        return total;
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        KernelA.Dispose();
        KernelB.Dispose();
        _tunA.Dispose();
        _tunB.Dispose();
        Network.Dispose();
    }
}

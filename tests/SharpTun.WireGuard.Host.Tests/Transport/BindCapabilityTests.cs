using System.Net;
using System.Runtime.InteropServices;

namespace SharpTun.WireGuard.Host.Tests.Transport;

/// <summary>
/// The seam between <see cref="WireGuardInterface"/> and its bind: the interface uses what the bind declares
/// (<see cref="IDatagramBind.TrySetFirewallMark"/>, <see cref="IDatagramBind.OffloadStatistics"/>,
/// <see cref="IDatagramBind.StreamFallback"/>), whatever its type: here a wrapper around the fake bind that
/// is neither UdpBind nor TcpFallbackBind.
/// </summary>
public sealed class BindCapabilityTests
{
    private static readonly NetEndpoint s_address = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 51820));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FwmarkChange_IsSetInPlace_WhenTheBindCan_ElseTheBindIsReopenedWithIt(bool inPlace)
    {
        var network = new FakeNetwork();
        var opened = new List<(ushort Port, uint Mark, DeclaringBind Bind)>();
        using var iface = new WireGuardInterface(new FakeTun("wgseam0"), WireGuardKeys.GeneratePrivateKey(), (port, mark) =>
        {
            var bind = new DeclaringBind(new FakeBind(network, s_address)) { SetsMarkInPlace = inPlace };
            opened.Add((port, mark, bind));
            return bind;
        }, 51820);
        iface.Apply(new UapiSetRequest { FwMark = 0x51 });
        Assert.Equal(0x51u, iface.FwMark);
        if (inPlace)
        {
            var only = Assert.Single(opened);
            Assert.Equal([0x51u], only.Bind.Marks);
            Assert.False(only.Bind.Disposed);
        }
        else
        {
            Assert.Equal(2, opened.Count);
            Assert.Equal((ushort)51820, opened[1].Port);
            Assert.Equal(0x51u, opened[1].Mark);
            Assert.True(opened[0].Bind.Disposed, "the bind that could not take the mark was closed");
        }
    }

    [Fact]
    public void OffloadStatistics_AreTheBinds_OrNone()
    {
        var network = new FakeNetwork();
        var stats = new FixedOffloadStatistics();
        using var declaring = new WireGuardInterface(new FakeTun("wgseam1"), WireGuardKeys.GeneratePrivateKey(),
            (_, _) => new DeclaringBind(new FakeBind(network, s_address)) { Offloads = stats }, 51820);
        Assert.Same(stats, declaring.Offloads.Udp);
        Assert.Equal(7, declaring.Offloads.Udp!.GsoSends);
        using var plain = new WireGuardInterface(new FakeTun("wgseam2"), WireGuardKeys.GeneratePrivateKey(),
            (_, _) => new FakeBind(network, NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820))), 51820);
        Assert.Null(plain.Offloads.Udp);
    }

    [Fact]
    public void StreamFallback_IsToldTheTcpTarget_OfAPeerWithATcpEndpoint()
    {
        var network = new FakeNetwork();
        var fallback = new RecordingFallback();
        using var iface = new WireGuardInterface(new FakeTun("wgseam3"), WireGuardKeys.GeneratePrivateKey(),
            (_, _) => new DeclaringBind(new FakeBind(network, s_address)) { Fallback = fallback }, 51820);
        iface.ConfigureTransports(new FallbackSettings(), 1420);
        var peer = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
        var udp = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820));
        var tcp = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 443));
        iface.SetPeer(peer, endpoint: udp, allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        iface.SetPeerTransport(peer, "198.18.0.2:51820", "198.18.0.2:443", tcp);
        Assert.Empty(fallback.DialTargets);
        iface.Tick();
        Assert.Contains(tcp, fallback.DialTargets);
        Assert.DoesNotContain(udp, fallback.DialTargets);
    }

    /// <summary>A bind that declares capabilities the test chooses, around an inner bind.</summary>
    private sealed class DeclaringBind(IDatagramBind inner) : IDatagramBind
    {
        internal bool SetsMarkInPlace { get; init; }

        internal List<uint> Marks { get; } = [];

        internal bool Disposed { get; private set; }

        internal IDatagramOffloadStatistics? Offloads { get; init; }

        internal IStreamFallback? Fallback { get; init; }

        public ushort LocalPort => inner.LocalPort;

        public int BatchSize => inner.BatchSize;

        public SafeHandle PollHandle => inner.PollHandle;

        public IDatagramOffloadStatistics? OffloadStatistics => Offloads;

        public IStreamFallback? StreamFallback => Fallback;

        public bool TrySetFirewallMark(uint mark)
        {
            if (SetsMarkInPlace)
            {
                Marks.Add(mark);
            }
            return SetsMarkInPlace;
        }

        public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset) =>
            inner.Receive(buffers, sizes, endpoints, offset);

        public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination) => inner.Send(datagrams, offset, destination);

        public void Shutdown() => inner.Shutdown();

        public void Dispose()
        {
            Disposed = true;
            inner.Dispose();
        }
    }

    private sealed class RecordingFallback : IStreamFallback
    {
        internal List<NetEndpoint> DialTargets { get; } = [];

        public void AddDialTarget(in NetEndpoint remote) => DialTargets.Add(remote);

        public void RemoveDialTarget(in NetEndpoint remote) => DialTargets.Remove(remote);

        public void Confirm(in NetEndpoint remote)
        {
        }
    }

    private sealed class FixedOffloadStatistics : IDatagramOffloadStatistics
    {
        public bool GsoEnabled => true;

        public bool GroEnabled => true;

        public long GsoSends => 7;

        public long GsoSegments => 70;

        public long GroReceives => 3;

        public long GroSegments => 30;

        public long SendCalls => 9;

        public long ReceiveCalls => 4;
    }
}

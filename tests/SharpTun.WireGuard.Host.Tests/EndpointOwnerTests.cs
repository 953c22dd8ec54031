using System.Net;
using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// A peer's endpoint has one owner, the core's <see cref="WireGuardPeer.Destination"/> (issue 20): after a roam on an
/// authenticated packet, the core, UAPI get, the status (wg show), the next send's destination (with the local
/// address hint) and the history all say the same; forged, tampered and replayed packets from elsewhere change none.
/// </summary>
public sealed class EndpointOwnerTests
{
    private static readonly NetEndpoint AddressA = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 51820));
    private static readonly NetEndpoint AddressB = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820));
    private static readonly NetEndpoint Moved = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.9"), 40000));
    private static readonly NetEndpoint Forger = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.66"), 666));
    private static readonly NetEndpoint LocalFirst = NetEndpoint.From(IPAddress.Parse("198.18.0.2").GetAddressBytes(), 0);
    private static readonly NetEndpoint LocalSecond = NetEndpoint.From(IPAddress.Parse("198.18.0.22").GetAddressBytes(), 0);
    private static readonly NetEndpoint LocalForged = NetEndpoint.From(IPAddress.Parse("198.18.0.99").GetAddressBytes(), 0);

    [Fact]
    public void RoamOnAuthenticatedPacket_OneEndpointEverywhere_ForgedAndReplayedPacketsChangeNothing()
    {
        var clock = new ManualTimeProvider();
        var network = new FakeNetwork();
        using var tunA = new FakeTun("wga");
        using var tunB = new FakeTun("wgb");
        var bindA = new FakeBind(network, AddressA);
        var bindB = new HintingBind(new FakeBind(network, AddressB)) { Local = LocalFirst, InterfaceIndex = 3 };
        var keyA = WireGuardKeys.GeneratePrivateKey();
        var keyB = WireGuardKeys.GeneratePrivateKey();
        using var a = new WireGuardInterface(tunA, keyA, (_, _) => bindA, 51820, time: clock);
        using var b = new WireGuardInterface(tunB, keyB, (_, _) => bindB, 51820, time: clock);
        a.SetPeer(WireGuardKeys.PublicKey(keyB), endpoint: AddressB, allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        b.SetPeer(WireGuardKeys.PublicKey(keyA), endpoint: null, allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);

        // Handshake and a first packet: B learns A's address, with the local address A reached.
        tunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        Settle(a, b, tunA, bindA, bindB);
        var initiation = Assert.Single(bindB.Received, d => d.Length == WireGuardConstants.InitiationSize);
        AssertOneEndpoint(b, bindB, tunB, new DatagramEndpoint(AddressA, LocalFirst, 3), changes: 1, sequence: 1);
        Assert.Equal((EndpointCause.Learned, false), (b.GetPeers()[0].EndpointHistory[^1].Cause, b.GetPeers()[0].EndpointHistory[^1].From.IsSet));
        DrainTo(bindA, a);

        // A moves: its next authenticated packet, arriving from a new address on another local address, roams B.
        clock.Advance(TimeSpan.FromSeconds(2));
        tunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 2));
        Assert.True(a.PumpTunOnce());
        var data = bindB.Inner.Inbox.PopArray();
        bindB.Local = LocalSecond;
        bindB.InterfaceIndex = 9;
        bindB.Inner.Inbox.Push(data, Moved);
        Assert.True(b.PumpNetOnce());
        Assert.Equal(2, tunB.Written.Count);
        var roamed = new DatagramEndpoint(Moved, LocalSecond, 9);
        AssertOneEndpoint(b, bindB, tunB, roamed, changes: 2, sequence: 2);
        var roam = b.GetPeers()[0].EndpointHistory[^1];
        Assert.Equal((EndpointCause.Roam, AddressA, Moved, clock.GetUtcNow()), (roam.Cause, roam.From, roam.To, roam.At));
        DrainTo(bindA, a);

        // A forger elsewhere: the same data again (a replay), the data with one bit flipped (no authentication),
        // the captured initiation again (stale timestamp). Each reaches the core and is dropped; nothing moves.
        var before = b.GetPeers()[0].Drops;
        bindB.Local = LocalForged;
        bindB.InterfaceIndex = 5;
        bindB.Inner.Inbox.Push(data, Forger);
        var tampered = (byte[])data.Clone();
        tampered[^1] ^= 1;
        bindB.Inner.Inbox.Push(tampered, Forger);
        bindB.Inner.Inbox.Push(initiation, Forger);
        while (bindB.Inner.Inbox.Count > 0)
        {
            b.PumpNetOnce();
        }
        var after = b.GetPeers()[0].Drops;
        // The replayed data and the replayed initiation (a stale timestamp) both count as replays.
        Assert.Equal(2, after.GetValueOrDefault(DropReason.Replay) - before.GetValueOrDefault(DropReason.Replay));
        Assert.Equal(1, after.GetValueOrDefault(DropReason.BadMacOrDecrypt) - before.GetValueOrDefault(DropReason.BadMacOrDecrypt));
        Assert.Equal((0L, 1L), (b.Device.Drops(WireGuardError.StaleTimestamp), b.Device.Peers[0].Drops(WireGuardError.StaleTimestamp)));
        Assert.Equal(2, tunB.Written.Count);
        AssertOneEndpoint(b, bindB, tunB, roamed, changes: 2, sequence: 3);
    }

    /// <summary>The core, UAPI get, the status and the next send all name <paramref name="expected"/> (whole: remote, local hint, interface); the history ends at it.</summary>
    private static void AssertOneEndpoint(WireGuardInterface b, HintingBind bindB, FakeTun tunB, DatagramEndpoint expected, long changes, ushort sequence)
    {
        var core = b.Device.Peers[0].Destination;
        Assert.Equal(Whole(expected), Whole(core));
        var uapi = UapiCodec.FormatGet(b.Snapshot());
        Assert.Contains($"\nendpoint={expected.Remote}\n", uapi, StringComparison.Ordinal);
        var status = b.GetPeers()[0];
        Assert.Equal(expected.Remote.ToIPEndPoint(), status.Endpoint);
        Assert.Equal("udp", status.Transport);
        Assert.Equal(changes, status.EndpointChanges);
        Assert.Equal(expected.Remote, status.EndpointHistory[^1].To);
        Assert.Equal(changes, status.EndpointHistory.Count);

        // The reply leaves for the same endpoint, from the local address the peer reached.
        var sent = bindB.Sent.Count;
        tunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", sequence: sequence, type: 0));
        Assert.True(b.PumpTunOnce());
        Assert.Equal(sent + 1, bindB.Sent.Count);
        Assert.Equal(Whole(expected), Whole(bindB.Sent[^1]));
    }

    private static (NetEndpoint Remote, NetEndpoint Local, int InterfaceIndex, DatagramTransport Transport) Whole(DatagramEndpoint e) =>
        (e.Remote, e.Local, e.InterfaceIndex, e.Transport);

    private static void Settle(WireGuardInterface a, WireGuardInterface b, FakeTun tunA, FakeBind bindA, HintingBind bindB)
    {
        for (var round = 0; round < 16; round++)
        {
            var moved = false;
            if (tunA.Inbound.Count > 0) { moved |= a.PumpTunOnce(); }
            if (bindA.Inbox.Count > 0) { moved |= a.PumpNetOnce(); }
            if (bindB.Inner.Inbox.Count > 0) { moved |= b.PumpNetOnce(); }
            if (!moved)
            {
                return;
            }
        }
    }

    private static void DrainTo(FakeBind bind, WireGuardInterface side)
    {
        while (bind.Inbox.Count > 0)
        {
            side.PumpNetOnce();
        }
    }

    /// <summary>A fake socket that reports a local address and interface on every datagram (as IP_PKTINFO does) and keeps every send's destination.</summary>
    private sealed class HintingBind(FakeBind inner) : IDatagramBind
    {
        private readonly List<byte[]> _received = [];
        private readonly List<DatagramEndpoint> _sent = [];

        internal FakeBind Inner => inner;

        internal NetEndpoint Local { get; set; }

        internal int InterfaceIndex { get; set; }

        internal List<byte[]> Received => [.. _received];

        internal List<DatagramEndpoint> Sent => [.. _sent];

        public ushort LocalPort => inner.LocalPort;

        public int BatchSize => inner.BatchSize;

        public System.Runtime.InteropServices.SafeHandle PollHandle => inner.PollHandle;

        public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
        {
            var n = inner.Receive(buffers, sizes, endpoints, offset);
            for (var i = 0; i < n; i++)
            {
                endpoints[i] = new DatagramEndpoint(endpoints[i].Remote, Local, InterfaceIndex);
                _received.Add(buffers[i].Span.Slice(offset, sizes[i]).ToArray());
            }
            return n;
        }

        public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
        {
            for (var i = 0; i < datagrams.Length; i++)
            {
                _sent.Add(destination);
            }
            return inner.Send(datagrams, offset, destination);
        }

        public void Shutdown() => inner.Shutdown();

        public void Dispose() => inner.Dispose();
    }
}

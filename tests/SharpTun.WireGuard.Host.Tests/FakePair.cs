using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Two <see cref="WireGuardInterface"/>s over fake tun devices and fake binds on one fake network, peered
/// with each other (A 198.19.0.1 at 198.18.0.1:51820, B 198.19.0.2 at 198.18.0.2:51820). Not started:
/// the test drives the pumps itself, one batch at a time, on its own thread.
/// </summary>
internal sealed class FakePair : IDisposable
{
    internal static readonly NetEndpoint AddressA = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 51820));
    internal static readonly NetEndpoint AddressB = NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820));

    internal readonly FakeNetwork Network = new();
    internal readonly FakeTun TunA;
    internal readonly FakeTun TunB;
    internal readonly FakeBind BindA;
    internal readonly FakeBind BindB;
    internal readonly WireGuardInterface A;
    internal readonly WireGuardInterface B;
    internal readonly byte[] KeyA = WireGuardKeys.GeneratePrivateKey();
    internal readonly byte[] KeyB = WireGuardKeys.GeneratePrivateKey();

    /// <param name="bKnowsEndpointOfA">B is configured with A's endpoint (else it learns it from the handshake).</param>
    /// <param name="offloads">Both fake tun devices carry a 10-byte virtio-net header and these offloads.</param>
    internal FakePair(bool bKnowsEndpointOfA = true, PacketOffloads offloads = PacketOffloads.None, TimeProvider? time = null)
    {
        var vnet = offloads == PacketOffloads.None ? 0 : SharpTun.Packets.Offload.VirtioNetHeader.Size;
        TunA = new FakeTun("wga", vnet, offloads);
        TunB = new FakeTun("wgb", vnet, offloads);
        BindA = new FakeBind(Network, AddressA);
        BindB = new FakeBind(Network, AddressB);
        A = new WireGuardInterface(TunA, KeyA, (_, _) => BindA, 51820, time: time);
        B = new WireGuardInterface(TunB, KeyB, (_, _) => BindB, 51820, time: time);
        A.SetPeer(WireGuardKeys.PublicKey(KeyB), endpoint: AddressB, allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        B.SetPeer(WireGuardKeys.PublicKey(KeyA), endpoint: bKnowsEndpointOfA ? AddressA : null, allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);
    }

    /// <summary>Runs both sides' pumps until nothing is left to move.</summary>
    internal void Settle()
    {
        for (var round = 0; round < 16; round++)
        {
            var moved = false;
            if (TunA.Inbound.Count > 0) { moved |= A.PumpTunOnce(); }
            if (TunB.Inbound.Count > 0) { moved |= B.PumpTunOnce(); }
            if (BindA.Inbox.Count > 0) { moved |= A.PumpNetOnce(); }
            if (BindB.Inbox.Count > 0) { moved |= B.PumpNetOnce(); }
            if (!moved)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}

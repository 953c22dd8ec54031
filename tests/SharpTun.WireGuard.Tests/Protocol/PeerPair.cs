using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// Two protocol instances wired byte to byte through a fake network: A = 198.19.0.1 at
/// 198.18.0.1:51820, B = 198.19.0.2 at 198.18.0.2:51820, one shared manual clock.
/// </summary>
internal sealed class PeerPair : IDisposable
{
    internal readonly ManualTimeProvider Clock = new();
    internal readonly WireGuardDevice A;
    internal readonly WireGuardDevice B;
    internal readonly WireGuardPeer PeerBOnA;
    internal readonly WireGuardPeer PeerAOnB;
    internal static readonly NetEndpoint EndA = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));
    internal static readonly NetEndpoint EndB = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:51820"));
    internal readonly byte[] Buffer = new byte[2048];
    internal readonly byte[] Buffer2 = new byte[2048];

    internal PeerPair(int seed = 1, byte[]? psk = null)
    {
        var rng = new SeededRandom(seed);
        var ka = new byte[32];
        var kb = new byte[32];
        rng.Fill(ka);
        rng.Fill(kb);
        A = new WireGuardDevice(ka, Clock, new SeededRandom(seed + 1));
        B = new WireGuardDevice(kb, Clock, new SeededRandom(seed + 2));
        PeerBOnA = A.AddPeer(B.PublicKey.Span, psk);
        PeerAOnB = B.AddPeer(A.PublicKey.Span, psk);
        PeerBOnA.Endpoint = EndB;
        A.AllowedIps.Insert(IPAddress.Parse("198.19.0.2"), 32, PeerBOnA);
        A.AllowedIps.Insert(IPAddress.Parse("2001:db8::2"), 128, PeerBOnA);
        B.AllowedIps.Insert(IPAddress.Parse("198.19.0.1"), 32, PeerAOnB);
        B.AllowedIps.Insert(IPAddress.Parse("2001:db8::1"), 128, PeerAOnB);
    }

    /// <summary>A initiates; B answers; A confirms with a keepalive. Returns after B has a current session.</summary>
    internal void Handshake()
    {
        var init = A.InitiateHandshake(PeerBOnA, Buffer, force: true);
        Assert.Equal(WireGuardAction.WriteToNetwork, init.Action);
        Assert.Equal(148, init.Length);
        var resp = B.Decapsulate(EndA, Buffer.AsSpan(0, init.Length), Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        Assert.Equal(92, resp.Length);
        Assert.Equal(EndA, resp.Endpoint);
        var confirm = A.Decapsulate(EndB, Buffer2.AsSpan(0, resp.Length), Buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, confirm.Action);
        Assert.Equal(32, confirm.Length);
        var done = B.Decapsulate(EndA, Buffer.AsSpan(0, confirm.Length), Buffer2);
        Assert.Equal(WireGuardAction.Done, done.Action);
        Assert.True(PeerAOnB.HasSession);
    }

    /// <summary>Sends a datagram from one side into the other and returns the receiver's result.</summary>
    internal static WireGuardResult Deliver(WireGuardDevice to, NetEndpoint from, ReadOnlySpan<byte> datagram, Span<byte> buffer) =>
        to.Decapsulate(from, datagram, buffer);

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}

using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// A device made with an all-zero private key (wireguard-go's state before <c>wg set private-key</c>, or after
/// <c>private-key /dev/null</c>): peers and allowed IPs work, handshakes do not, in either direction, and the
/// refusals are a state, not counted drops.
/// </summary>
public sealed class NoPrivateKeyTests
{
    private static readonly NetEndpoint s_endA = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));
    private static readonly NetEndpoint s_endB = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:51820"));

    [Fact]
    public void Keyless_RefusesToInitiate_QueuesThePacket_CountsNoDrop()
    {
        var clock = new ManualTimeProvider();
        var kb = new byte[32];
        new SeededRandom(7).Fill(kb);
        using var a = new WireGuardDevice(new byte[32], clock, new SeededRandom(8));
        using var b = new WireGuardDevice(kb, clock, new SeededRandom(9));
        Assert.False(a.HasPrivateKey);
        Assert.True(b.HasPrivateKey);
        var peerB = a.AddPeer(b.PublicKey.Span);
        peerB.Endpoint = s_endB;
        a.AllowedIps.Insert(IPAddress.Parse("198.19.0.2"), 32, peerB);
        var buffer = new byte[2048];

        var forced = a.InitiateHandshake(peerB, buffer, force: true);
        Assert.Equal((WireGuardAction.Error, WireGuardError.NoPrivateKey), (forced.Action, forced.Error));

        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 84);
        var data = a.Encapsulate(peerB, packet, buffer);
        Assert.Equal(WireGuardError.NoPrivateKey, data.Error);
        Assert.Equal(1, peerB.QueuedPackets);

        // The timers keep wanting a handshake and keep being refused, every tick, without counting.
        for (var i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            var t = a.UpdateTimers(peerB, buffer);
            Assert.NotEqual(WireGuardAction.WriteToNetwork, t.Action);
        }
        Assert.Equal(0, peerB.TotalDrops);
        Assert.Equal(0, a.Drops(WireGuardError.NoPrivateKey));
        Assert.Equal(0, peerB.HandshakeInitiationsSent);
    }

    [Fact]
    public void Keyless_DoesNotAnswerAnInitiation_AKeyedCopyDoes()
    {
        var clock = new ManualTimeProvider();
        var kb = new byte[32];
        new SeededRandom(11).Fill(kb);
        using var keyless = new WireGuardDevice(new byte[32], clock, new SeededRandom(12));
        using var b = new WireGuardDevice(kb, clock, new SeededRandom(13));
        // b knows the keyless device by the public key its zero scalar derives (what a peer could have been told).
        var onB = b.AddPeer(keyless.PublicKey.Span);
        onB.Endpoint = s_endA;
        keyless.AddPeer(b.PublicKey.Span);
        var init = new byte[2048];
        var reply = new byte[2048];
        var r = b.InitiateHandshake(onB, init, force: true);
        Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);

        var answer = keyless.Decapsulate(s_endB, init.AsSpan(0, r.Length), reply);
        Assert.Equal((WireGuardAction.Error, WireGuardError.NoPrivateKey), (answer.Action, answer.Error));
        Assert.Equal(0, keyless.Drops(WireGuardError.NoPrivateKey));
        Assert.Equal(0, keyless.Drops(WireGuardError.UnknownPeer));
    }
}

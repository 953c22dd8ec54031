using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// When "latest handshake" is set, as wireguard-go sets it (timersHandshakeComplete): on the initiator when the
/// response authenticates, on the responder only when the initiator's first data on the new keypair arrives.
/// A replayed initiation after the responder restarted is answered (its timestamp history is gone) but never
/// confirmed, so it shows no handshake; replayed again it is a stale timestamp.
/// </summary>
public sealed class LatestHandshakeTests
{
    [Fact]
    public void Initiator_OnResponse_Responder_OnlyWhenConfirmed()
    {
        using var pair = new PeerPair(seed: 31);
        var t0 = pair.Clock.GetUtcNow();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var resp = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        Assert.Null(pair.PeerAOnB.LastHandshake);

        pair.Clock.Advance(TimeSpan.FromSeconds(3));
        var confirm = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, resp.Length), pair.Buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, confirm.Action);
        Assert.Equal(t0 + TimeSpan.FromSeconds(3), pair.PeerBOnA.LastHandshake);
        Assert.Null(pair.PeerAOnB.LastHandshake);

        pair.Clock.Advance(TimeSpan.FromSeconds(2));
        var done = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, confirm.Length), pair.Buffer2);
        Assert.Equal(WireGuardAction.Done, done.Action);
        Assert.Equal(t0 + TimeSpan.FromSeconds(5), pair.PeerAOnB.LastHandshake);
    }

    [Fact]
    public void ReplayedInitiation_AfterResponderRestart_Answered_NoHandshake_ThenStale()
    {
        using var pair = new PeerPair(seed: 32);
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var captured = pair.Buffer.AsSpan(0, init.Length).ToArray();
        var resp = pair.B.Decapsulate(PeerPair.EndA, captured, pair.Buffer2);
        var confirm = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, resp.Length), pair.Buffer);
        pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, confirm.Length), pair.Buffer2);
        Assert.NotNull(pair.PeerAOnB.LastHandshake);

        // B restarts: same key, a fresh core (no timestamp seen yet). The attacker replays the captured initiation.
        pair.Clock.Advance(TimeSpan.FromMinutes(1));
        using var restarted = new WireGuardDevice(PrivateKeyOfB(32), pair.Clock);
        Assert.Equal(pair.B.PublicKey.ToArray(), restarted.PublicKey.ToArray());
        var peerA = restarted.AddPeer(pair.A.PublicKey.Span);
        restarted.AllowedIps.Insert(IPAddress.Parse("198.19.0.1"), 32, peerA);
        var answer = restarted.Decapsulate(PeerPair.EndA, captured, pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, answer.Action);
        Assert.Null(peerA.LastHandshake);
        Assert.False(peerA.HasSession);

        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        var again = restarted.Decapsulate(PeerPair.EndA, captured, pair.Buffer2);
        Assert.Equal(WireGuardAction.Error, again.Action);
        Assert.Equal(WireGuardError.StaleTimestamp, again.Error);
        Assert.Null(peerA.LastHandshake);
    }

    /// <summary>B's private key as <see cref="PeerPair"/> draws it from its seed (A's key first, then B's).</summary>
    private static byte[] PrivateKeyOfB(int seed)
    {
        var rng = new SeededRandom(seed);
        var ka = new byte[32];
        var kb = new byte[32];
        rng.Fill(ka);
        rng.Fill(kb);
        return kb;
    }
}

using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// <see cref="WireGuardDevice.SetPresharedKey"/>: the session stays (data flows on it unchanged), the next
/// handshake uses the new key — it fails while only one side has it, and succeeds once both have it.
/// </summary>
public sealed class PresharedKeyChangeTests
{
    [Fact]
    public void NewPsk_KeepsTheSession_NextHandshakeNeedsItOnBothSides()
    {
        using var pair = new PeerPair(seed: 41);
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var psk = WireGuardKeys.GeneratePresharedKey();

        pair.A.SetPresharedKey(pair.PeerBOnA, psk);
        AssertDataFlows(pair, wire, inner, 1);

        // Only A has the new key: B answers A's initiation with the old one, and A refuses that response.
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var resp = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        Assert.Equal(WireGuardError.HandshakeFailed, pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, resp.Length), pair.Buffer).Error);
        AssertDataFlows(pair, wire, inner, 2);

        // Both have it: the next handshake completes, and data flows on the new session.
        pair.B.SetPresharedKey(pair.PeerAOnB, psk);
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        var before = pair.PeerBOnA.LastHandshake;
        pair.Handshake();
        Assert.True(pair.PeerBOnA.LastHandshake > before);
        AssertDataFlows(pair, wire, inner, 3);

        // Back to no preshared key (empty) on both: handshakes work again without one.
        pair.A.SetPresharedKey(pair.PeerBOnA, default);
        pair.B.SetPresharedKey(pair.PeerAOnB, default);
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        pair.Handshake();
        AssertDataFlows(pair, wire, inner, 4);
        Assert.Throws<ArgumentException>(() => pair.A.SetPresharedKey(pair.PeerBOnA, new byte[31]));
    }

    private static void AssertDataFlows(PeerPair pair, byte[] wire, byte[] inner, byte fill)
    {
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100, fill);
        var enc = pair.A.Encapsulate(packet, wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, enc.Action);
        var dec = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, enc.Length), inner);
        Assert.Equal(WireGuardAction.WriteToTunnel, dec.Action);
        Assert.True(inner.AsSpan(0, dec.Length).SequenceEqual(packet));
    }
}

using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The sequence a slow responder causes against wireguard-go: the initiator's REKEY_TIMEOUT fires before
/// our response arrives, it re-sends an initiation, and the first response turns up late. The responder
/// must answer the second initiation, the initiator must ignore the stale response, and data must flow
/// both ways on the second session (responder's next → current on first data).
/// </summary>
public sealed class HandshakeRetryTests
{
    private readonly byte[] _wire = new byte[2048];
    private readonly byte[] _inner = new byte[2048];

    [Fact]
    public void LateResponse_AfterRetry_IsIgnored_AndSecondSessionCarriesDataBothWays()
    {
        using var pair = new PeerPair(seed: 7);
        var first = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 84), _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, first.Action);
        Assert.Equal(148, first.Length);
        var response1 = Answer(pair, _wire.AsSpan(0, first.Length));

        // No response within REKEY_TIMEOUT + jitter: A re-sends a fresh initiation (the data stays queued).
        pair.Clock.Advance(TimeSpan.FromMilliseconds(5400));
        var retry = pair.A.UpdateTimers(pair.PeerBOnA, _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, retry.Action);
        Assert.Equal(148, retry.Length);
        Assert.Equal(1, pair.PeerBOnA.QueuedPackets);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(30));
        var response2 = Answer(pair, _wire.AsSpan(0, retry.Length));
        Assert.False(pair.PeerAOnB.HasSession);

        // The first response arrives late: it names the abandoned handshake and must change nothing.
        var stale = pair.A.Decapsulate(PeerPair.EndB, response1, _inner);
        Assert.Equal(WireGuardAction.Error, stale.Action);
        Assert.False(pair.PeerBOnA.HasSession);

        // The second response completes the handshake; A sends the queued packet on the new session.
        Assert.Equal(WireGuardAction.Done, pair.A.Decapsulate(PeerPair.EndB, response2, _wire).Action);
        var queued = pair.A.DequeuePending(pair.PeerBOnA, _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, queued.Action);
        Assert.Equal(32 + 96, queued.Length); // 84 padded to 16
        // Drained to the end (Done), as the contract asks: from now on packets go straight out.
        var copy = _wire.AsSpan(0, queued.Length).ToArray();
        Assert.Equal(WireGuardAction.Done, pair.A.DequeuePending(pair.PeerBOnA, _inner).Action);
        copy.CopyTo(_wire, 0);
        var delivered = pair.B.Decapsulate(PeerPair.EndA, _wire.AsSpan(0, queued.Length), _inner);
        Assert.Equal(WireGuardAction.WriteToTunnel, delivered.Action);
        Assert.Equal(84, delivered.Length);
        Assert.True(pair.PeerAOnB.HasSession);

        // The stale response replayed once more is still refused, and the session stays usable.
        Assert.Equal(WireGuardAction.Error, pair.A.Decapsulate(PeerPair.EndB, response1, _inner).Action);
        for (var i = 0; i < 3; i++)
        {
            var request = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 84, fill: (byte)i), _wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, request.Action);
            var atB = pair.B.Decapsulate(PeerPair.EndA, _wire.AsSpan(0, request.Length), _inner);
            Assert.Equal(WireGuardAction.WriteToTunnel, atB.Action);
            Assert.Equal((byte)(i + 83), _inner[83]);

            var reply = pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 84, fill: (byte)(i + 100)), _wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, reply.Action);
            var atA = pair.A.Decapsulate(PeerPair.EndB, _wire.AsSpan(0, reply.Length), _inner);
            Assert.Equal(WireGuardAction.WriteToTunnel, atA.Action);
            Assert.Equal((byte)(i + 100 + 83), _inner[83]);
        }
    }

    [Fact]
    public void DuplicateInitiation_Refused_ButRetryWithNewerTimestampReplacesPendingResponderKeys()
    {
        using var pair = new PeerPair(seed: 11);
        var init1 = pair.A.InitiateHandshake(pair.PeerBOnA, _wire, force: true);
        var initiation1 = _wire.AsSpan(0, init1.Length).ToArray();
        Answer(pair, initiation1);
        // The same initiation again (a network duplicate) carries no newer TAI64N.
        var dup = pair.B.Decapsulate(PeerPair.EndA, initiation1, _inner);
        Assert.Equal(WireGuardError.StaleTimestamp, dup.Error);

        pair.Clock.Advance(TimeSpan.FromMilliseconds(5200));
        var init2 = pair.A.UpdateTimers(pair.PeerBOnA, _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, init2.Action);
        var response2 = Answer(pair, _wire.AsSpan(0, init2.Length));
        var confirm = pair.A.Decapsulate(PeerPair.EndB, response2, _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, confirm.Action);
        Assert.Equal(32, confirm.Length);
        Assert.Equal(WireGuardAction.Done, pair.B.Decapsulate(PeerPair.EndA, _wire.AsSpan(0, confirm.Length), _inner).Action);
        Assert.True(pair.PeerAOnB.HasSession);

        var data = pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 60), _wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, data.Action);
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.A.Decapsulate(PeerPair.EndB, _wire.AsSpan(0, data.Length), _inner).Action);
    }

    /// <summary>B consumes an initiation and returns its 92-byte response.</summary>
    private byte[] Answer(PeerPair pair, ReadOnlySpan<byte> initiation)
    {
        var r = pair.B.Decapsulate(PeerPair.EndA, initiation, _inner);
        Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
        Assert.Equal(92, r.Length);
        return _inner.AsSpan(0, r.Length).ToArray();
    }
}

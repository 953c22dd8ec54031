using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>The cookie mechanism under load, and the per-IP handshake rate limiter.</summary>
public sealed class CookieTests
{
    [Fact]
    public void UnderLoad_Mac2Absent_GetsCookieReply_ThenWithCookieIsAccepted()
    {
        using var pair = new PeerPair();
        pair.B.UnderLoad = true;
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        // mac2 is zero: B answers with a 64-byte cookie reply to the source address, creates no state.
        var reply = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, reply.Action);
        Assert.Equal(64, reply.Length);
        Assert.Equal(3, pair.Buffer2[0]);
        Assert.Null(reply.Peer);
        Assert.Equal(PeerPair.EndA, reply.Endpoint);
        Assert.False(pair.PeerAOnB.HasSession);

        // A takes the cookie; a tampered cookie reply is refused first.
        var tampered = pair.Buffer2.AsSpan(0, 64).ToArray();
        tampered[40] ^= 1;
        Assert.Equal(WireGuardError.HandshakeFailed, pair.A.Decapsulate(PeerPair.EndB, tampered, pair.Buffer).Error);
        var cookie = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, 64), pair.Buffer);
        Assert.Equal(WireGuardAction.Done, cookie.Action);
        Assert.Same(pair.PeerBOnA, cookie.Peer);

        // The next initiation (after the clock passes the 20 ms flood limit) carries mac2 and is answered.
        pair.Clock.Advance(TimeSpan.FromMilliseconds(50));
        init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        Assert.False(pair.Buffer.AsSpan(132, 16).IndexOfAnyExcept((byte)0) < 0);
        var resp = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        Assert.Equal(92, resp.Length);
        Assert.Equal(2, pair.Buffer2[0]);
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, 92), pair.Buffer).Action);
        Assert.True(pair.PeerBOnA.HasSession);
    }

    [Fact]
    public void UnderLoad_CookieFromOneAddress_IsRejectedFromAnother()
    {
        using var pair = new PeerPair();
        pair.B.UnderLoad = true;
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var reply = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, reply.Length), pair.Buffer);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(50));
        init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var elsewhere = NetEndpoint.From(IPEndPoint.Parse("198.18.0.77:51820"));
        var other = pair.B.Decapsulate(elsewhere, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        // From another address mac2 does not verify: another cookie reply, no response.
        Assert.Equal(64, other.Length);
        Assert.Equal(3, pair.Buffer2[0]);
        Assert.False(pair.PeerAOnB.HasSession);
        var samePortOtherIp = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51821"));
        Assert.Equal(64, pair.B.Decapsulate(samePortOtherIp, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2).Length);
        // From the right address it is accepted.
        Assert.Equal(92, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2).Length);
    }

    [Fact]
    public void UnderLoad_CookieExpiresWithTheSecret()
    {
        using var pair = new PeerPair();
        pair.B.UnderLoad = true;
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var reply = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, reply.Length), pair.Buffer);
        pair.Clock.Advance(TimeSpan.FromSeconds(121));
        init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        // A's cookie is stale (no mac2 sent) and B's secret rotated: a new cookie reply.
        Assert.True(pair.Buffer.AsSpan(132, 16).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(64, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2).Length);
    }

    [Fact]
    public void NotUnderLoad_Mac2IsIgnored_Mac1IsAlwaysChecked()
    {
        using var pair = new PeerPair();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var msg = pair.Buffer.AsSpan(0, init.Length).ToArray();
        msg[140] ^= 0xFF;
        Assert.Equal(92, pair.B.Decapsulate(PeerPair.EndA, msg, pair.Buffer2).Length);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(50));
        init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        msg = pair.Buffer.AsSpan(0, init.Length).ToArray();
        msg[120] ^= 0x01;
        Assert.Equal(WireGuardError.InvalidMac, pair.B.Decapsulate(PeerPair.EndA, msg, pair.Buffer2).Error);
    }

    [Fact]
    public void CheckedHandshake_AnswersAsDecapsulate_WithoutASecondMac1_AndRefusesOtherMessages()
    {
        using var pair = new PeerPair();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var msg = pair.Buffer.AsSpan(0, init.Length).ToArray();
        Assert.True(pair.B.CheckMac1(msg)); // what the receive path does before it queues the message
        var resp = pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), msg, pair.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        Assert.Equal(92, resp.Length);
        Assert.Same(pair.PeerAOnB, resp.Peer);
        Assert.True(pair.B.CheckMac1(pair.Buffer2.AsSpan(0, 92)) is false); // keyed by A's public key, not B's
        Assert.True(pair.A.CheckMac1(pair.Buffer2.AsSpan(0, 92)));
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndB), pair.Buffer2.AsSpan(0, 92), pair.Buffer).Action);
        Assert.True(pair.PeerBOnA.HasSession);
        // Not a handshake message (a data message, a cookie reply, a short one): refused, nothing else looked at.
        var data = pair.A.Encapsulate(pair.PeerBOnA, new byte[60], pair.Buffer);
        Assert.Equal(WireGuardError.InvalidMessage, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), pair.Buffer.AsSpan(0, data.Length), pair.Buffer2).Error);
        Assert.Equal(WireGuardError.InvalidMessage, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), new byte[64] { 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, pair.Buffer2).Error);
        Assert.Equal(WireGuardError.InvalidMessage, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), new byte[3], pair.Buffer2).Error);
    }

    [Fact]
    public void UnderLoad_ZeroMac2_IsMissing_ButAForgedNonZeroMac2IsCheckedAndRefusedToo()
    {
        using var pair = new PeerPair();
        pair.B.UnderLoad = true;
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var zero = pair.Buffer.AsSpan(0, init.Length).ToArray();
        Assert.True(zero.AsSpan(132, 16).IndexOfAnyExcept((byte)0) < 0);
        // No cookie yet: a cookie reply (no secret yet, so none could verify anyway).
        Assert.Equal(64, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), zero, pair.Buffer2).Length);
        pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, 64), pair.Buffer);
        // Now B has a secret: a zero mac2 is still a missing one (another cookie reply once the limiter allows it)...
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(64, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), zero, pair.Buffer2).Length);
        // ...and a non-zero forged mac2 is refused the same way, while A's real one is accepted.
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var real = pair.Buffer.AsSpan(0, init.Length).ToArray();
        var forged = real.ToArray();
        forged[140] ^= 0x40;
        Assert.Equal(64, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), forged, pair.Buffer2).Length);
        Assert.False(pair.PeerAOnB.HasSession);
        Assert.Equal(92, pair.B.DecapsulateCheckedHandshake(new DatagramEndpoint(PeerPair.EndA), real, pair.Buffer2).Length);
    }

    [Fact]
    public void WorthQueueing_OnlyRefusesAMissingMac2UnderLoad_OnceTheSourcesCookieRepliesAreUsedUp()
    {
        using var pair = new PeerPair();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var zero = pair.Buffer.AsSpan(0, init.Length).ToArray();
        var from = new DatagramEndpoint(PeerPair.EndA);
        Assert.True(pair.B.WorthQueueing(zero, PeerPair.EndA)); // not under load: always
        pair.B.UnderLoad = true;
        // Under load the source may get its burst of cookie replies (5): each is worth a worker's time.
        for (var i = 0; i < 5; i++)
        {
            Assert.True(pair.B.WorthQueueing(zero, PeerPair.EndA), $"reply {i}");
            Assert.Equal(64, pair.B.DecapsulateCheckedHandshake(from, zero, pair.Buffer2).Length);
        }
        var limited = pair.B.Drops(WireGuardError.RateLimited);
        Assert.False(pair.B.WorthQueueing(zero, PeerPair.EndA));
        Assert.Equal(limited + 1, pair.B.Drops(WireGuardError.RateLimited));
        // Another source still gets its replies; a message with a mac2 is always left to the worker to check.
        Assert.True(pair.B.WorthQueueing(zero, NetEndpoint.From(IPEndPoint.Parse("198.18.0.99:51820"))));
        var withMac2 = zero.ToArray();
        withMac2[140] = 1;
        Assert.True(pair.B.WorthQueueing(withMac2, PeerPair.EndA));
        // The bucket refills (20 per second): after 50 ms one more reply.
        pair.Clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(pair.B.WorthQueueing(zero, PeerPair.EndA));
        pair.B.UnderLoad = false;
        Assert.True(pair.B.WorthQueueing(zero, PeerPair.EndA));
    }

    [Fact]
    public void ReplayedInitiation_AndInitiationFlood_AreRejected()
    {
        using var pair = new PeerPair();
        var first = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var msg1 = pair.Buffer.AsSpan(0, first.Length).ToArray();
        Assert.Equal(92, pair.B.Decapsulate(PeerPair.EndA, msg1, pair.Buffer2).Length);
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        // The same bytes again: timestamp not newer.
        Assert.Equal(WireGuardError.StaleTimestamp, pair.B.Decapsulate(PeerPair.EndA, msg1, pair.Buffer2).Error);
        // A fresh initiation 1 s later is fine; another 10 ms after it is a flood.
        var second = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        Assert.Equal(92, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, second.Length), pair.Buffer2).Length);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var third = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        Assert.Equal(WireGuardError.InitiationFlood, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, third.Length), pair.Buffer2).Error);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(15));
        var fourth = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        Assert.Equal(92, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, fourth.Length), pair.Buffer2).Length);
    }

    /// <summary>20 per second with bursts of 5 per source IP; the port does not matter; IPs are independent.</summary>
    [Fact]
    public void RateLimiter_Table()
    {
        var clock = new ManualTimeProvider();
        var rl = new HandshakeRateLimiter(clock);
        var a = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:1000"));
        var a2 = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:2000"));
        var b = NetEndpoint.From(IPEndPoint.Parse("[2001:db8::1]:1000"));
        (double AdvanceMs, NetEndpoint Source, bool Allowed)[] table =
        [
            (0, a, true), (0, a, true), (0, a2, true), (0, a, true), (0, a, true), // burst of 5 (port ignored)
            (0, a, false), (0, a2, false),                                          // bucket empty
            (0, b, true),                                                           // another IP has its own bucket
            (49, a, false),                                                         // 49 ms < 1/20 s
            (1, a, true), (0, a, false),                                            // 50 ms buys one
            (100, a, true), (0, a, true), (0, a, false),                            // 100 ms buys two
            (10_000, a, true), (0, a, true), (0, a, true), (0, a, true), (0, a, true), (0, a, false), // refilled to the burst only
        ];
        for (var i = 0; i < table.Length; i++)
        {
            var (ms, src, allowed) = table[i];
            clock.Advance(TimeSpan.FromMilliseconds(ms));
            Assert.True(allowed == rl.Allow(src), $"row {i}: {src} after +{ms} ms expected {(allowed ? "allowed" : "limited")}");
        }
        // Idle entries are swept.
        clock.Advance(TimeSpan.FromSeconds(2));
        rl.Allow(b);
        Assert.Equal(1, rl.Count);
    }

    [Fact]
    public void UnderLoad_RateLimitedAfterBurst_EvenWithValidMac2()
    {
        using var pair = new PeerPair();
        pair.B.UnderLoad = true;
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var reply = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, reply.Length), pair.Buffer);
        var errors = new List<WireGuardError>();
        for (var i = 0; i < 8; i++)
        {
            pair.Clock.Advance(TimeSpan.FromMilliseconds(21));
            init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
            var r = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
            errors.Add(r.Error);
        }
        // A new source starts with the burst of 5 minus this message; 21 ms refills 0.42 of a token per
        // message, so the bucket lasts 7 messages and the 8th is limited.
        Assert.Equal(Enumerable.Repeat(WireGuardError.None, 7).Append(WireGuardError.RateLimited), errors);
    }
}

using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>Protocol timers driven by a manual clock: rotation, expiry, retries, give-up, keepalives.</summary>
public sealed class TimerTests
{
    private static readonly byte[] s_wire = new byte[2048];
    private static readonly byte[] s_inner = new byte[2048];

    private static WireGuardResult SendAToB(PeerPair pair, int size = 60)
    {
        var r = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", size), s_wire);
        return r.Action == WireGuardAction.WriteToNetwork ? pair.B.Decapsulate(PeerPair.EndA, s_wire.AsSpan(0, r.Length), s_inner) : r;
    }

    /// <summary>Delivers whatever A's timers want to send to B, and B's answer back, until both are quiet.</summary>
    private static int PumpTimers(PeerPair pair)
    {
        var sent = 0;
        for (var i = 0; i < 10; i++)
        {
            var r = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
            if (r.Action != WireGuardAction.WriteToNetwork)
            {
                return sent;
            }
            sent++;
            var back = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, r.Length), pair.Buffer2);
            if (back.Action == WireGuardAction.WriteToNetwork)
            {
                var confirm = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, back.Length), pair.Buffer);
                if (confirm.Action == WireGuardAction.WriteToNetwork)
                {
                    pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, confirm.Length), pair.Buffer2);
                }
            }
        }
        return sent;
    }

    [Fact]
    public void RekeyAfterTime_InitiatorStartsNewHandshake_AndBothRotate()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var firstKeypair = pair.PeerBOnA.Current;
        pair.Clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(WireGuardAction.WriteToTunnel, SendAToB(pair).Action);
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        pair.Clock.Advance(TimeSpan.FromSeconds(2));
        // Sending on a keypair older than REKEY_AFTER_TIME still works and asks for a handshake.
        Assert.Equal(WireGuardAction.WriteToTunnel, SendAToB(pair).Action);
        var init = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, init.Action);
        Assert.Equal(148, init.Length);
        var resp = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, 148), pair.Buffer2);
        Assert.Equal(92, resp.Length);
        // B still sends on the old keypair until A confirms the new one.
        var bOld = pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 40), s_wire);
        var lateFromB = s_wire.AsSpan(0, bOld.Length).ToArray();
        var keepalive = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, 92), pair.Buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, keepalive.Action);
        Assert.NotSame(firstKeypair, pair.PeerBOnA.Current);
        Assert.Same(firstKeypair, pair.PeerBOnA.Previous);
        Assert.Equal(WireGuardAction.Done, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, keepalive.Length), pair.Buffer2).Action);
        Assert.Null(pair.PeerAOnB.Next);
        // B's packet on the old keypair, arriving late, still decrypts on A (previous keypair).
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.A.Decapsulate(PeerPair.EndB, lateFromB, s_inner).Action);
        Assert.Equal(WireGuardAction.WriteToTunnel, SendAToB(pair).Action);
    }

    [Fact]
    public void OldKeys_AreUnusableAfterRejectAfterTime()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var old = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60), s_wire);
        var oldBytes = s_wire.AsSpan(0, old.Length).ToArray();
        pair.Clock.Advance(TimeSpan.FromSeconds(180));
        // The captured packet no longer decrypts on B, and A will not send on the expired keypair.
        Assert.Equal(WireGuardError.ExpiredSession, pair.B.Decapsulate(PeerPair.EndA, oldBytes, s_inner).Error);
        var again = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60), s_wire);
        Assert.Equal(148, again.Length);
        Assert.Equal(1, pair.PeerBOnA.QueuedPackets);
        // UpdateTimers drops the expired keypairs and their indices.
        pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        pair.B.UpdateTimers(pair.PeerAOnB, pair.Buffer);
        Assert.False(pair.PeerAOnB.HasSession);
        Assert.Equal(WireGuardError.UnknownIndex, pair.B.Decapsulate(PeerPair.EndA, oldBytes, s_inner).Error);
    }

    [Fact]
    public void UnansweredInitiation_IsRetriedEveryRekeyTimeout_AndGivesUpAfterRekeyAttemptTime()
    {
        using var pair = new PeerPair();
        var first = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60), s_wire);
        Assert.Equal(148, first.Length);
        var start = pair.Clock.GetUtcNow();
        var retries = 0;
        WireGuardResult last = default;
        for (var ms = 0; ms < 100_000; ms += 100)
        {
            pair.Clock.Advance(TimeSpan.FromMilliseconds(100));
            last = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
            if (last.Action == WireGuardAction.WriteToNetwork)
            {
                Assert.Equal(148, last.Length);
                retries++;
            }
            else if (last.Action == WireGuardAction.Error)
            {
                break;
            }
        }
        var elapsed = pair.Clock.GetUtcNow() - start;
        Assert.Equal(WireGuardError.ConnectionExpired, last.Error);
        // Retries every 5 s + up to 333 ms jitter: 17 or 18 of them before 90 s.
        Assert.InRange(retries, 16, 18);
        Assert.InRange(elapsed.TotalSeconds, 90, 96);
        Assert.Equal(0, pair.PeerBOnA.QueuedPackets);
        pair.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
    }

    [Fact]
    public void RetryTiming_IsRekeyTimeoutPlusJitter()
    {
        using var pair = new PeerPair();
        pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(4999));
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        // A non-forced initiation within REKEY_TIMEOUT is suppressed.
        Assert.Equal(WireGuardAction.Done, pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer).Action);
        pair.Clock.Advance(TimeSpan.FromMilliseconds(335));
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
    }

    [Fact]
    public void DataWithoutReply_TriggersHandshakeAfterKeepalivePlusRekeyTimeout()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        Assert.Equal(WireGuardAction.WriteToTunnel, SendAToB(pair).Action);
        pair.Clock.Advance(TimeSpan.FromSeconds(14.9));
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        pair.Clock.Advance(TimeSpan.FromSeconds(0.2));
        var r = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
        Assert.Equal(148, r.Length);
    }

    [Fact]
    public void PersistentKeepalive_IsSentWhenIdle()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        pair.PeerBOnA.PersistentKeepalive = TimeSpan.FromSeconds(25);
        pair.Clock.Advance(TimeSpan.FromSeconds(24));
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        pair.Clock.Advance(TimeSpan.FromSeconds(1));
        var r = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        Assert.Equal(32, r.Length);
        Assert.Equal(WireGuardAction.Done, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, 32), pair.Buffer2).Action);
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
    }

    [Fact]
    public void LongRunningSession_KeepsWorkingAcrossManyRekeys()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var rekeys = 0;
        for (var second = 0; second < 1200; second += 5)
        {
            pair.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(WireGuardAction.WriteToTunnel, SendAToB(pair).Action);
            var r = pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 40), s_wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, r.Action);
            Assert.Equal(WireGuardAction.WriteToTunnel, pair.A.Decapsulate(PeerPair.EndB, s_wire.AsSpan(0, r.Length), s_inner).Action);
            var current = pair.PeerBOnA.Current;
            PumpTimers(pair);
            if (!ReferenceEquals(current, pair.PeerBOnA.Current))
            {
                rekeys++;
            }
            pair.B.UpdateTimers(pair.PeerAOnB, pair.Buffer2);
            // Old keypairs and handshakes release their indices: at most current, previous, next + one handshake.
            Assert.InRange(pair.A.IndexCount, 1, 4);
            Assert.InRange(pair.B.IndexCount, 1, 4);
        }
        // 1200 s with REKEY_AFTER_TIME 120 s: about 10 rekeys, never a gap.
        Assert.InRange(rekeys, 8, 10);
    }
    [Fact]
    public void RekeyAfterMessages_AsksForHandshake_RejectAfterMessages_StopsSending()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var keypair = pair.PeerBOnA.Current!;
        // Past REKEY_TIMEOUT since the last initiation, so a new one may be sent at once.
        pair.Clock.Advance(TimeSpan.FromSeconds(6));
        keypair.SendCounter = WireGuardConstants.RekeyAfterMessages - 2;
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), s_wire).Action);
        Assert.Equal(WireGuardAction.Done, pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer).Action);
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), s_wire).Action);
        // The counter reached REKEY_AFTER_MESSAGES: the next timer tick starts a handshake.
        var init = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        Assert.Equal(148, init.Length);

        keypair.SendCounter = WireGuardConstants.RejectAfterMessages - 1;
        var last = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), s_wire);
        Assert.Equal(32 + 48, last.Length);
        // Counter REJECT_AFTER_MESSAGES is never used: the packet is queued instead.
        var refused = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), s_wire);
        Assert.Equal(WireGuardAction.Done, refused.Action); // a handshake is already under way
        Assert.Equal(1, pair.PeerBOnA.QueuedPackets);
        // And B refuses a counter at or above the limit even if it authenticated.
        Assert.False(new ReplayFilter().Validate(WireGuardConstants.RejectAfterMessages, WireGuardConstants.RejectAfterMessages));
    }
}

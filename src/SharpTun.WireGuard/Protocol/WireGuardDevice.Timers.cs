namespace SharpTun.WireGuard;

public sealed partial class WireGuardDevice
{
    /// <summary>
    /// Advances <paramref name="peer"/>'s timers to the provider's current time and returns the one
    /// thing to send now, if any: a handshake retry (every REKEY_TIMEOUT + jitter, giving up after
    /// REKEY_ATTEMPT_TIME with <see cref="WireGuardError.ConnectionExpired"/>), a rekey initiation, a
    /// keepalive (KEEPALIVE_TIMEOUT after unanswered data, or the persistent keepalive). Also expires
    /// sessions older than REJECT_AFTER_TIME and erases all keys after 3 × REJECT_AFTER_TIME.
    /// Call it again while it returns <see cref="WireGuardAction.WriteToNetwork"/>.
    /// </summary>
    public WireGuardResult UpdateTimers(WireGuardPeer peer, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                return WireGuardResult.Done(peer);
            }
            // Not a timer-work touch (the caller is the timer and asks TimerDueIn next); a visible change when something was done.
            var r = Counted(UpdateTimersLocked(peer, destination), touch: false);
            if (r.Action != WireGuardAction.Done)
            {
                TouchChanged(peer);
            }
            return r;
        }
    }

    private WireGuardResult UpdateTimersLocked(WireGuardPeer peer, Span<byte> destination)
    {
        var now = Now();
        var reject = WireGuardConstants.RejectAfterTime.Ticks;
        ExpireKeypair(ref peer.Current, now, reject);
        ExpireKeypair(ref peer.Previous, now, reject);
        ExpireKeypair(ref peer.Next, now, reject);
        if (peer.LastHandshakeTicks != long.MinValue && now - peer.LastHandshakeTicks >= 3 * reject)
        {
            ClearSessions(peer);
            RemoveIndex(peer.Handshake.LocalIndex, peer);
            peer.Handshake.Clear();
            peer.LastHandshakeTicks = long.MinValue;
        }

        if (peer.RetryAt != long.MinValue && now >= peer.RetryAt)
        {
            if (now - peer.AttemptStarted >= WireGuardConstants.RekeyAttemptTime.Ticks)
            {
                peer.RetryAt = long.MinValue;
                peer.AttemptStarted = long.MinValue;
                peer.WantHandshake = false;
                peer.DataSentUnanswered = long.MinValue;
                // Counted per queued packet dropped (the result itself is not a drop; see Counted).
                peer.CountDrop(WireGuardError.ConnectionExpired, peer.QueuedCount);
                peer.CountHandshake(ref peer.AttemptsFailedCount);
                peer.AttemptFailed = now;
                peer.ClearQueued();
                RemoveIndex(peer.Handshake.LocalIndex, peer);
                peer.Handshake.Clear();
                return WireGuardResult.Fail(WireGuardError.ConnectionExpired, peer);
            }
            return SendInitiationLocked(peer, destination, isRetry: true);
        }

        if (peer.DataSentUnanswered != long.MinValue
            && now - peer.DataSentUnanswered >= (WireGuardConstants.KeepaliveTimeout + WireGuardConstants.RekeyTimeout).Ticks)
        {
            // Sent data but heard nothing back: the session may be dead on the other side.
            peer.DataSentUnanswered = long.MinValue;
            peer.WantHandshake = true;
        }
        if (peer.WantHandshake && peer.RetryAt == long.MinValue)
        {
            var r = SendInitiationLocked(peer, destination, isRetry: false);
            if (r.Action != WireGuardAction.Done)
            {
                return r;
            }
        }

        if (peer.DataReceivedUnacked != long.MinValue && now - peer.DataReceivedUnacked >= WireGuardConstants.KeepaliveTimeout.Ticks)
        {
            peer.DataReceivedUnacked = long.MinValue;
            return SendKeepaliveLocked(peer, destination);
        }
        if (peer.PersistentKeepalive > TimeSpan.Zero && (peer.LastSent == long.MinValue || now - peer.LastSent >= peer.PersistentKeepalive.Ticks))
        {
            return peer.Current is not null && CanSend(peer.Current, now)
                ? SendKeepaliveLocked(peer, destination)
                : peer.RetryAt == long.MinValue ? SendInitiationLocked(peer, destination, isRetry: false) : WireGuardResult.Done(peer);
        }
        return WireGuardResult.Done(peer);
    }

    private void ExpireKeypair(ref Keypair? slot, long now, long reject)
    {
        if (slot is not null && now - slot.Created >= reject)
        {
            DropKeypair(slot);
            Volatile.Write(ref slot, null);
        }
    }
}

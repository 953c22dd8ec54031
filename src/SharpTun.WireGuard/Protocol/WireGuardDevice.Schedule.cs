using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace SharpTun.WireGuard;

/// <summary>
/// Which peers need attention, without walking every peer. Two queues of peers, each holding a peer at
/// most once (a flag on the peer guards it; the data path pays one volatile read per packet once flagged):
/// <list type="bullet">
/// <item>timer work: a peer something happened to (data sent or received, a handshake message, queued
/// packets, <see cref="Touch"/> after a configuration change). The owner of the timers takes it
/// (<see cref="TryTakeTimerWork"/>), calls <see cref="UpdateTimers"/>, and then sleeps until
/// <see cref="TimerDueIn"/>; a peer with nothing armed costs no wake-up at all.</item>
/// <item>changes: the same events plus what <see cref="UpdateTimers"/> did (a retry, a keepalive, an
/// expiry) and peers added; an observer (the log watcher) takes them (<see cref="TryTakeChanged"/>)
/// instead of comparing every peer on a clock.</item>
/// </list>
/// </summary>
public sealed partial class WireGuardDevice
{
    private readonly ConcurrentQueue<WireGuardPeer> _timerWork = new();
    private readonly ConcurrentQueue<WireGuardPeer> _changed = new();

    /// <summary>Notes that <paramref name="peer"/>'s timers and visible state may have changed (configuration, host events).</summary>
    public void Touch(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        TouchTimers(peer);
        TouchChanged(peer);
    }

    /// <summary>Notes that <paramref name="peer"/>'s visible state changed (a host counter) without asking the timers to look.</summary>
    public void NoteChanged(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        TouchChanged(peer);
    }

    /// <summary>Takes the next peer whose timers need a look (each peer once until taken again).</summary>
    public bool TryTakeTimerWork([NotNullWhen(true)] out WireGuardPeer? peer)
    {
        if (_timerWork.TryDequeue(out peer))
        {
            Volatile.Write(ref peer.TimerWorkQueued, 0);
            return true;
        }
        return false;
    }

    /// <summary>Takes the next peer whose state changed since it was last taken (each peer once until taken again).</summary>
    public bool TryTakeChanged([NotNullWhen(true)] out WireGuardPeer? peer)
    {
        if (_changed.TryDequeue(out peer))
        {
            Volatile.Write(ref peer.ChangeQueued, 0);
            return true;
        }
        return false;
    }

    /// <summary>
    /// How long until <see cref="UpdateTimers"/> can next have something to do for <paramref name="peer"/>
    /// (zero: now), or null when nothing is armed (no session, no handshake in flight, no keepalive, nothing
    /// queued): such a peer needs no wake-up until something happens to it.
    /// </summary>
    public TimeSpan? TimerDueIn(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                return null;
            }
            var now = Now();
            var reject = WireGuardConstants.RejectAfterTime.Ticks;
            var due = long.MaxValue;
            // The same conditions as UpdateTimersLocked, each as the instant it becomes true.
            Earliest(ref due, peer.Current, reject);
            Earliest(ref due, peer.Previous, reject);
            Earliest(ref due, peer.Next, reject);
            if (peer.LastHandshakeTicks != long.MinValue)
            {
                due = Math.Min(due, peer.LastHandshakeTicks + (3 * reject));
            }
            if (peer.RetryAt != long.MinValue)
            {
                due = Math.Min(due, peer.RetryAt);
            }
            if (peer.DataSentUnanswered != long.MinValue)
            {
                due = Math.Min(due, peer.DataSentUnanswered + (WireGuardConstants.KeepaliveTimeout + WireGuardConstants.RekeyTimeout).Ticks);
            }
            if ((peer.WantHandshake && peer.RetryAt == long.MinValue) || (peer.QueuedCount > 0 && peer.Current is not null))
            {
                due = now;
            }
            if (peer.DataReceivedUnacked != long.MinValue)
            {
                due = Math.Min(due, peer.DataReceivedUnacked + WireGuardConstants.KeepaliveTimeout.Ticks);
            }
            if (peer.PersistentKeepalive > TimeSpan.Zero)
            {
                due = Math.Min(due, peer.LastSent == long.MinValue ? now : peer.LastSent + peer.PersistentKeepalive.Ticks);
            }
            return due == long.MaxValue ? null : TimeSpan.FromTicks(Math.Max(0, due - now));
        }
    }

    private static void Earliest(ref long due, Keypair? keypair, long reject)
    {
        if (keypair is not null)
        {
            due = Math.Min(due, keypair.Created + reject);
        }
    }

    private void TouchTimers(WireGuardPeer peer)
    {
        if (Volatile.Read(ref peer.TimerWorkQueued) == 0 && Interlocked.Exchange(ref peer.TimerWorkQueued, 1) == 0)
        {
            _timerWork.Enqueue(peer);
        }
    }

    private void TouchChanged(WireGuardPeer peer)
    {
        if (Volatile.Read(ref peer.ChangeQueued) == 0 && Interlocked.Exchange(ref peer.ChangeQueued, 1) == 0)
        {
            _changed.Enqueue(peer);
        }
    }
}

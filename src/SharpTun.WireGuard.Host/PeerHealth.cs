namespace SharpTun.WireGuard.Host;

/// <summary>
/// The health state machine, a pure function of the core's timers:
/// <code>
///   never ──attempt──▶ handshaking since T ──handshake──▶ up
///                            ▲                           │ 180 s without a handshake, an attempt unanswered 5 s
///                            │ attempt, no fresh session  ▼ or given up, data unanswered 15 s
///                            └────────────────────────── stale ──handshake──▶ up
/// </code>
/// "handshaking since" is shown only while no fresh (under 180 s) session exists: a peer that has one but
/// stops answering is stale at once, which is what an operator needs to see.
/// </summary>
internal static class PeerHealth
{
    /// <summary>A handshake younger than this counts as fresh (REJECT_AFTER_TIME, 180 s: the session is still usable).</summary>
    public static readonly TimeSpan FreshHandshake = WireGuardConstants.RejectAfterTime;

    /// <summary>Data unanswered this long means the path or the peer is gone (KEEPALIVE_TIMEOUT + REKEY_TIMEOUT, 15 s).</summary>
    public static readonly TimeSpan AnswerTimeout = WireGuardConstants.KeepaliveTimeout + WireGuardConstants.RekeyTimeout;

    /// <summary>A rekey answered within this time (REKEY_TIMEOUT, 5 s) is routine and leaves the peer up.</summary>
    public static readonly TimeSpan RoutineRekey = WireGuardConstants.RekeyTimeout;

    /// <summary>The state at <see cref="PeerTimers.Now"/> and, when handshaking, since when.</summary>
    public static (PeerHealthState State, DateTimeOffset? Since) Classify(DateTimeOffset? latestHandshake, in PeerTimers timers)
    {
        var now = timers.Now;
        var fresh = latestHandshake is { } hs && now - hs < FreshHandshake;
        if (timers.HandshakeAttemptStarted is { } since && !fresh)
        {
            return (PeerHealthState.Handshaking, since);
        }
        if (latestHandshake is not { } last)
        {
            return (PeerHealthState.Never, null);
        }
        if (!fresh || timers.HandshakeAttemptFailed > last
            || (timers.HandshakeAttemptStarted is { } attempt && now - attempt >= RoutineRekey)
            || (timers.DataSentUnansweredSince is { } unanswered && now - unanswered >= AnswerTimeout))
        {
            return (PeerHealthState.Stale, null);
        }
        return (PeerHealthState.Up, null);
    }

    /// <summary>The wire name: "never", "handshaking", "up", "stale".</summary>
    public static string Name(PeerHealthState state) => state switch
    {
        PeerHealthState.Never => "never",
        PeerHealthState.Handshaking => "handshaking",
        PeerHealthState.Up => "up",
        PeerHealthState.Stale => "stale",
        _ => state.ToString(),
    };
}

namespace SharpTun.Tunnel;

/// <summary>
/// Reconnect delays of a client: 0.1 s doubling up to 2 s. The delay grows across connections
/// that the server accepts and then closes at once (a server that keeps refusing, or a squatter
/// in its slot); it starts again from 0.1 s only after a connection that was worth having:
/// one that carried a packet from the peer or lived at least <see cref="GoodLifetime"/>.
/// </summary>
internal sealed class Backoff
{
    /// <summary>A connection that lived this long counts as good even without traffic.</summary>
    internal static readonly TimeSpan GoodLifetime = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    internal Backoff(TimeSpan? initial = null, TimeSpan? max = null)
    {
        _initial = initial ?? TimeSpan.FromMilliseconds(100);
        _max = max ?? TimeSpan.FromSeconds(2);
        _next = _initial;
    }

    /// <summary>The delay before the next attempt; the one after doubles (capped).</summary>
    internal TimeSpan NextDelay()
    {
        var d = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return d;
    }

    /// <summary>Called when a connection ended: resets the delay only if it carried data or lived long enough.</summary>
    internal void ConnectionEnded(bool carriedData, TimeSpan lifetime)
    {
        if (carriedData || lifetime >= GoodLifetime)
        {
            _next = _initial;
        }
    }
}

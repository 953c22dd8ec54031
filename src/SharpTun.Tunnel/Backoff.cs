namespace SharpTun.Tunnel;

/// <summary>Reconnect delays: 0.1 s doubling up to a cap of 2 s; reset after a successful connection.</summary>
public sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    /// <summary>Creates a backoff from <paramref name="initial"/> doubling to <paramref name="max"/>.</summary>
    public Backoff(TimeSpan? initial = null, TimeSpan? max = null)
    {
        _initial = initial ?? TimeSpan.FromMilliseconds(100);
        _max = max ?? TimeSpan.FromSeconds(2);
        _next = _initial;
    }

    /// <summary>The delay to wait now; the next one doubles (capped).</summary>
    public TimeSpan NextDelay()
    {
        var d = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return d;
    }

    /// <summary>Starts again from the initial delay.</summary>
    public void Reset() => _next = _initial;
}

namespace SharpTun.Tunnel;

/// <summary>
/// Rate-limits <see cref="TunnelEvent"/>s per kind: the first <see cref="TunnelEvent.BurstPerWindow"/>
/// in a <see cref="TunnelEvent.Window"/> pass, later ones are only counted, and when the window ends
/// one <see cref="TunnelEventKind.Suppressed"/> event says how many. Memory is one slot per kind.
/// Single-threaded (the event loop); time in milliseconds from the relay's clock.
/// </summary>
internal sealed class EventLimiter
{
    private static readonly int s_kinds = Enum.GetValues<TunnelEventKind>().Length;
    private readonly Action<TunnelEvent>? _sink;
    private readonly long _windowMs = (long)TunnelEvent.Window.TotalMilliseconds;
    private readonly long[] _windowStart = new long[s_kinds];
    private readonly int[] _inWindow = new int[s_kinds];
    private readonly long[] _suppressed = new long[s_kinds];

    internal EventLimiter(Action<TunnelEvent>? sink)
    {
        _sink = sink;
    }

    /// <summary>True when an event of <paramref name="kind"/> would be reported now (build the message only then).</summary>
    internal bool ShouldReport(TunnelEventKind kind, long nowMs)
    {
        if (_sink is null)
        {
            return false;
        }
        var k = (int)kind;
        if (nowMs - _windowStart[k] >= _windowMs)
        {
            FlushKind(k);
            _windowStart[k] = nowMs;
            _inWindow[k] = 0;
        }
        if (_inWindow[k] < TunnelEvent.BurstPerWindow)
        {
            _inWindow[k]++;
            return true;
        }
        _suppressed[k]++;
        return false;
    }

    /// <summary>Reports <paramref name="e"/> if the limit allows (the caller already asked <see cref="ShouldReport"/> when building it was costly).</summary>
    internal void Report(TunnelEvent e) => _sink?.Invoke(e);

    /// <summary>Builds and reports an event when the limit allows.</summary>
    internal void Report(TunnelEventKind kind, long nowMs, Func<string> message, string? peer = null)
    {
        if (ShouldReport(kind, nowMs))
        {
            _sink!(new TunnelEvent(kind, message(), peer));
        }
    }

    /// <summary>Milliseconds until a window with suppressed events ends (-1: none pending).</summary>
    internal long MillisecondsToFlush(long nowMs)
    {
        var best = -1L;
        for (var k = 0; k < s_kinds; k++)
        {
            if (_suppressed[k] > 0)
            {
                var due = Math.Max(0, _windowStart[k] + _windowMs - nowMs);
                best = best < 0 ? due : Math.Min(best, due);
            }
        }
        return best;
    }

    /// <summary>Reports the counts of windows that have ended (all of them when <paramref name="all"/>).</summary>
    internal void Flush(long nowMs, bool all = false)
    {
        for (var k = 0; k < s_kinds; k++)
        {
            if (_suppressed[k] > 0 && (all || nowMs - _windowStart[k] >= _windowMs))
            {
                FlushKind(k);
                _windowStart[k] = nowMs;
                _inWindow[k] = 0;
            }
        }
    }

    private void FlushKind(int k)
    {
        var n = _suppressed[k];
        if (n == 0 || _sink is null)
        {
            return;
        }
        _suppressed[k] = 0;
        var kind = (TunnelEventKind)k;
        _sink(new TunnelEvent(TunnelEventKind.Suppressed, $"{n} more '{Words(kind)}' events in the last {TunnelEvent.Window.TotalSeconds:0} s not shown")
        {
            SuppressedKind = kind,
            Suppressed = n,
        });
    }

    internal static string Words(TunnelEventKind kind) => kind switch
    {
        TunnelEventKind.PeerConnected => "peer connected",
        TunnelEventKind.PeerGone => "peer gone",
        TunnelEventKind.PeerMoved => "peer moved",
        TunnelEventKind.PeerReplaced => "peer replaced",
        TunnelEventKind.PeerRefused => "refused",
        TunnelEventKind.ProtocolError => "protocol error",
        TunnelEventKind.ConnectFailed => "cannot connect",
        _ => "suppressed",
    };
}

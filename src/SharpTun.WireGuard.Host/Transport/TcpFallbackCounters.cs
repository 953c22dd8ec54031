namespace SharpTun.WireGuard.Host;

/// <summary>What the TCP fallback's connections did (atomic counters; any thread reads them).</summary>
internal sealed class TcpFallbackCounters
{
    private long _accepted;
    private long _refused;
    private long _dialed;
    private long _closedInvalid;
    private long _closedTimeout;
    private long _closedRemote;
    private long _framesReceived;

    internal long Accepted => Volatile.Read(ref _accepted);
    internal long Refused => Volatile.Read(ref _refused);
    internal long Dialed => Volatile.Read(ref _dialed);

    /// <summary>Closed because a frame was not a WireGuard message (bad length or type).</summary>
    internal long ClosedInvalid => Volatile.Read(ref _closedInvalid);

    /// <summary>Closed by a deadline: no first frame, not answered, idle, connect too slow.</summary>
    internal long ClosedTimeout => Volatile.Read(ref _closedTimeout);

    /// <summary>Closed by the other end or a socket error.</summary>
    internal long ClosedRemote => Volatile.Read(ref _closedRemote);

    internal long FramesReceived => Volatile.Read(ref _framesReceived);

    internal void CountAccepted() => Interlocked.Increment(ref _accepted);
    internal void CountRefused() => Interlocked.Increment(ref _refused);
    internal void CountDialed() => Interlocked.Increment(ref _dialed);
    internal void CountInvalid() => Interlocked.Increment(ref _closedInvalid);
    internal void CountTimeout() => Interlocked.Increment(ref _closedTimeout);
    internal void CountRemote() => Interlocked.Increment(ref _closedRemote);
    internal void CountFrames(int n) => Interlocked.Add(ref _framesReceived, n);
}

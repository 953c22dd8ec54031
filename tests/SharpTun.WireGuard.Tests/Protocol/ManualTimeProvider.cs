namespace SharpTun.WireGuard.Tests;

/// <summary>A clock that moves only when the test says so (wall clock and monotonic timestamp move together).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;
    private long _timestamp;

    internal ManualTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override long GetTimestamp() => _timestamp;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    internal void Advance(TimeSpan by)
    {
        _now += by;
        _timestamp += by.Ticks;
    }
}

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// A clock that moves only when the test says so (wall clock and monotonic timestamp move together).
/// Thread-safe: readers on other threads see whole values.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly long _startUtcTicks;
    private long _elapsed;

    internal ManualTimeProvider(DateTimeOffset? start = null) =>
        _startUtcTicks = (start ?? new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(_startUtcTicks + Interlocked.Read(ref _elapsed), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _elapsed);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    internal void Advance(TimeSpan by) => Interlocked.Add(ref _elapsed, by.Ticks);
}

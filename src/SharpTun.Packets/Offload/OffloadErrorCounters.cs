namespace SharpTun.Packets.Offload;

/// <summary>
/// A count per <see cref="OffloadError"/>, for a pump that drops refused packets and reports why.
/// Safe to increment from several threads; reading is a snapshot per reason.
/// </summary>
public sealed class OffloadErrorCounters
{
    private readonly long[] _counts = new long[(int)OffloadError.BufferTooSmall + 1];

    /// <summary>Counts one occurrence of <paramref name="error"/> (<see cref="OffloadError.None"/> is not counted).</summary>
    public void Add(OffloadError error)
    {
        if (error != OffloadError.None && (int)error < _counts.Length)
        {
            Interlocked.Increment(ref _counts[(int)error]);
        }
    }

    /// <summary>How often <paramref name="error"/> was counted.</summary>
    public long this[OffloadError error] => (int)error < _counts.Length ? Interlocked.Read(ref _counts[(int)error]) : 0;

    /// <summary>The sum over all reasons.</summary>
    public long Total
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                sum += Interlocked.Read(ref _counts[i]);
            }
            return sum;
        }
    }
}

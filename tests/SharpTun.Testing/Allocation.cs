namespace SharpTun.Testing;

/// <summary>
/// Zero-allocation checks that tell a per-operation allocation from the runtime's own one-time work. A tier-up
/// of a hot method (OSR, call counting) may allocate a few KB once on the thread that runs it, whenever the
/// runtime gets to it: a single measured loop then fails now and then (seen in whole-suite runs). Measured in
/// rounds instead, a real per-operation allocation shows in every round; the runtime's shows in one.
/// </summary>
public static class Allocation
{
    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="iterations"/> times per round, up to <paramref name="rounds"/>
    /// rounds, stopping at the first round that allocated nothing on this thread; returns what the last round
    /// allocated (0 once a round was clean).
    /// </summary>
    public static long SteadyState(int iterations, Action<int> step, int rounds = 5)
    {
        ArgumentNullException.ThrowIfNull(step);
        long allocated = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < iterations; i++)
            {
                step(i);
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0)
            {
                return 0;
            }
        }
        return allocated;
    }
}

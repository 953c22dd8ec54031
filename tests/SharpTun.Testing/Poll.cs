using System.Diagnostics;

namespace SharpTun.Testing;

/// <summary>Readiness by polling with a generous deadline, never by a bare sleep.</summary>
public static class Poll
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> until true or the deadline; throws with <paramref name="what"/> on timeout.</summary>
    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var step = interval ?? TimeSpan.FromMilliseconds(50);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (condition())
            {
                return;
            }
            if (sw.Elapsed > limit)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}");
            }
            Thread.Sleep(step);
        }
    }

    /// <summary>Async variant of <see cref="Until"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var step = interval ?? TimeSpan.FromMilliseconds(50);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return;
            }
            if (sw.Elapsed > limit)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:0.#} s waiting for {what}");
            }
            await Task.Delay(step).ConfigureAwait(false);
        }
    }
}

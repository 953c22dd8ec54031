using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The replay window against wireguard-go's replay/replay_test.go (numbered vector table and bulk
/// tests; its limit there is 2^64 − 2^4 − 1) and against a HashSet model on seeded random counters.
/// </summary>
public sealed class ReplayFilterTests(ITestOutputHelper output)
{
    private const ulong Limit = ulong.MaxValue - (1UL << 4);
    private const ulong Window = ReplayFilter.WindowSize;

    [Fact]
    public void WindowIs8128() => Assert.Equal(8128UL, Window);

    [Fact]
    public void NumberedVectors()
    {
        var f = new ReplayFilter();
        const ulong tLim = Window + 1;
        var n = 0;
        void T(ulong counter, bool expected)
        {
            n++;
            Assert.True(f.Validate(counter, Limit) == expected, $"vector {n}: counter {counter} expected {expected}");
        }
        T(0, true);                      /*  1 */
        T(1, true);                      /*  2 */
        T(1, false);                     /*  3 */
        T(9, true);                      /*  4 */
        T(8, true);                      /*  5 */
        T(7, true);                      /*  6 */
        T(7, false);                     /*  7 */
        T(tLim, true);                   /*  8 */
        T(tLim - 1, true);               /*  9 */
        T(tLim - 1, false);              /* 10 */
        T(tLim - 2, true);               /* 11 */
        T(2, true);                      /* 12 */
        T(2, false);                     /* 13 */
        T(tLim + 16, true);              /* 14 */
        T(3, false);                     /* 15 */
        T(tLim + 16, false);             /* 16 */
        T(tLim * 4, true);               /* 17 */
        T(tLim * 4 - (tLim - 1), true);  /* 18 */
        T(10, false);                    /* 19 */
        T(tLim * 4 - tLim, false);       /* 20 */
        T(tLim * 4 - (tLim + 1), false); /* 21 */
        T(tLim * 4 - (tLim - 2), true);  /* 22 */
        T(tLim * 4 + 1 - tLim, false);   /* 23 */
        T(0, false);                     /* 24 */
        T(Limit, false);                 /* 25 */
        T(Limit - 1, true);              /* 26 */
        T(Limit, false);                 /* 27 */
        T(Limit - 1, false);             /* 28 */
        T(Limit - 2, true);              /* 29 */
        T(Limit + 1, false);             /* 30 */
        T(Limit + 2, false);             /* 31 */
        T(Limit - 2, false);             /* 32 */
        T(Limit - 3, true);              /* 33 */
        T(0, false);                     /* 34 */
    }

    [Fact]
    public void Bulk1_AscendingWindow_ThenZero()
    {
        var f = new ReplayFilter();
        for (ulong i = 1; i <= Window; i++)
        {
            Assert.True(f.Validate(i, Limit));
        }
        Assert.True(f.Validate(0, Limit));
        Assert.False(f.Validate(0, Limit));
    }

    [Fact]
    public void Bulk2_AscendingFrom2_ThenOneInside_ZeroOutside()
    {
        var f = new ReplayFilter();
        for (ulong i = 2; i <= Window + 1; i++)
        {
            Assert.True(f.Validate(i, Limit));
        }
        Assert.True(f.Validate(1, Limit));
        Assert.False(f.Validate(0, Limit));
    }

    [Fact]
    public void Bulk3_Descending()
    {
        var f = new ReplayFilter();
        for (var i = Window + 1; i > 0; i--)
        {
            Assert.True(f.Validate(i, Limit));
        }
    }

    [Fact]
    public void Bulk4_DescendingFromWindowPlus2_ZeroOutside()
    {
        var f = new ReplayFilter();
        for (var i = Window + 2; i > 1; i--)
        {
            Assert.True(f.Validate(i, Limit));
        }
        Assert.False(f.Validate(0, Limit));
    }

    [Fact]
    public void Bulk5_DescendingWindow_ThenAdvanceByOne()
    {
        var f = new ReplayFilter();
        for (var i = Window; i > 0; i--)
        {
            Assert.True(f.Validate(i, Limit));
        }
        Assert.True(f.Validate(Window + 1, Limit));
        Assert.False(f.Validate(0, Limit));
    }

    [Fact]
    public void Bulk6_DescendingWindow_ZeroStillInside()
    {
        var f = new ReplayFilter();
        for (var i = Window; i > 0; i--)
        {
            Assert.True(f.Validate(i, Limit));
        }
        Assert.True(f.Validate(0, Limit));
        Assert.True(f.Validate(Window + 1, Limit));
    }

    /// <summary>
    /// Model: a counter is accepted iff it was never accepted before and max_seen − counter ≤ window
    /// (when it is not the new maximum). Counters are drawn near a slowly advancing front so most are
    /// in or near the window, with occasional big jumps.
    /// </summary>
    [Fact]
    public void MatchesHashSetModel_OnOneMillionSeededCounters()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var rng = new Random(seed);
        var f = new ReplayFilter();
        var seen = new HashSet<ulong>();
        ulong max = 0;
        var any = false;
        ulong front = 0;
        int accepted = 0, rejected = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            var roll = rng.Next(1000);
            if (roll == 0)
            {
                front += (ulong)rng.Next(1, 20_000);
            }
            else if (roll < 400)
            {
                front += (ulong)rng.Next(0, 4);
            }
            var back = (ulong)rng.Next(0, 9000);
            var counter = back > front ? (ulong)rng.Next(0, 64) : front - back + (ulong)rng.Next(0, 3);
            bool expected;
            if (seen.Contains(counter))
            {
                expected = false;
            }
            else if (!any || counter > max)
            {
                expected = true;
            }
            else
            {
                expected = max - counter <= Window;
            }
            var actual = f.Validate(counter, WireGuardConstants.RejectAfterMessages);
            Assert.True(expected == actual, $"seed {seed}, step {i}: counter {counter} (max {max}) expected {expected}, got {actual}");
            if (actual)
            {
                seen.Add(counter);
                accepted++;
                if (!any || counter > max)
                {
                    max = counter;
                    any = true;
                }
            }
            else
            {
                rejected++;
            }
        }
        output.WriteLine($"accepted {accepted}, rejected {rejected}");
        Assert.True(accepted > 100_000 && rejected > 100_000);
    }
}

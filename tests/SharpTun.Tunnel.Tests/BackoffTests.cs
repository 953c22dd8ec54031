namespace SharpTun.Tunnel.Tests;

/// <summary>
/// <see cref="Backoff"/> alone: exact delays (0.1 s doubling, capped at 2 s; no jitter), custom bounds,
/// and which ended connections start the schedule again.
/// </summary>
public sealed class BackoffTests
{
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    [Fact]
    public void Delays_double_from_100_ms_and_stay_at_the_2_s_cap()
    {
        var b = new Backoff();
        var delays = Enumerable.Range(0, 9).Select(_ => b.NextDelay().TotalMilliseconds).ToArray();
        Assert.Equal([100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000], delays);
    }

    [Fact]
    public void Custom_initial_and_cap_are_exact_and_a_cap_that_is_not_a_power_of_two_multiple_is_hit_exactly()
    {
        var b = new Backoff(Ms(30), Ms(100));
        Assert.Equal([30, 60, 100, 100], new[] { b.NextDelay(), b.NextDelay(), b.NextDelay(), b.NextDelay() }.Select(d => d.TotalMilliseconds));
    }

    [Fact]
    public void A_connection_that_carried_data_resets_the_delay()
    {
        var b = new Backoff();
        b.NextDelay();
        b.NextDelay();
        b.NextDelay();
        b.ConnectionEnded(carriedData: true, lifetime: TimeSpan.Zero);
        Assert.Equal(Ms(100), b.NextDelay());
        Assert.Equal(Ms(200), b.NextDelay());
    }

    [Theory]
    [InlineData(4999, 400)] // short-lived, silent: the schedule goes on
    [InlineData(5000, 100)] // exactly GoodLifetime counts as good
    [InlineData(60_000, 100)]
    public void A_silent_connection_resets_the_delay_only_after_living_GoodLifetime(int lifetimeMs, int expectedNextMs)
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Backoff.GoodLifetime);
        var b = new Backoff();
        b.NextDelay();
        b.NextDelay();
        b.ConnectionEnded(carriedData: false, lifetime: Ms(lifetimeMs));
        Assert.Equal(Ms(expectedNextMs), b.NextDelay());
    }

    [Fact]
    public void A_reset_at_the_cap_starts_over_and_grows_again()
    {
        var b = new Backoff();
        for (var i = 0; i < 10; i++)
        {
            b.NextDelay();
        }
        Assert.Equal(Ms(2000), b.NextDelay());
        b.ConnectionEnded(carriedData: false, lifetime: Backoff.GoodLifetime);
        Assert.Equal([100, 200, 400], new[] { b.NextDelay(), b.NextDelay(), b.NextDelay() }.Select(d => d.TotalMilliseconds));
    }
}

using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>The seed of a seeded property test: SHARPTUN_TEST_SEED when set, else random; always printed.</summary>
internal static class TestSeed
{
    internal static int Get(ITestOutputHelper output)
    {
        var seed = Environment.GetEnvironmentVariable("SHARPTUN_TEST_SEED") is { Length: > 0 } s
            ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"seed {seed} (rerun with SHARPTUN_TEST_SEED={seed})");
        return seed;
    }
}

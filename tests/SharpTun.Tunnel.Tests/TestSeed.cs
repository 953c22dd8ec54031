using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

/// <summary>The seed of a seeded test: SHARPTUN_TEST_SEED when set, else random; always printed.</summary>
internal static class TestSeed
{
    internal static int Get(ITestOutputHelper output)
    {
        var env = Environment.GetEnvironmentVariable("SHARPTUN_TEST_SEED");
        var seed = env is not null && int.TryParse(env, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set SHARPTUN_TEST_SEED={seed} to repeat)");
        return seed;
    }
}

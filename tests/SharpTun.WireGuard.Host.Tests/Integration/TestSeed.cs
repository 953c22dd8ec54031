using System.Globalization;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>The seed of a test's random data: SHARPTUN_TEST_SEED if set, else random; always printed.</summary>
internal static class TestSeed
{
    internal static int Get(ITestOutputHelper output)
    {
        var env = Environment.GetEnvironmentVariable("SHARPTUN_TEST_SEED");
        var seed = env is { Length: > 0 } ? int.Parse(env, CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (set SHARPTUN_TEST_SEED={seed} to repeat)");
        return seed;
    }
}

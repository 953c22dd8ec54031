using System.Globalization;
using Xunit.Abstractions;

namespace SharpTun.Testing;

/// <summary>
/// The one seed of seeded (property, fuzz) tests: <c>SHARPTUN_TEST_SEED</c> when set, else a fresh
/// random one; printed to the test output either way, so a failure can be repeated exactly.
/// </summary>
public static class TestSeed
{
    /// <summary>The environment variable that fixes the seed.</summary>
    public const string Variable = "SHARPTUN_TEST_SEED";

    /// <summary>The seed for one test; writes <c>seed N (set SHARPTUN_TEST_SEED=N to repeat)</c> to <paramref name="output"/>.</summary>
    public static int Get(ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var seed = FromEnvironment() ?? Random.Shared.Next();
        output.WriteLine($"seed {seed} (set {Variable}={seed} to repeat)");
        return seed;
    }

    /// <summary>The seed from <c>SHARPTUN_TEST_SEED</c>, or null when unset; a malformed value throws (it would silently not repeat the run).</summary>
    public static int? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : throw new InvalidOperationException($"{Variable}='{text}' is not an integer seed");
    }
}

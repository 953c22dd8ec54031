using SharpTun.WireGuard;

namespace SharpTun.Testing.Fakes;

/// <summary>A reproducible <see cref="IRandomSource"/> (System.Random with a seed) for deterministic handshakes.</summary>
public sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    /// <inheritdoc/>
    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}

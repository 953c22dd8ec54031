using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>A reproducible <see cref="IRandomSource"/> (System.Random with a seed) for deterministic handshakes.</summary>
internal sealed class SeededRandom(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public void Fill(Span<byte> destination) => _random.NextBytes(destination);
}

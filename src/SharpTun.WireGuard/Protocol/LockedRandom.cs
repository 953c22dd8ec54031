namespace SharpTun.WireGuard;

/// <summary>Serializes an injected <see cref="IRandomSource"/> (a seeded test source is not thread-safe); handshake paths only.</summary>
internal sealed class LockedRandom(IRandomSource inner) : IRandomSource
{
    private readonly Lock _lock = new();

    public void Fill(Span<byte> destination)
    {
        lock (_lock)
        {
            inner.Fill(destination);
        }
    }
}

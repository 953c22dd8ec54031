using System.Security.Cryptography;

namespace SharpTun.WireGuard;

/// <summary>
/// Where the protocol gets randomness: ephemeral private keys, receiver indices, cookie secrets and
/// nonces, retry jitter. The default is the OS CSPRNG; tests inject a deterministic source to make
/// handshake messages reproducible.
/// </summary>
public interface IRandomSource
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);
}

/// <summary>The OS cryptographic random generator.</summary>
internal sealed class SystemRandomSource : IRandomSource
{
    /// <summary>The shared instance.</summary>
    public static SystemRandomSource Instance { get; } = new();

    /// <inheritdoc/>
    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

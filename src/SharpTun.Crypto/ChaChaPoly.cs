using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SharpTun.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce: 32 zero bits followed by the 64-bit
/// little-endian counter. One instance holds one key; Seal/Open allocate no managed memory.
/// Not safe for concurrent use of one instance.
/// </summary>
public sealed class ChaChaPoly : IDisposable
{
    /// <summary>Key size in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Authentication tag size in bytes.</summary>
    public const int TagSize = 16;

    private readonly ChaCha20Poly1305 _aead;

    /// <summary>Creates an AEAD for a 32-byte key (the key bytes are copied by the implementation).</summary>
    public ChaChaPoly(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"ChaCha20-Poly1305 key must be {KeySize} bytes, got {key.Length}", nameof(key));
        }
        _aead = new ChaCha20Poly1305(key);
    }

    /// <summary>Encrypts into <paramref name="destination"/> (plaintext length + 16: ciphertext then tag).</summary>
    public void Seal(ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        Span<byte> nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        _aead.Encrypt(nonce, plaintext, destination[..plaintext.Length], destination.Slice(plaintext.Length, TagSize), associatedData);
    }

    /// <summary>Decrypts and authenticates <paramref name="source"/> (ciphertext then tag); false when the tag is wrong.</summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (source.Length < TagSize)
        {
            return false;
        }
        var n = source.Length - TagSize;
        Span<byte> nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        try
        {
            _aead.Decrypt(nonce, source[..n], source[n..], plaintext[..n], associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    /// <summary>One-shot seal with a throwaway key (handshake messages).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        using var aead = new ChaChaPoly(key);
        aead.Seal(counter, plaintext, associatedData, destination);
    }

    /// <summary>One-shot open with a throwaway key (handshake messages).</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        using var aead = new ChaChaPoly(key);
        return aead.TryOpen(counter, source, associatedData, plaintext);
    }

    /// <inheritdoc/>
    public void Dispose() => _aead.Dispose();

    private static void Nonce(ulong counter, Span<byte> nonce)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }
}

using System.Security.Cryptography;

namespace SharpTun.Crypto;

/// <summary>
/// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha §2.3): subkey = HChaCha20(key, nonce[0..16]),
/// then ChaCha20-Poly1305 with the subkey and the 12-byte nonce 0x00000000 || nonce[16..24].
/// No managed allocation and no exception for a wrong tag (cookie replies are attacker input);
/// safe from any number of threads.
/// </summary>
public static unsafe class XChaCha20Poly1305
{
    /// <summary>Nonce size in bytes.</summary>
    public const int NonceSize = 24;

    /// <summary>Tag size in bytes.</summary>
    public const int TagSize = 16;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertextAndTag"/> (plaintext length + 16).</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData,
        Span<byte> ciphertextAndTag)
    {
        Check(nonce, ciphertextAndTag.Length - plaintext.Length);
        Span<byte> subkey = stackalloc byte[32];
        Span<byte> inner = stackalloc byte[12];
        Prepare(key, nonce, subkey, inner);
        try
        {
            fixed (byte* k = subkey, n = inner)
            {
                if (!EvpChaChaPoly.Seal(EvpChaChaPoly.ThreadContext, k, n, plaintext, associatedData, ciphertextAndTag))
                {
                    throw new CryptographicException("XChaCha20-Poly1305 seal failed in libcrypto");
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    /// <summary>Decrypts and authenticates; returns false (and clears the output) when the tag does not verify.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertextAndTag,
        ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        Check(nonce, ciphertextAndTag.Length - plaintext.Length);
        Span<byte> subkey = stackalloc byte[32];
        Span<byte> inner = stackalloc byte[12];
        Prepare(key, nonce, subkey, inner);
        try
        {
            fixed (byte* k = subkey, n = inner)
            {
                return EvpChaChaPoly.Open(EvpChaChaPoly.ThreadContext, k, n, ciphertextAndTag, associatedData, plaintext);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }

    private static void Prepare(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, Span<byte> subkey, Span<byte> inner)
    {
        HChaCha20.DeriveSubkey(key, nonce[..16], subkey);
        inner[..4].Clear();
        nonce[16..].CopyTo(inner[4..]);
    }

    private static void Check(ReadOnlySpan<byte> nonce, int tagLength)
    {
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"XChaCha20-Poly1305 nonce must be {NonceSize} bytes, got {nonce.Length}", nameof(nonce));
        }
        if (tagLength != TagSize)
        {
            throw new ArgumentException("ciphertext must be exactly 16 bytes longer than the plaintext");
        }
    }
}

using SharpTun.Crypto.Interop;

namespace SharpTun.Crypto;

/// <summary>
/// The ChaCha20-Poly1305 calls on an OpenSSL EVP_CIPHER_CTX: status returns, no exceptions, no
/// managed allocation. A context is stateful, so each one is used by one thread at a time: either an
/// instance's own (key set once, nonce per call) or <see cref="ThreadContext"/> (key and nonce per call).
/// Per-thread contexts live as long as their thread.
/// </summary>
internal static unsafe class EvpChaChaPoly
{
    internal const int NonceSize = 12;

    private static readonly nint s_cipher = Fetch();

    [ThreadStatic]
    private static nint t_ctx;

    /// <summary>A new context holding <paramref name="key"/> (32 bytes).</summary>
    internal static nint NewContext(byte* key)
    {
        var ctx = LibCrypto.EVP_CIPHER_CTX_new();
        if (ctx == 0 || LibCrypto.EVP_CipherInit_ex2(ctx, s_cipher, key, null, 1, 0) != 1)
        {
            if (ctx != 0)
            {
                LibCrypto.EVP_CIPHER_CTX_free(ctx);
            }
            throw OpenSslError.Create("ChaCha20-Poly1305 key setup");
        }
        return ctx;
    }

    /// <summary>This thread's context (created on first use).</summary>
    internal static nint ThreadContext
    {
        get
        {
            var ctx = t_ctx;
            if (ctx == 0)
            {
                ctx = LibCrypto.EVP_CIPHER_CTX_new();
                if (ctx == 0)
                {
                    throw OpenSslError.Create("ChaCha20-Poly1305 context");
                }
                t_ctx = ctx;
            }
            return ctx;
        }
    }

    /// <summary>Ciphertext then tag into <paramref name="destination"/> (plaintext length + 16). Key null = the context's.</summary>
    internal static bool Seal(nint ctx, byte* key, byte* nonce, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        if (destination.Length < plaintext.Length + ChaChaPoly.TagSize)
        {
            return false;
        }
        fixed (byte* p = plaintext, a = associatedData, d = destination)
        {
            int n;
            return LibCrypto.EVP_CipherInit_ex2(ctx, key == null ? 0 : s_cipher, key, nonce, 1, 0) == 1
                && (associatedData.Length == 0 || LibCrypto.EVP_CipherUpdate(ctx, null, &n, a, associatedData.Length) == 1)
                && LibCrypto.EVP_CipherUpdate(ctx, d, &n, p, plaintext.Length) == 1
                && LibCrypto.EVP_CipherFinal_ex(ctx, d + plaintext.Length, &n) == 1
                && LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EvpCtrlAeadGetTag, ChaChaPoly.TagSize, d + plaintext.Length) == 1;
        }
    }

    /// <summary>
    /// Decrypts and authenticates ciphertext-then-tag; false for a wrong tag. OpenSSL decrypts before it
    /// checks, so on failure the plaintext is cleared: unauthenticated bytes are never left behind.
    /// </summary>
    internal static bool Open(nint ctx, byte* key, byte* nonce, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        var length = source.Length - ChaChaPoly.TagSize;
        if (length < 0 || plaintext.Length < length)
        {
            return false;
        }
        fixed (byte* s = source, a = associatedData, p = plaintext)
        {
            int n;
            var ok = LibCrypto.EVP_CipherInit_ex2(ctx, key == null ? 0 : s_cipher, key, nonce, 0, 0) == 1
                && (associatedData.Length == 0 || LibCrypto.EVP_CipherUpdate(ctx, null, &n, a, associatedData.Length) == 1)
                && LibCrypto.EVP_CipherUpdate(ctx, p, &n, s, length) == 1
                && LibCrypto.EVP_CIPHER_CTX_ctrl(ctx, LibCrypto.EvpCtrlAeadSetTag, ChaChaPoly.TagSize, s + length) == 1
                && LibCrypto.EVP_CipherFinal_ex(ctx, p + length, &n) == 1;
            if (!ok)
            {
                plaintext[..length].Clear();
            }
            return ok;
        }
    }

    private static nint Fetch()
    {
        var c = LibCrypto.EVP_CIPHER_fetch(0, "ChaCha20-Poly1305", null);
        return c != 0 ? c : throw OpenSslError.Create("fetching ChaCha20-Poly1305");
    }
}

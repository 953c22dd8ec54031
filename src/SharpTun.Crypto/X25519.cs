using System.Security.Cryptography;
using SharpTun.Crypto.Interop;

namespace SharpTun.Crypto;

/// <summary>
/// X25519 Diffie-Hellman (RFC 7748) over 32-byte raw keys. Private keys are clamped by the
/// implementation as RFC 7748 §5 requires, so any 32 random bytes are a valid private key.
/// </summary>
public static unsafe class X25519
{
    /// <summary>Key size in bytes (private, public and shared secret).</summary>
    public const int KeySize = 32;

    /// <summary>Writes 32 random bytes, clamped like <c>wg genkey</c> (bits 0-2 and 255 cleared, bit 254 set).</summary>
    public static void GeneratePrivateKey(Span<byte> privateKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        RandomNumberGenerator.Fill(privateKey);
        Clamp(privateKey);
    }

    /// <summary>Applies the RFC 7748 clamping to a private key in place.</summary>
    public static void Clamp(Span<byte> privateKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        privateKey[0] &= 248;
        privateKey[31] = (byte)((privateKey[31] & 127) | 64);
    }

    /// <summary>Computes the public key X25519(privateKey, 9).</summary>
    public static void DerivePublicKey(ReadOnlySpan<byte> privateKey, Span<byte> publicKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        CheckSize(publicKey.Length, nameof(publicKey));
        var pkey = NewPrivate(privateKey);
        try
        {
            nuint len = KeySize;
            fixed (byte* p = publicKey)
            {
                if (LibCrypto.EVP_PKEY_get_raw_public_key(pkey, p, &len) != 1 || len != KeySize)
                {
                    throw OpenSslError.Create("X25519 public key derivation");
                }
            }
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(pkey);
        }
    }

    /// <summary>
    /// Computes the shared secret X25519(privateKey, publicKey). Returns false when the result is
    /// all zeros (a low-order public key), which WireGuard treats as a failed handshake.
    /// </summary>
    public static bool TrySharedSecret(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        CheckSize(publicKey.Length, nameof(publicKey));
        CheckSize(sharedSecret.Length, nameof(sharedSecret));
        var priv = NewPrivate(privateKey);
        try
        {
            return Derive(priv, publicKey, sharedSecret);
        }
        finally
        {
            LibCrypto.EVP_PKEY_free(priv);
        }
    }

    /// <summary>The agreement on an imported private key (OpenSSL computed its public half at import; that is not repeated here).</summary>
    internal static bool Derive(nint priv, ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        nint pub = 0, ctx = 0;
        try
        {
            fixed (byte* p = publicKey)
            {
                pub = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.EvpPkeyX25519, 0, p, KeySize);
            }
            if (pub == 0)
            {
                throw OpenSslError.Create("X25519 public key import");
            }
            ctx = LibCrypto.EVP_PKEY_CTX_new(priv, 0);
            if (ctx == 0 || LibCrypto.EVP_PKEY_derive_init(ctx) != 1 || LibCrypto.EVP_PKEY_derive_set_peer(ctx, pub) != 1)
            {
                throw OpenSslError.Create("X25519 key agreement setup");
            }
            nuint len = KeySize;
            fixed (byte* s = sharedSecret)
            {
                if (LibCrypto.EVP_PKEY_derive(ctx, s, &len) != 1 || len != KeySize)
                {
                    // OpenSSL refuses an all-zero shared secret (RFC 7748 §6.1 check).
                    LibCrypto.ERR_clear_error();
                    sharedSecret.Clear();
                    return false;
                }
            }
            return !IsZero(sharedSecret);
        }
        finally
        {
            if (ctx != 0)
            {
                LibCrypto.EVP_PKEY_CTX_free(ctx);
            }
            if (pub != 0)
            {
                LibCrypto.EVP_PKEY_free(pub);
            }
        }
    }

    /// <summary>Imports a 32-byte private key into a new OpenSSL key (which computes its public half: one scalar multiplication).</summary>
    internal static nint NewPrivate(ReadOnlySpan<byte> privateKey)
    {
        CheckSize(privateKey.Length, nameof(privateKey));
        nint pkey;
        fixed (byte* k = privateKey)
        {
            pkey = LibCrypto.EVP_PKEY_new_raw_private_key(LibCrypto.EvpPkeyX25519, 0, k, KeySize);
        }
        return pkey != 0 ? pkey : throw OpenSslError.Create("X25519 private key import");
    }

    private static bool IsZero(ReadOnlySpan<byte> data)
    {
        var acc = 0;
        foreach (var b in data)
        {
            acc |= b;
        }
        return acc == 0;
    }

    internal static void CheckSize(int length, string name)
    {
        if (length != KeySize)
        {
            throw new ArgumentException($"X25519 {name} must be {KeySize} bytes, got {length}", name);
        }
    }
}

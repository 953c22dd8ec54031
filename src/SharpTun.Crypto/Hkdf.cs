using System.Security.Cryptography;

namespace SharpTun.Crypto;

/// <summary>
/// WireGuard's KDF_n (the paper §5.4, HKDF over HMAC-BLAKE2s): τ0 = HMAC(key, input),
/// τ1 = HMAC(τ0, 0x1), τi = HMAC(τ0, τ(i-1) || i). Each output is 32 bytes.
/// </summary>
public static class Hkdf
{
    /// <summary>KDF1: one 32-byte output.</summary>
    public static void Kdf1(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1) => Derive(key, input, t1, default, default);

    /// <summary>KDF2: two 32-byte outputs.</summary>
    public static void Kdf2(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2) => Derive(key, input, t1, t2, default);

    /// <summary>KDF3: three 32-byte outputs.</summary>
    public static void Kdf3(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2, Span<byte> t3) =>
        Derive(key, input, t1, t2, t3);

    private static void Derive(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> t1, Span<byte> t2, Span<byte> t3)
    {
        Span<byte> t0 = stackalloc byte[32];
        Span<byte> prev = stackalloc byte[33];
        try
        {
            Blake2s.Hmac(key, input, t0);
            prev[0] = 1;
            Blake2s.Hmac(t0, prev[..1], prev[..32]);
            prev[..32].CopyTo(t1);
            if (t2.IsEmpty)
            {
                return;
            }
            prev[32] = 2;
            Blake2s.Hmac(t0, prev, t2);
            if (t3.IsEmpty)
            {
                return;
            }
            t2.CopyTo(prev);
            prev[32] = 3;
            Blake2s.Hmac(t0, prev, t3);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(t0);
            CryptographicOperations.ZeroMemory(prev);
        }
    }
}

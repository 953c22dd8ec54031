using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SharpTun.Crypto.Interop;

namespace SharpTun.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (IETF, 96-bit nonce) with WireGuard's nonce over libsodium's detached AEAD
/// functions. The key lives in native memory (zeroed on dispose); libsodium keeps no per-call state,
/// so Seal and TryOpen may run on any number of threads at once. A forged message costs one
/// Poly1305 pass and returns false: libsodium verifies before it decrypts and writes nothing.
/// Only the AEAD measurement uses it (the test project references the NuGet <c>libsodium</c>
/// package; the library is loaded on first call, so the product never needs it).
/// </summary>
internal sealed unsafe class SodiumChaChaPoly : IDisposable
{
    private static readonly bool s_initialized = Initialize();
    private byte* _key;

    internal SodiumChaChaPoly(ReadOnlySpan<byte> key)
    {
        if (key.Length != ChaChaPoly.KeySize)
        {
            throw new ArgumentException($"ChaCha20-Poly1305 key must be {ChaChaPoly.KeySize} bytes, got {key.Length}", nameof(key));
        }
        _ = s_initialized;
        _key = (byte*)NativeMemory.AlignedAlloc(ChaChaPoly.KeySize, 64);
        key.CopyTo(new Span<byte>(_key, ChaChaPoly.KeySize));
    }

    internal void Seal(ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        if (destination.Length < plaintext.Length + ChaChaPoly.TagSize)
        {
            throw new ArgumentException("destination is shorter than plaintext + 16", nameof(destination));
        }
        var nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        fixed (byte* p = plaintext, a = associatedData, d = destination)
        {
            LibSodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(d, d + plaintext.Length, null, p, (ulong)plaintext.Length,
                a, (ulong)associatedData.Length, null, nonce, Key);
        }
    }

    internal bool TryOpen(ulong counter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        if (source.Length < ChaChaPoly.TagSize || plaintext.Length < source.Length - ChaChaPoly.TagSize)
        {
            return false;
        }
        var length = source.Length - ChaChaPoly.TagSize;
        var nonce = stackalloc byte[12];
        Nonce(counter, nonce);
        fixed (byte* s = source, a = associatedData, p = plaintext)
        {
            return LibSodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(p, null, s, (ulong)length, s + length,
                a, (ulong)associatedData.Length, nonce, Key) == 0;
        }
    }

    private byte* Key => _key != null ? _key : throw new ObjectDisposedException(nameof(SodiumChaChaPoly));

    public void Dispose()
    {
        var k = _key;
        if (k != null)
        {
            _key = null;
            new Span<byte>(k, ChaChaPoly.KeySize).Clear();
            NativeMemory.AlignedFree(k);
        }
    }

    private static void Nonce(ulong counter, byte* nonce)
    {
        *(uint*)nonce = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(nonce + 4, 8), counter);
    }

    private static bool Initialize() =>
        LibSodium.sodium_init() >= 0 ? true : throw new System.Security.Cryptography.CryptographicException("libsodium failed to initialise (sodium_init)");
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpTun.Crypto;

/// <summary>
/// ChaCha20-Poly1305 (RFC 8439) with WireGuard's nonce: 32 zero bits followed by the 64-bit
/// little-endian counter, over OpenSSL's EVP interface. A wrong tag is a <c>false</c>, never an
/// exception; no call allocates managed memory.
/// <para>Thread safety: any number of threads may call Seal, <see cref="TrySeal"/> and TryOpen on
/// one instance at once. The first caller in uses the instance's own context (key set once); a
/// concurrent one uses its thread's context and sets the key per call (about 15% more CPU).
/// <see cref="Dispose"/> may race with them: it waits until the calls in flight finish, then zeroes
/// the key; later calls fail (TrySeal/TryOpen return false, Seal throws <see cref="ObjectDisposedException"/>).</para>
/// </summary>
public sealed unsafe class ChaChaPoly : IDisposable
{
    /// <summary>Key size in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Authentication tag size in bytes.</summary>
    public const int TagSize = 16;

    private const int Disposed = int.MinValue;

    private readonly byte* _key;
    private readonly nint _ctx;
    private int _users;     // calls in flight; Disposed added once disposing
    private int _ctxBusy;   // 1 while a call uses _ctx

    /// <summary>Creates an AEAD for a 32-byte key (copied into native memory, zeroed on dispose).</summary>
    public ChaChaPoly(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        _key = (byte*)NativeMemory.AlignedAlloc(KeySize, 64);
        key.CopyTo(new Span<byte>(_key, KeySize));
        _ctx = EvpChaChaPoly.NewContext(_key);
    }

    /// <summary>Which implementation runs underneath (for logs and measurements).</summary>
    public static string Backend => "OpenSSL EVP";

    /// <summary>Forces the per-thread context path (tests measure and check it).</summary>
    internal bool AlwaysThreadContext { get; set; }

    /// <summary>Encrypts into <paramref name="destination"/> (plaintext length + 16: ciphertext then tag).</summary>
    public void Seal(ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        if (!TrySeal(counter, plaintext, associatedData, destination))
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _users) < 0, this);
            throw new ArgumentException("destination must hold plaintext + 16 bytes", nameof(destination));
        }
    }

    /// <summary>Like Seal, but false instead of an exception (disposed, or destination too short).</summary>
    public bool TrySeal(ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        var nonce = stackalloc byte[EvpChaChaPoly.NonceSize];
        Nonce(counter, nonce);
        if (!Enter())
        {
            return false;
        }
        try
        {
            if (!AlwaysThreadContext && Interlocked.CompareExchange(ref _ctxBusy, 1, 0) == 0)
            {
                try
                {
                    return EvpChaChaPoly.Seal(_ctx, null, nonce, plaintext, associatedData, destination);
                }
                finally
                {
                    Volatile.Write(ref _ctxBusy, 0);
                }
            }
            return EvpChaChaPoly.Seal(EvpChaChaPoly.ThreadContext, _key, nonce, plaintext, associatedData, destination);
        }
        finally
        {
            Interlocked.Decrement(ref _users);
        }
    }

    /// <summary>Decrypts and authenticates <paramref name="source"/> (ciphertext then tag); false when the tag is wrong (plaintext cleared) or after dispose.</summary>
    public bool TryOpen(ulong counter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        var nonce = stackalloc byte[EvpChaChaPoly.NonceSize];
        Nonce(counter, nonce);
        if (!Enter())
        {
            return false;
        }
        try
        {
            if (!AlwaysThreadContext && Interlocked.CompareExchange(ref _ctxBusy, 1, 0) == 0)
            {
                try
                {
                    return EvpChaChaPoly.Open(_ctx, null, nonce, source, associatedData, plaintext);
                }
                finally
                {
                    Volatile.Write(ref _ctxBusy, 0);
                }
            }
            return EvpChaChaPoly.Open(EvpChaChaPoly.ThreadContext, _key, nonce, source, associatedData, plaintext);
        }
        finally
        {
            Interlocked.Decrement(ref _users);
        }
    }

    /// <summary>One-shot seal with a throwaway key (handshake messages); no allocation.</summary>
    public static void Seal(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData, Span<byte> destination)
    {
        CheckKey(key);
        var nonce = stackalloc byte[EvpChaChaPoly.NonceSize];
        Nonce(counter, nonce);
        fixed (byte* k = key)
        {
            if (!EvpChaChaPoly.Seal(EvpChaChaPoly.ThreadContext, k, nonce, plaintext, associatedData, destination))
            {
                throw new ArgumentException("destination must hold plaintext + 16 bytes", nameof(destination));
            }
        }
    }

    /// <summary>One-shot open with a throwaway key (handshake messages); no allocation, false for a wrong tag.</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, ulong counter, ReadOnlySpan<byte> source, ReadOnlySpan<byte> associatedData, Span<byte> plaintext)
    {
        CheckKey(key);
        var nonce = stackalloc byte[EvpChaChaPoly.NonceSize];
        Nonce(counter, nonce);
        fixed (byte* k = key)
        {
            return EvpChaChaPoly.Open(EvpChaChaPoly.ThreadContext, k, nonce, source, associatedData, plaintext);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Mark disposing with one compare-and-swap. (Adding int.MinValue a second time and undoing it, as
        // before, left _users at 0 for a moment: a call racing a second Dispose got in and used the freed
        // context — the test host crash of ChaChaPolyConcurrencyTests.Dispose_WhileOtherThreadsSeal.)
        var users = Volatile.Read(ref _users);
        while (true)
        {
            if (users < 0)
            {
                return; // already disposed, or being disposed by another thread
            }
            var seen = Interlocked.CompareExchange(ref _users, users + Disposed, users);
            if (seen == users)
            {
                break;
            }
            users = seen;
        }
        var spin = default(SpinWait);
        while (Volatile.Read(ref _users) != Disposed)
        {
            spin.SpinOnce();
        }
        CryptographicOperations.ZeroMemory(new Span<byte>(_key, KeySize));
        Interop.LibCrypto.EVP_CIPHER_CTX_free(_ctx);
        NativeMemory.AlignedFree(_key);
    }

    private bool Enter()
    {
        if (Interlocked.Increment(ref _users) > 0)
        {
            return true;
        }
        Interlocked.Decrement(ref _users);
        return false;
    }

    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"ChaCha20-Poly1305 key must be {KeySize} bytes, got {key.Length}", nameof(key));
        }
    }

    private static void Nonce(ulong counter, byte* nonce)
    {
        *(uint*)nonce = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(new Span<byte>(nonce + 4, 8), counter);
    }
}

using System.Runtime.InteropServices;
using SharpTun.Crypto.Interop;

namespace SharpTun.Crypto;

/// <summary>
/// An X25519 private key imported into OpenSSL once, for a key that takes part in many agreements (an
/// interface's static key: every received initiation costs one agreement with it). Importing a private key
/// computes its public half, a scalar multiplication as costly as the agreement itself, so
/// <see cref="X25519.TrySharedSecret"/> on raw bytes costs two; <see cref="TrySharedSecret"/> here costs one.
/// Thread-safe: any number of threads may agree at once; <see cref="Dispose"/> frees the key (OpenSSL
/// clears it) once the last agreement in flight is done.
/// </summary>
public sealed unsafe class X25519PrivateKey : IDisposable
{
    private readonly KeyHandle _key;

    /// <summary>Imports a 32-byte private key (clamped by the agreement, as RFC 7748 §5 says).</summary>
    public X25519PrivateKey(ReadOnlySpan<byte> privateKey)
    {
        _key = new KeyHandle(X25519.NewPrivate(privateKey));
    }

    /// <summary>Writes the 32-byte public key.</summary>
    public void GetPublicKey(Span<byte> publicKey)
    {
        X25519.CheckSize(publicKey.Length, nameof(publicKey));
        var added = false;
        try
        {
            _key.DangerousAddRef(ref added);
            nuint len = X25519.KeySize;
            fixed (byte* p = publicKey)
            {
                if (LibCrypto.EVP_PKEY_get_raw_public_key(_key.DangerousGetHandle(), p, &len) != 1 || len != X25519.KeySize)
                {
                    throw OpenSslError.Create("X25519 public key derivation");
                }
            }
        }
        finally
        {
            if (added)
            {
                _key.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Computes the shared secret with <paramref name="publicKey"/>. Returns false when the result is all
    /// zeros (a low-order public key), which WireGuard treats as a failed handshake.
    /// </summary>
    public bool TrySharedSecret(ReadOnlySpan<byte> publicKey, Span<byte> sharedSecret)
    {
        X25519.CheckSize(publicKey.Length, nameof(publicKey));
        X25519.CheckSize(sharedSecret.Length, nameof(sharedSecret));
        var added = false;
        try
        {
            _key.DangerousAddRef(ref added);
            return X25519.Derive(_key.DangerousGetHandle(), publicKey, sharedSecret);
        }
        finally
        {
            if (added)
            {
                _key.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    private sealed class KeyHandle : SafeHandle
    {
        internal KeyHandle(nint pkey)
            : base(0, ownsHandle: true)
        {
            SetHandle(pkey);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle()
        {
            LibCrypto.EVP_PKEY_free(handle);
            return true;
        }
    }
}

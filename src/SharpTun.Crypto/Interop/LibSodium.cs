using System.Runtime.InteropServices;

namespace SharpTun.Crypto.Interop;

/// <summary>
/// The libsodium entry points SharpTun uses (the NuGet <c>libsodium</c> package ships the library).
/// The AEAD functions take the key per call and keep no state, so any number of threads may call
/// them at once. Return convention: 0 = success, -1 = failure (for decrypt: the tag did not verify;
/// nothing was decrypted — libsodium checks the tag before it decrypts).
/// </summary>
internal static unsafe partial class LibSodium
{
    internal const string Name = "libsodium";

    [LibraryImport(Name)]
    internal static partial int sodium_init();

    [LibraryImport(Name)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_encrypt_detached(byte* c, byte* mac, ulong* macLength,
        byte* m, ulong mLength, byte* ad, ulong adLength, byte* nsec, byte* npub, byte* k);

    [LibraryImport(Name)]
    internal static partial int crypto_aead_chacha20poly1305_ietf_decrypt_detached(byte* m, byte* nsec, byte* c, ulong cLength,
        byte* mac, byte* ad, ulong adLength, byte* npub, byte* k);
}

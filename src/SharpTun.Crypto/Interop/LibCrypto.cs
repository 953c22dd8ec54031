using System.Runtime.InteropServices;

namespace SharpTun.Crypto.Interop;

/// <summary>
/// The OpenSSL 3 libcrypto entry points SharpTun uses (X25519, BLAKE2s digest, BLAKE2s MAC, HMAC).
/// Return conventions are OpenSSL's: 1 = success, 0/negative = failure, pointers NULL on failure.
/// Nothing outside this assembly knows OpenSSL is behind the crypto.
/// </summary>
internal static unsafe partial class LibCrypto
{
    internal const string Name = "libcrypto.so.3";

    /// <summary>NID_X25519 / EVP_PKEY_X25519.</summary>
    internal const int EvpPkeyX25519 = 1034;

    [LibraryImport(Name)]
    internal static partial nint EVP_PKEY_new_raw_private_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(Name)]
    internal static partial nint EVP_PKEY_new_raw_public_key(int type, nint engine, byte* key, nuint keyLength);

    [LibraryImport(Name)]
    internal static partial int EVP_PKEY_get_raw_public_key(nint pkey, byte* pub, nuint* length);

    [LibraryImport(Name)]
    internal static partial void EVP_PKEY_free(nint pkey);

    [LibraryImport(Name)]
    internal static partial nint EVP_PKEY_CTX_new(nint pkey, nint engine);

    [LibraryImport(Name)]
    internal static partial void EVP_PKEY_CTX_free(nint ctx);

    [LibraryImport(Name)]
    internal static partial int EVP_PKEY_derive_init(nint ctx);

    [LibraryImport(Name)]
    internal static partial int EVP_PKEY_derive_set_peer(nint ctx, nint peer);

    [LibraryImport(Name)]
    internal static partial int EVP_PKEY_derive(nint ctx, byte* key, nuint* keyLength);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_MD_fetch(nint libctx, string algorithm, string? properties);

    [LibraryImport(Name)]
    internal static partial nint EVP_MD_CTX_new();

    [LibraryImport(Name)]
    internal static partial void EVP_MD_CTX_free(nint ctx);

    [LibraryImport(Name)]
    internal static partial int EVP_DigestInit_ex(nint ctx, nint md, nint engine);

    [LibraryImport(Name)]
    internal static partial int EVP_DigestUpdate(nint ctx, byte* data, nuint length);

    [LibraryImport(Name)]
    internal static partial int EVP_DigestFinal_ex(nint ctx, byte* md, uint* length);

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_MAC_fetch(nint libctx, string algorithm, string? properties);

    [LibraryImport(Name)]
    internal static partial nint EVP_MAC_CTX_new(nint mac);

    [LibraryImport(Name)]
    internal static partial void EVP_MAC_CTX_free(nint ctx);

    [LibraryImport(Name)]
    internal static partial int EVP_MAC_init(nint ctx, byte* key, nuint keyLength, OsslParam* parameters);

    [LibraryImport(Name)]
    internal static partial int EVP_MAC_update(nint ctx, byte* data, nuint length);

    [LibraryImport(Name)]
    internal static partial int EVP_MAC_final(nint ctx, byte* output, nuint* outputLength, nuint outputSize);

    [LibraryImport(Name)]
    internal static partial ulong ERR_get_error();

    [LibraryImport(Name)]
    internal static partial void ERR_clear_error();

    [LibraryImport(Name)]
    internal static partial void ERR_error_string_n(ulong error, byte* buffer, nuint length);
}

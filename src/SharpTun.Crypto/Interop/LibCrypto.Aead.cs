using System.Runtime.InteropServices;

namespace SharpTun.Crypto.Interop;

/// <summary>The EVP cipher entry points for ChaCha20-Poly1305 (OpenSSL 3): status returns, no exceptions.</summary>
internal static unsafe partial class LibCrypto
{
    /// <summary>EVP_CTRL_AEAD_GET_TAG.</summary>
    internal const int EvpCtrlAeadGetTag = 0x10;

    /// <summary>EVP_CTRL_AEAD_SET_TAG.</summary>
    internal const int EvpCtrlAeadSetTag = 0x11;

    [LibraryImport(Name, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint EVP_CIPHER_fetch(nint libctx, string algorithm, string? properties);

    [LibraryImport(Name)]
    internal static partial nint EVP_CIPHER_CTX_new();

    [LibraryImport(Name)]
    internal static partial void EVP_CIPHER_CTX_free(nint ctx);

    [LibraryImport(Name)]
    internal static partial int EVP_CipherInit_ex2(nint ctx, nint cipher, byte* key, byte* iv, int enc, nint parameters);

    [LibraryImport(Name)]
    internal static partial int EVP_CipherUpdate(nint ctx, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Name)]
    internal static partial int EVP_CipherFinal_ex(nint ctx, byte* output, int* outputLength);

    [LibraryImport(Name)]
    internal static partial int EVP_CIPHER_CTX_ctrl(nint ctx, int type, int arg, void* ptr);
}

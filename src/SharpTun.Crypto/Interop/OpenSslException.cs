using System.Security.Cryptography;
using System.Text;

namespace SharpTun.Crypto.Interop;

/// <summary>Builds a <see cref="CryptographicException"/> that names the failed operation and OpenSSL's reason.</summary>
internal static unsafe class OpenSslError
{
    internal static CryptographicException Create(string operation)
    {
        var code = LibCrypto.ERR_get_error();
        LibCrypto.ERR_clear_error();
        if (code == 0)
        {
            return new CryptographicException($"{operation} failed in libcrypto");
        }
        var buffer = stackalloc byte[256];
        LibCrypto.ERR_error_string_n(code, buffer, 256);
        var text = Encoding.UTF8.GetString(new ReadOnlySpan<byte>(buffer, 256)).TrimEnd('\0');
        return new CryptographicException($"{operation} failed in libcrypto: {text}");
    }
}

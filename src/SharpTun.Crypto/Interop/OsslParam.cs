using System.Runtime.InteropServices;

namespace SharpTun.Crypto.Interop;

/// <summary>OpenSSL 3 <c>OSSL_PARAM</c>: { const char *key; unsigned int data_type; void *data; size_t data_size; size_t return_size; }.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct OsslParam
{
    internal const uint UnsignedInteger = 2;
    internal const uint Utf8String = 4;

    internal byte* Key;
    internal uint DataType;
    internal void* Data;
    internal nuint DataSize;
    internal nuint ReturnSize;
}

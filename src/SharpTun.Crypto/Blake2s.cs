using SharpTun.Crypto.Interop;

namespace SharpTun.Crypto;

/// <summary>
/// BLAKE2s (RFC 7693) as WireGuard uses it: HASH = unkeyed BLAKE2s-256, MAC = keyed BLAKE2s-128,
/// HMAC = HMAC-BLAKE2s-256 (RFC 2104 over BLAKE2s, 64-byte block). Fetched algorithm objects are
/// cached process-wide and each thread keeps one native context per function, re-initialised per call (a
/// fresh context per call cost about as much as the hashing itself: a mac1 check is on the path of every
/// handshake message a flood sends); no call allocates managed memory.
/// </summary>
public static unsafe class Blake2s
{
    /// <summary>HASH output size in bytes.</summary>
    public const int HashSize = 32;

    /// <summary>MAC output size in bytes (keyed BLAKE2s-128).</summary>
    public const int MacSize = 16;

    private static readonly nint s_md = Fetch(LibCrypto.EVP_MD_fetch(0, "BLAKE2S-256", null), "BLAKE2S-256 digest");
    private static readonly nint s_mac = Fetch(LibCrypto.EVP_MAC_fetch(0, "BLAKE2SMAC", null), "BLAKE2SMAC");
    private static readonly nint s_hmac = Fetch(LibCrypto.EVP_MAC_fetch(0, "HMAC", null), "HMAC");

    // This thread's contexts (made on first use; they live as long as the thread, as EvpChaChaPoly's do).
    [ThreadStatic]
    private static nint t_md;
    [ThreadStatic]
    private static nint t_mac;
    [ThreadStatic]
    private static nint t_hmac;

    /// <summary>HASH(a || b || c) into a 32-byte output; unused parts may be empty.</summary>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, Span<byte> output)
    {
        CheckOutput(output.Length, HashSize);
        var ctx = t_md;
        if (ctx == 0)
        {
            ctx = t_md = LibCrypto.EVP_MD_CTX_new();
        }
        if (ctx == 0 || LibCrypto.EVP_DigestInit_ex(ctx, s_md, 0) != 1)
        {
            throw OpenSslError.Create("BLAKE2s-256 init");
        }
        DigestUpdate(ctx, a);
        DigestUpdate(ctx, b);
        DigestUpdate(ctx, c);
        uint len = HashSize;
        fixed (byte* o = output)
        {
            if (LibCrypto.EVP_DigestFinal_ex(ctx, o, &len) != 1 || len != HashSize)
            {
                throw OpenSslError.Create("BLAKE2s-256 final");
            }
        }
    }

    /// <summary>HASH(a || b) into a 32-byte output.</summary>
    public static void Hash(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output) => Hash(a, b, default, output);

    /// <summary>HASH(data) into a 32-byte output.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output) => Hash(data, default, default, output);

    /// <summary>MAC(key, data): keyed BLAKE2s with a 16-byte output (WireGuard's MAC; 32 also allowed); key is 1..32 bytes.</summary>
    public static void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (output.Length != MacSize && output.Length != HashSize)
        {
            CheckOutput(output.Length, MacSize);
        }
        if (key.IsEmpty || key.Length > 32)
        {
            throw new ArgumentException($"BLAKE2s MAC key must be 1..32 bytes, got {key.Length}", nameof(key));
        }
        nuint size = (nuint)output.Length;
        var name = stackalloc byte[] { (byte)'s', (byte)'i', (byte)'z', (byte)'e', 0 };
        var parameters = stackalloc OsslParam[2];
        parameters[0] = new OsslParam { Key = name, DataType = OsslParam.UnsignedInteger, Data = &size, DataSize = (nuint)sizeof(nuint) };
        parameters[1] = default;
        MacOnce(ref t_mac, s_mac, key, parameters, data, default, output, "BLAKE2s MAC");
    }

    /// <summary>HMAC-BLAKE2s(key, a || b) into a 32-byte output.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        CheckOutput(output.Length, HashSize);
        var name = stackalloc byte[] { (byte)'d', (byte)'i', (byte)'g', (byte)'e', (byte)'s', (byte)'t', 0 };
        var digest = stackalloc byte[] { (byte)'B', (byte)'L', (byte)'A', (byte)'K', (byte)'E', (byte)'2', (byte)'S', (byte)'-', (byte)'2', (byte)'5', (byte)'6', 0 };
        var parameters = stackalloc OsslParam[2];
        parameters[0] = new OsslParam { Key = name, DataType = OsslParam.Utf8String, Data = digest, DataSize = 11 };
        parameters[1] = default;
        MacOnce(ref t_hmac, s_hmac, key, parameters, a, b, output, "HMAC-BLAKE2s");
    }

    /// <summary>HMAC-BLAKE2s(key, data) into a 32-byte output.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output) => Hmac(key, data, default, output);

    /// <summary>One MAC on this thread's context <paramref name="slot"/> of <paramref name="mac"/> (made on first use), keyed afresh.</summary>
    private static void MacOnce(ref nint slot, nint mac, ReadOnlySpan<byte> key, OsslParam* parameters, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b,
        Span<byte> output, string what)
    {
        var ctx = slot;
        if (ctx == 0)
        {
            ctx = slot = LibCrypto.EVP_MAC_CTX_new(mac);
        }
        // A non-NULL pointer even for an empty key: OpenSSL treats NULL as "keep the old key".
        byte dummy = 0;
        fixed (byte* k = key)
        {
            if (ctx == 0 || LibCrypto.EVP_MAC_init(ctx, k == null ? &dummy : k, (nuint)key.Length, parameters) != 1)
            {
                throw OpenSslError.Create(what + " init");
            }
        }
        MacUpdate(ctx, a, what);
        MacUpdate(ctx, b, what);
        nuint len = 0;
        fixed (byte* o = output)
        {
            if (LibCrypto.EVP_MAC_final(ctx, o, &len, (nuint)output.Length) != 1 || len != (nuint)output.Length)
            {
                throw OpenSslError.Create(what + " final");
            }
        }
    }

    private static void DigestUpdate(nint ctx, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }
        fixed (byte* d = data)
        {
            if (LibCrypto.EVP_DigestUpdate(ctx, d, (nuint)data.Length) != 1)
            {
                throw OpenSslError.Create("BLAKE2s-256 update");
            }
        }
    }

    private static void MacUpdate(nint ctx, ReadOnlySpan<byte> data, string what)
    {
        if (data.IsEmpty)
        {
            return;
        }
        fixed (byte* d = data)
        {
            if (LibCrypto.EVP_MAC_update(ctx, d, (nuint)data.Length) != 1)
            {
                throw OpenSslError.Create(what + " update");
            }
        }
    }

    private static nint Fetch(nint handle, string what) =>
        handle != 0 ? handle : throw OpenSslError.Create($"fetching {what} (needs OpenSSL 3)");

    private static void CheckOutput(int length, int expected)
    {
        if (length != expected)
        {
            throw new ArgumentException($"output must be {expected} bytes, got {length}", "output");
        }
    }
}

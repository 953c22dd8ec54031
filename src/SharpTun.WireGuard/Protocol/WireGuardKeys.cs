using System.Security.Cryptography;
using SharpTun.Crypto;

namespace SharpTun.WireGuard;

/// <summary>
/// WireGuard keys as <c>wg</c> writes them: 32 bytes in standard base64 with padding (44 characters).
/// <c>wg genkey</c> = clamped random private key, <c>wg pubkey</c> = X25519 base point multiple,
/// <c>wg genpsk</c> = 32 random bytes.
/// </summary>
public static class WireGuardKeys
{
    /// <summary>Key length in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>A new private key, clamped exactly like <c>wg genkey</c>.</summary>
    public static byte[] GeneratePrivateKey()
    {
        var key = new byte[KeySize];
        X25519.GeneratePrivateKey(key);
        return key;
    }

    /// <summary>A new random preshared key (<c>wg genpsk</c>).</summary>
    public static byte[] GeneratePresharedKey() => RandomNumberGenerator.GetBytes(KeySize);

    /// <summary>The public key of a private key (<c>wg pubkey</c>).</summary>
    public static byte[] PublicKey(ReadOnlySpan<byte> privateKey)
    {
        var pub = new byte[KeySize];
        X25519.DerivePublicKey(privateKey, pub);
        return pub;
    }

    /// <summary>Standard base64 with padding, as <c>wg</c> prints keys.</summary>
    public static string ToBase64(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"a WireGuard key is {KeySize} bytes, got {key.Length}", nameof(key));
        }
        return Convert.ToBase64String(key);
    }

    /// <summary>
    /// Parses a base64 key (surrounding whitespace ignored). Throws <see cref="FormatException"/> naming
    /// the problem; see <see cref="TryParse"/> for what is accepted.
    /// </summary>
    public static byte[] Parse(string text, string what = "key")
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.Trim(), out var key, out var problem) ? key : throw new FormatException($"invalid {what}: {problem}");
    }

    /// <summary>
    /// Parses a key exactly as <c>wg</c> does (wireguard-tools <c>key_from_base64</c>): 44 characters,
    /// 43 of the base64 alphabet then one <c>=</c>, and the unused low bits of the last character zero
    /// (the canonical encoding). Nothing else: no whitespace, no trailing characters, no URL-safe
    /// alphabet. <paramref name="problem"/> says in words what is wrong.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out byte[] key, out string problem)
    {
        key = [];
        problem = "";
        if (text.IsEmpty)
        {
            problem = "empty input (expected 44 base64 characters)";
            return false;
        }
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (text.IndexOfAnyExcept(s_base64Alphabet) >= 0 || !Convert.TryFromBase64Chars(text, buffer, out var written))
        {
            problem = $"not valid base64 ('{Shorten(text.ToString())}')";
            return false;
        }
        if (written != KeySize)
        {
            problem = $"wrong length {written} bytes (a WireGuard key is {KeySize} bytes, 44 base64 characters)";
            return false;
        }
        if (text.Length != 44 || text[43] != '=' || text[42] == '=')
        {
            problem = $"'{Shorten(text.ToString())}' is not 44 base64 characters ending in one '='";
            return false;
        }
        key = buffer[..KeySize];
        if (!Convert.ToBase64String(key).AsSpan().SequenceEqual(text))
        {
            key = [];
            problem = $"'{text}' is not the canonical encoding of a key (the last character before '=' has stray low bits)";
            return false;
        }
        return true;
    }

    private static readonly System.Buffers.SearchValues<char> s_base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static string Shorten(string s) => s.Length <= 48 ? s : s[..45] + "...";
}

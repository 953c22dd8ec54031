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
    /// the problem: not base64, or the wrong decoded length.
    /// </summary>
    public static byte[] Parse(string text, string what = "key")
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException($"invalid {what}: empty input (expected 44 base64 characters)");
        }
        var buffer = new byte[(trimmed.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var written))
        {
            throw new FormatException($"invalid {what}: not valid base64 ('{Shorten(trimmed)}')");
        }
        if (written != KeySize)
        {
            throw new FormatException($"invalid {what}: wrong length {written} bytes (a WireGuard key is {KeySize} bytes, 44 base64 characters)");
        }
        if (trimmed.Length != 44)
        {
            throw new FormatException($"invalid {what}: expected 44 base64 characters, got {trimmed.Length}");
        }
        return buffer[..KeySize];
    }

    private static string Shorten(string s) => s.Length <= 48 ? s : s[..45] + "...";
}

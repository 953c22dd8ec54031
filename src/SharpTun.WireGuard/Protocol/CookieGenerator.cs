using System.Security.Cryptography;
using SharpTun.Crypto;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

/// <summary>
/// The sending side of the cookie mechanism for one peer: adds mac1 (keyed by the peer's public key)
/// and, while a cookie from the peer is fresh, mac2; decrypts cookie replies, whose associated data
/// is the mac1 we last sent.
/// </summary>
internal sealed class CookieGenerator
{
    private readonly byte[] _mac1Key = new byte[32];
    private readonly byte[] _cookieKey = new byte[32];
    private readonly byte[] _cookie = new byte[MacSize];
    private readonly byte[] _lastMac1 = new byte[MacSize];
    private readonly Func<long> _now;
    private long _cookieSet = long.MinValue;
    private bool _hasLastMac1;

    internal CookieGenerator(ReadOnlySpan<byte> remoteStatic, Func<long> now)
    {
        Span<byte> unused = stackalloc byte[32];
        LocalIdentity.DeriveForPublicKey(remoteStatic, unused, _mac1Key, _cookieKey);
        _now = now;
    }

    internal bool HasFreshCookie => _cookieSet != long.MinValue && _now() - _cookieSet < WireGuardConstants.CookieRefreshTime.Ticks;

    /// <summary>Writes mac1 and mac2 (zeros without a fresh cookie) into the last 32 bytes of <paramref name="msg"/>.</summary>
    internal void AddMacs(Span<byte> msg)
    {
        var at1 = Mac1Offset(msg.Length);
        var at2 = Mac2Offset(msg.Length);
        Blake2s.Mac(_mac1Key, msg[..at1], msg.Slice(at1, MacSize));
        msg.Slice(at1, MacSize).CopyTo(_lastMac1);
        _hasLastMac1 = true;
        if (HasFreshCookie)
        {
            Blake2s.Mac(_cookie, msg[..at2], msg.Slice(at2, MacSize));
        }
        else
        {
            msg.Slice(at2, MacSize).Clear();
        }
    }

    /// <summary>Decrypts and stores the cookie of a 64-byte cookie reply; false when it does not authenticate.</summary>
    internal bool ConsumeReply(ReadOnlySpan<byte> reply)
    {
        if (!_hasLastMac1)
        {
            return false;
        }
        Span<byte> cookie = stackalloc byte[MacSize];
        if (!XChaCha20Poly1305.TryOpen(_cookieKey, reply.Slice(CookieNonce, XChaCha20Poly1305.NonceSize), reply.Slice(CookieEncrypted, 32),
            _lastMac1, cookie))
        {
            return false;
        }
        cookie.CopyTo(_cookie);
        CryptographicOperations.ZeroMemory(cookie);
        _cookieSet = _now();
        return true;
    }
}

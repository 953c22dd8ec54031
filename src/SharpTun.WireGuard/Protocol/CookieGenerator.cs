using System.Security.Cryptography;
using SharpTun.Crypto;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

/// <summary>
/// The sending side of the cookie mechanism for one peer: adds mac1 (keyed by the peer's public key)
/// and, while a cookie from the peer is fresh, mac2; decrypts cookie replies, whose associated data
/// is the mac1 we last sent. Its keys and buffers (96 bytes in one array) are made on first use, not per idle
/// peer (issue 20); used under the peer's lock only.
/// </summary>
internal sealed class CookieGenerator
{
    private const int KeysSize = 32 + 32 + MacSize + MacSize;
    private readonly byte[] _remoteStatic;
    private readonly Func<long> _now;
    // mac1 key ‖ cookie key ‖ cookie ‖ last mac1; null until the first handshake message to or from the peer.
    private byte[]? _keys;
    private long _cookieSet = long.MinValue;
    private bool _hasLastMac1;

    /// <param name="remoteStatic">The peer's public key (the array is kept, not copied: the handshake's own).</param>
    /// <param name="now">The clock.</param>
    internal CookieGenerator(byte[] remoteStatic, Func<long> now)
    {
        _remoteStatic = remoteStatic;
        _now = now;
    }

    private Span<byte> Mac1Key => Keys.AsSpan(0, 32);

    private Span<byte> CookieKey => Keys.AsSpan(32, 32);

    private Span<byte> Cookie => Keys.AsSpan(64, MacSize);

    private Span<byte> LastMac1 => Keys.AsSpan(64 + MacSize, MacSize);

    private byte[] Keys
    {
        get
        {
            if (_keys is null)
            {
                var keys = new byte[KeysSize];
                Span<byte> unused = stackalloc byte[32];
                LocalIdentity.DeriveForPublicKey(_remoteStatic, unused, keys.AsSpan(0, 32), keys.AsSpan(32, 32));
                _keys = keys;
            }
            return _keys;
        }
    }

    internal bool HasFreshCookie => _cookieSet != long.MinValue && _now() - _cookieSet < WireGuardConstants.CookieRefreshTime.Ticks;

    /// <summary>Writes mac1 and mac2 (zeros without a fresh cookie) into the last 32 bytes of <paramref name="msg"/>.</summary>
    internal void AddMacs(Span<byte> msg)
    {
        var at1 = Mac1Offset(msg.Length);
        var at2 = Mac2Offset(msg.Length);
        Blake2s.Mac(Mac1Key, msg[..at1], msg.Slice(at1, MacSize));
        msg.Slice(at1, MacSize).CopyTo(LastMac1);
        _hasLastMac1 = true;
        if (HasFreshCookie)
        {
            Blake2s.Mac(Cookie, msg[..at2], msg.Slice(at2, MacSize));
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
        if (!XChaCha20Poly1305.TryOpen(CookieKey, reply.Slice(CookieNonce, XChaCha20Poly1305.NonceSize), reply.Slice(CookieEncrypted, 32),
            LastMac1, cookie))
        {
            return false;
        }
        cookie.CopyTo(Cookie);
        CryptographicOperations.ZeroMemory(cookie);
        _cookieSet = _now();
        return true;
    }
}

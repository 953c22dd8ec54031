using System.Security.Cryptography;
using SharpTun.Crypto;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

/// <summary>
/// The receiving side of the cookie mechanism (paper §5.4.7): checks mac1 (keyed by our public key)
/// and mac2 (keyed by the cookie of the sender's address), and builds cookie replies. The secret
/// R_m is random and replaced every <see cref="WireGuardConstants.CookieRefreshTime"/>.
/// </summary>
internal sealed class CookieChecker
{
    private readonly LocalIdentity _local;
    private readonly IRandomSource _random;
    private readonly Func<long> _now;
    private readonly byte[] _secret = new byte[32];
    private long _secretSet = long.MinValue;
    private readonly Lock _lock = new(); // the secret and its age (mac2 checks and cookie replies, under load only)

    internal CookieChecker(LocalIdentity local, IRandomSource random, Func<long> now)
    {
        _local = local;
        _random = random;
        _now = now;
    }

    /// <summary>True when mac1 of the message is MAC(HASH("mac1----" || our public key), msg[..mac1]).</summary>
    internal bool CheckMac1(ReadOnlySpan<byte> msg)
    {
        var at = Mac1Offset(msg.Length);
        Span<byte> mac = stackalloc byte[MacSize];
        Blake2s.Mac(_local.Mac1Key, msg[..at], mac);
        return CryptographicOperations.FixedTimeEquals(mac, msg.Slice(at, MacSize));
    }

    /// <summary>True when mac2 = MAC(cookie(source), msg[..mac2]) with the current, unexpired secret.</summary>
    internal bool CheckMac2(ReadOnlySpan<byte> msg, in NetEndpoint source)
    {
        lock (_lock)
        {
            return CheckMac2Locked(msg, source);
        }
    }

    private bool CheckMac2Locked(ReadOnlySpan<byte> msg, in NetEndpoint source)
    {
        if (_secretSet == long.MinValue || _now() - _secretSet > WireGuardConstants.CookieRefreshTime.Ticks)
        {
            return false;
        }
        Span<byte> cookie = stackalloc byte[MacSize];
        Span<byte> mac = stackalloc byte[MacSize];
        MakeCookie(source, cookie);
        var at = Mac2Offset(msg.Length);
        Blake2s.Mac(cookie, msg[..at], mac);
        return CryptographicOperations.FixedTimeEquals(mac, msg.Slice(at, MacSize));
    }

    /// <summary>Writes a 64-byte cookie reply to a handshake message <paramref name="msg"/> from <paramref name="source"/>.</summary>
    internal void CreateReply(ReadOnlySpan<byte> msg, uint receiverIndex, in NetEndpoint source, Span<byte> reply)
    {
        lock (_lock)
        {
            CreateReplyLocked(msg, receiverIndex, source, reply);
        }
    }

    private void CreateReplyLocked(ReadOnlySpan<byte> msg, uint receiverIndex, in NetEndpoint source, Span<byte> reply)
    {
        var now = _now();
        if (_secretSet == long.MinValue || now - _secretSet > WireGuardConstants.CookieRefreshTime.Ticks)
        {
            _random.Fill(_secret);
            _secretSet = now;
        }
        Span<byte> cookie = stackalloc byte[MacSize];
        MakeCookie(source, cookie);
        reply[..CookieNonce].Clear();
        reply[0] = (byte)TypeCookieReply;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(reply[CookieReceiver..], receiverIndex);
        _random.Fill(reply.Slice(CookieNonce, XChaCha20Poly1305.NonceSize));
        XChaCha20Poly1305.Seal(_local.CookieKey, reply.Slice(CookieNonce, XChaCha20Poly1305.NonceSize), cookie,
            msg.Slice(Mac1Offset(msg.Length), MacSize), reply.Slice(CookieEncrypted, 32));
        CryptographicOperations.ZeroMemory(cookie);
    }

    private void MakeCookie(in NetEndpoint source, Span<byte> cookie)
    {
        Span<byte> address = stackalloc byte[18];
        var n = source.WriteBytes(address);
        Blake2s.Mac(_secret, address[..n], cookie);
    }
}

using System.Buffers.Binary;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

public sealed partial class WireGuardDevice
{
    /// <summary>
    /// Writes a handshake initiation for <paramref name="peer"/> into <paramref name="destination"/> (≥ 148 bytes).
    /// Without <paramref name="force"/>, nothing is sent (Done) if one was sent less than REKEY_TIMEOUT ago.
    /// </summary>
    public WireGuardResult InitiateHandshake(WireGuardPeer peer, Span<byte> destination, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (peer.Sync)
        {
            return Counted(peer.Removed ? WireGuardResult.Fail(WireGuardError.PeerRemoved, peer) : SendInitiationLocked(peer, destination, force));
        }
    }

    /// <summary>Writes an initiation; under the peer's lock.</summary>
    private WireGuardResult SendInitiationLocked(WireGuardPeer peer, Span<byte> dst, bool isRetry)
    {
        if (dst.Length < WireGuardConstants.InitiationSize)
        {
            return WireGuardResult.Fail(WireGuardError.BufferTooSmall, peer);
        }
        if (!peer.DestinationLocked.Remote.IsSet)
        {
            return WireGuardResult.Fail(WireGuardError.NoEndpoint, peer);
        }
        if (!HasPrivateKey)
        {
            return WireGuardResult.Fail(WireGuardError.NoPrivateKey, peer);
        }
        var now = Now();
        if (!isRetry && peer.LastInitiationSent != long.MinValue && now - peer.LastInitiationSent < WireGuardConstants.RekeyTimeout.Ticks)
        {
            return WireGuardResult.Done(peer);
        }
        var hs = peer.Handshake;
        RemoveIndex(hs.LocalIndex, peer);
        var index = NewIndex(peer, null);
        var msg = dst[..WireGuardConstants.InitiationSize];
        if (!Noise.CreateInitiation(_local, hs, index, _time.GetUtcNow(), _random, msg))
        {
            _indices.TryRemove(index, out _);
            hs.Clear();
            return WireGuardResult.Fail(WireGuardError.HandshakeFailed, peer);
        }
        peer.Cookies.AddMacs(msg);
        peer.LastInitiationSent = now;
        peer.CountHandshake(ref peer.InitiationsSentCount);
        if (!isRetry || peer.AttemptStarted == long.MinValue)
        {
            peer.AttemptStarted = now;
        }
        Span<byte> jitter = stackalloc byte[2];
        _random.Fill(jitter);
        var jitterTicks = BinaryPrimitives.ReadUInt16LittleEndian(jitter) % (WireGuardConstants.RekeyTimeoutJitterMax.Ticks + 1);
        peer.RetryAt = now + WireGuardConstants.RekeyTimeout.Ticks + jitterTicks;
        peer.WantHandshake = false;
        AfterSend(peer, msg.Length, now);
        return WireGuardResult.Network(msg.Length, peer, peer.DestinationLocked);
    }

    /// <summary>Sources whose cookie replies are rate-limited at once (a bounded table; a flood of spoofed sources gets no replies beyond it).</summary>
    internal const int CookieSourcesTracked = 4096;

    /// <summary>
    /// True when <paramref name="message"/> is a handshake initiation (148 bytes) or response (92 bytes)
    /// whose mac1 is keyed by our public key: the cheap check (one BLAKE2s) a receive path does before it
    /// queues the message for the expensive handshake work. Anything else is false.
    /// </summary>
    public bool CheckMac1(ReadOnlySpan<byte> message)
    {
        if (message.Length < 4)
        {
            return false;
        }
        var type = BinaryPrimitives.ReadUInt32LittleEndian(message);
        return ((type == TypeInitiation && message.Length == WireGuardConstants.InitiationSize)
                || (type == TypeResponse && message.Length == WireGuardConstants.ResponseSize))
            && _cookieChecker.CheckMac1(message);
    }

    /// <summary>
    /// Under load, whether a handshake message whose mac1 checked is worth a handshake worker's time: false when
    /// it carries no mac2 (all zeros) and cookie replies to its source are rate-limited now, so the worker
    /// could only drop it; counted as <see cref="WireGuardError.RateLimited"/>. True when not under load, with
    /// a mac2 (checked by the worker), or when a cookie reply may go out. A receive path asks before it queues:
    /// a flood of valid-mac1 initiations from one source then costs one MAC each and wakes no worker.
    /// </summary>
    public bool WorthQueueing(ReadOnlySpan<byte> message, in NetEndpoint source)
    {
        if (!UnderLoad || message.Length < MacSize * 2 || message.Slice(Mac2Offset(message.Length), MacSize).IndexOfAnyExcept((byte)0) >= 0
            || _cookieLimiter.WouldAllow(source))
        {
            return true;
        }
        Interlocked.Increment(ref _drops[(int)WireGuardError.RateLimited]);
        return false;
    }

    /// <summary>
    /// A handshake initiation or response whose mac1 the caller already checked with <see cref="CheckMac1"/> on
    /// these same bytes (a receive path does, before it queues the message for a handshake worker): as
    /// <see cref="Decapsulate(in DatagramEndpoint, ReadOnlySpan{byte}, Span{byte})"/> without checking mac1 a second time. Any other message is refused as invalid.
    /// </summary>
    public WireGuardResult DecapsulateCheckedHandshake(in DatagramEndpoint source, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        if (message.Length < 4)
        {
            return Counted(WireGuardResult.Fail(WireGuardError.InvalidMessage));
        }
        return Counted(BinaryPrimitives.ReadUInt32LittleEndian(message) switch
        {
            TypeInitiation when message.Length == WireGuardConstants.InitiationSize => ReceiveInitiation(source, message, destination, mac1Checked: true),
            TypeResponse when message.Length == WireGuardConstants.ResponseSize => ReceiveResponse(source, message, destination, mac1Checked: true),
            _ => WireGuardResult.Fail(WireGuardError.InvalidMessage),
        });
    }

    /// <summary>
    /// mac1 (unless <paramref name="mac1Checked"/>), then under load mac2 (answered by a cookie reply when missing)
    /// and the per-IP rate limit. A mac2 of all zeros is what a sender without a cookie sends: missing, without the
    /// two MACs it takes to check it (a flood of valid-mac1 initiations costs one MAC each, not three).
    /// </summary>
    private bool AdmitHandshake(in DatagramEndpoint from, ReadOnlySpan<byte> msg, uint senderIndex, Span<byte> dst, bool mac1Checked, out WireGuardResult result)
    {
        var source = from.Remote;
        result = default;
        if (!mac1Checked && !_cookieChecker.CheckMac1(msg))
        {
            result = WireGuardResult.Fail(WireGuardError.InvalidMac);
            return false;
        }
        if (!UnderLoad)
        {
            return true;
        }
        if (msg.Slice(Mac2Offset(msg.Length), MacSize).IndexOfAnyExcept((byte)0) < 0 || !_cookieChecker.CheckMac2(msg, source))
        {
            // Cookie replies are rate-limited per source too: a flood from one address is not answered in kind.
            if (!_cookieLimiter.Allow(source))
            {
                result = WireGuardResult.Fail(WireGuardError.RateLimited);
                return false;
            }
            if (dst.Length < WireGuardConstants.CookieReplySize)
            {
                result = WireGuardResult.Fail(WireGuardError.BufferTooSmall);
                return false;
            }
            _cookieChecker.CreateReply(msg, senderIndex, source, dst);
            result = WireGuardResult.Network(WireGuardConstants.CookieReplySize, null, from);
            return false;
        }
        if (!_rateLimiter.Allow(source))
        {
            result = WireGuardResult.Fail(WireGuardError.RateLimited);
            return false;
        }
        return true;
    }

    private WireGuardResult ReceiveInitiation(in DatagramEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst, bool mac1Checked = false)
    {
        if (!HasPrivateKey)
        {
            return WireGuardResult.Fail(WireGuardError.NoPrivateKey);
        }
        if (!AdmitHandshake(source, msg, BinaryPrimitives.ReadUInt32LittleEndian(msg[InitSender..]), dst, mac1Checked, out var admitted))
        {
            return admitted;
        }
        Span<byte> hash = stackalloc byte[32];
        Span<byte> chainingKey = stackalloc byte[32];
        Span<byte> remoteStatic = stackalloc byte[32];
        Span<byte> timestamp = stackalloc byte[Tai64N.Size];
        try
        {
            if (!Noise.OpenInitiation(_local, msg, remoteStatic, hash, chainingKey, _lookupHandshake, out _, timestamp))
            {
                return WireGuardResult.Fail(WireGuardError.UnknownPeer);
            }
            var peer = FindPeer(remoteStatic);
            if (peer is null)
            {
                return WireGuardResult.Fail(WireGuardError.UnknownPeer); // removed meanwhile
            }
            lock (peer.Sync)
            {
                return peer.Removed ? WireGuardResult.Fail(WireGuardError.PeerRemoved, peer)
                    : ConsumeInitiationLocked(peer, source, msg, dst, hash, chainingKey, timestamp);
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(hash);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(chainingKey);
        }
    }

    /// <summary>The state change of an authenticated initiation and the response; under the peer's lock.</summary>
    private WireGuardResult ConsumeInitiationLocked(WireGuardPeer peer, in DatagramEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst,
        ReadOnlySpan<byte> hash, ReadOnlySpan<byte> chainingKey, ReadOnlySpan<byte> timestamp)
    {
        {
            var hs = peer.Handshake;
            var now = Now();
            if (!Tai64N.IsAfter(timestamp, hs.LatestTimestamp))
            {
                return WireGuardResult.Fail(WireGuardError.StaleTimestamp, peer);
            }
            if (hs.LastInitiationConsumed != long.MinValue && now - hs.LastInitiationConsumed < WireGuardConstants.MinInitiationInterval.Ticks)
            {
                return WireGuardResult.Fail(WireGuardError.InitiationFlood, peer);
            }
            if (dst.Length < WireGuardConstants.ResponseSize)
            {
                return WireGuardResult.Fail(WireGuardError.BufferTooSmall, peer);
            }
            timestamp.CopyTo(hs.LatestTimestamp);
            hs.LastInitiationConsumed = now;
            RemoveIndex(hs.LocalIndex, peer);
            hs.Clear();
            hash.CopyTo(hs.Hash);
            chainingKey.CopyTo(hs.ChainingKey);
            msg.Slice(InitEphemeral, 32).CopyTo(hs.RemoteEphemeral);
            hs.RemoteIndex = BinaryPrimitives.ReadUInt32LittleEndian(msg[InitSender..]);
            hs.State = HandshakeState.InitiationConsumed;
            peer.RoamLocked(source);
            AfterReceive(peer, msg.Length, now);

            var index = NewIndex(peer, null);
            var response = dst[..WireGuardConstants.ResponseSize];
            if (!Noise.CreateResponse(hs, index, _random, response))
            {
                _indices.TryRemove(index, out _);
                hs.Clear();
                return WireGuardResult.Fail(WireGuardError.HandshakeFailed, peer);
            }
            peer.Cookies.AddMacs(response);
            peer.CountHandshake(ref peer.InitiationsReceivedCount);
            var keypair = NewKeypair(peer, initiator: false, now);
            // The responder may not send on the new keypair until the initiator confirms it with data.
            DropKeypair(peer.Next);
            DropKeypair(peer.Previous);
            peer.Previous = null;
            peer.Next = keypair;
            AfterSend(peer, response.Length, now);
            return WireGuardResult.Network(response.Length, peer, source);
        }
    }

    private WireGuardResult ReceiveResponse(in DatagramEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst, bool mac1Checked = false)
    {
        if (!AdmitHandshake(source, msg, BinaryPrimitives.ReadUInt32LittleEndian(msg[RespSender..]), dst, mac1Checked, out var admitted))
        {
            return admitted;
        }
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(msg[RespReceiver..]);
        if (!_indices.TryGetValue(receiver, out var entry) || entry.Keypair is not null || entry.Peer.Handshake.LocalIndex != receiver)
        {
            return WireGuardResult.Fail(WireGuardError.UnknownIndex);
        }
        var peer = entry.Peer;
        lock (peer.Sync)
        {
            return peer.Removed ? WireGuardResult.Fail(WireGuardError.PeerRemoved, peer) : ConsumeResponseLocked(peer, receiver, source, msg, dst);
        }
    }

    /// <summary>An authenticated response completes our handshake: new current keypair, then the confirmation; under the peer's lock.</summary>
    private WireGuardResult ConsumeResponseLocked(WireGuardPeer peer, uint receiver, in DatagramEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst)
    {
        if (peer.Handshake.LocalIndex != receiver)
        {
            return WireGuardResult.Fail(WireGuardError.UnknownIndex, peer); // a newer initiation replaced it meanwhile
        }
        if (!Noise.ConsumeResponse(_local, peer.Handshake, msg))
        {
            return WireGuardResult.Fail(WireGuardError.HandshakeFailed, peer);
        }
        var now = Now();
        peer.CountHandshake(ref peer.ResponsesReceivedCount);
        var keypair = NewKeypair(peer, initiator: true, now);
        if (peer.Next is not null)
        {
            DropKeypair(peer.Previous);
            DropKeypair(peer.Current);
            peer.Previous = peer.Next;
            peer.Next = null;
        }
        else
        {
            DropKeypair(peer.Previous);
            peer.Previous = peer.Current;
        }
        Volatile.Write(ref peer.Current, keypair);
        peer.RoamLocked(source);
        AfterReceive(peer, msg.Length, now);
        // Confirm the session to the responder at once: the queued packets (the caller drains them with
        // DequeuePending, in order, as the contract says), or else a keepalive.
        return peer.QueuedCount > 0 ? WireGuardResult.Done(peer) : SendKeepaliveLocked(peer, dst);
    }

    private WireGuardResult ReceiveCookieReply(ReadOnlySpan<byte> msg)
    {
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(msg[CookieReceiver..]);
        if (!_indices.TryGetValue(receiver, out var entry))
        {
            return WireGuardResult.Fail(WireGuardError.UnknownIndex);
        }
        bool ok;
        lock (entry.Peer.Sync)
        {
            ok = entry.Peer.Cookies.ConsumeReply(msg);
        }
        return ok ? WireGuardResult.Done(entry.Peer) : WireGuardResult.Fail(WireGuardError.HandshakeFailed, entry.Peer);
    }

    /// <summary>Turns the finished handshake into a keypair registered under the handshake's local index; clears the transcript; under the peer's lock.</summary>
    private Keypair NewKeypair(WireGuardPeer peer, bool initiator, long now)
    {
        var hs = peer.Handshake;
        Span<byte> send = stackalloc byte[32];
        Span<byte> receive = stackalloc byte[32];
        Noise.DeriveTransportKeys(hs, initiator, send, receive);
        var keypair = new Keypair(send, receive, hs.LocalIndex, hs.RemoteIndex, initiator, now);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(send);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(receive);
        _indices[hs.LocalIndex] = new IndexEntry(peer, keypair);
        hs.Clear();
        peer.LastHandshakeTicks = now;
        if (initiator)
        {
            // The response authenticated the responder: the handshake is complete. A responder's keypair
            // is complete only when the initiator's first data on it arrives (ConfirmNextLocked): a replayed
            // initiation (accepted once after a restart) must not show a handshake (wireguard-go keeps 0).
            peer.SetLastHandshakeLocked(_time.GetUtcNow());
        }
        peer.AttemptStarted = long.MinValue;
        peer.RetryAt = long.MinValue;
        peer.WantHandshake = false;
        peer.RekeyRequestedOnReceive = false;
        return keypair;
    }
}

using System.Buffers.Binary;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

public sealed partial class WireGuardDevice
{
    /// <summary>
    /// Encrypts an IP packet read from the tunnel for the peer whose allowed IPs hold its destination.
    /// <paramref name="destination"/> needs packet length rounded up to 16 + 32 bytes (and ≥ 148 for an initiation).
    /// </summary>
    public WireGuardResult Encapsulate(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        var peer = AllowedIps.LookupPacket(packet, source: false);
        return peer is null ? WireGuardResult.Fail(WireGuardError.NoRoute) : Encapsulate(peer, packet, destination);
    }

    /// <summary>
    /// Encrypts a packet for <paramref name="peer"/> (empty = keepalive). Without a usable session the
    /// packet is queued and a handshake initiation is returned instead (or Done while one is pending).
    /// </summary>
    public WireGuardResult Encapsulate(WireGuardPeer peer, ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = Now();
        var keypair = peer.Current;
        if (keypair is null || !CanSend(keypair, now))
        {
            if (!packet.IsEmpty)
            {
                while (peer.Queued.Count >= Math.Max(1, MaxQueuedPerPeer))
                {
                    peer.Queued.Dequeue();
                }
                peer.Queued.Enqueue(packet.ToArray());
            }
            return SendInitiation(peer, destination, isRetry: false);
        }
        return EncryptData(peer, keypair, packet, destination, now);
    }

    /// <summary>Encrypts the next packet queued while the handshake was pending; Done when none is left or no session exists.</summary>
    public WireGuardResult DequeuePending(WireGuardPeer peer, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = Now();
        var keypair = peer.Current;
        if (peer.Queued.Count == 0 || keypair is null || !CanSend(keypair, now))
        {
            return WireGuardResult.Done(peer);
        }
        var packet = peer.Queued.Dequeue();
        return EncryptData(peer, keypair, packet, destination, now);
    }

    /// <summary>
    /// Processes one datagram received from <paramref name="source"/>. Never throws on malformed input:
    /// anything that does not parse and authenticate is an <see cref="WireGuardAction.Error"/>.
    /// <paramref name="destination"/> must hold the decrypted packet (datagram length) and any reply (≥ 148).
    /// </summary>
    public WireGuardResult Decapsulate(in NetEndpoint source, ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        if (datagram.Length < 4)
        {
            return WireGuardResult.Fail(WireGuardError.InvalidMessage);
        }
        return BinaryPrimitives.ReadUInt32LittleEndian(datagram) switch
        {
            TypeInitiation when datagram.Length == WireGuardConstants.InitiationSize => ReceiveInitiation(source, datagram, destination),
            TypeResponse when datagram.Length == WireGuardConstants.ResponseSize => ReceiveResponse(source, datagram, destination),
            TypeCookieReply when datagram.Length == WireGuardConstants.CookieReplySize => ReceiveCookieReply(datagram),
            TypeData when datagram.Length >= WireGuardConstants.DataMinimumSize => ReceiveData(source, datagram, destination),
            _ => WireGuardResult.Fail(WireGuardError.InvalidMessage),
        };
    }

    private static bool CanSend(Keypair keypair, long now) =>
        now - keypair.Created < WireGuardConstants.RejectAfterTime.Ticks && keypair.SendCounter < WireGuardConstants.RejectAfterMessages;

    private WireGuardResult SendKeepalive(WireGuardPeer peer, Span<byte> dst)
    {
        var now = Now();
        var keypair = peer.Current;
        return keypair is null || !CanSend(keypair, now) ? WireGuardResult.Done(peer) : EncryptData(peer, keypair, default, dst, now);
    }

    private WireGuardResult EncryptData(WireGuardPeer peer, Keypair keypair, ReadOnlySpan<byte> packet, Span<byte> dst, long now)
    {
        var padded = (packet.Length + WireGuardConstants.PaddingMultiple - 1) & ~(WireGuardConstants.PaddingMultiple - 1);
        var total = WireGuardConstants.DataOverhead + padded;
        if (dst.Length < total)
        {
            return WireGuardResult.Fail(WireGuardError.BufferTooSmall, peer);
        }
        var counter = keypair.SendCounter++;
        BinaryPrimitives.WriteUInt32LittleEndian(dst, TypeData);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[DataReceiver..], keypair.RemoteIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[DataCounter..], counter);
        var body = dst.Slice(WireGuardConstants.DataHeaderSize, padded);
        packet.CopyTo(body);
        body[packet.Length..].Clear();
        keypair.Send.Seal(counter, body, default, dst.Slice(WireGuardConstants.DataHeaderSize, padded + WireGuardConstants.TagSize));

        if (keypair.IsInitiator && (keypair.SendCounter >= WireGuardConstants.RekeyAfterMessages
            || now - keypair.Created >= WireGuardConstants.RekeyAfterTime.Ticks))
        {
            peer.WantHandshake = true;
        }
        if (!packet.IsEmpty && peer.DataSentUnanswered == long.MinValue)
        {
            peer.DataSentUnanswered = now;
        }
        AfterSend(peer, total, now);
        return WireGuardResult.Network(total, peer, peer.Endpoint);
    }

    private WireGuardResult ReceiveData(in NetEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst)
    {
        var receiver = BinaryPrimitives.ReadUInt32LittleEndian(msg[DataReceiver..]);
        if (!_indices.TryGetValue(receiver, out var entry) || entry.Keypair is not { } keypair)
        {
            return WireGuardResult.Fail(WireGuardError.UnknownIndex);
        }
        var peer = entry.Peer;
        var now = Now();
        if (now - keypair.Created >= WireGuardConstants.RejectAfterTime.Ticks)
        {
            return WireGuardResult.Fail(WireGuardError.ExpiredSession, peer);
        }
        var counter = BinaryPrimitives.ReadUInt64LittleEndian(msg[DataCounter..]);
        var plainLength = msg.Length - WireGuardConstants.DataOverhead;
        if (dst.Length < plainLength)
        {
            return WireGuardResult.Fail(WireGuardError.BufferTooSmall, peer);
        }
        var plain = dst[..plainLength];
        if (!keypair.Receive.TryOpen(counter, msg[WireGuardConstants.DataHeaderSize..], default, plain))
        {
            return WireGuardResult.Fail(WireGuardError.DecryptionFailed, peer);
        }
        if (!keypair.Replay.Validate(counter, WireGuardConstants.RejectAfterMessages))
        {
            return WireGuardResult.Fail(WireGuardError.Replay, peer);
        }
        if (ReferenceEquals(keypair, peer.Next))
        {
            // First data on the responder's new keypair confirms it: it becomes current.
            DropKeypair(peer.Previous);
            peer.Previous = peer.Current;
            peer.Current = keypair;
            peer.Next = null;
        }
        peer.Endpoint = source;
        AfterReceive(peer, msg.Length, now);
        if (ReferenceEquals(keypair, peer.Current) && keypair.IsInitiator && !peer.RekeyRequestedOnReceive
            && now - keypair.Created >= (WireGuardConstants.RejectAfterTime - WireGuardConstants.KeepaliveTimeout - WireGuardConstants.RekeyTimeout).Ticks)
        {
            peer.RekeyRequestedOnReceive = true;
            peer.WantHandshake = true;
        }
        if (plainLength == 0)
        {
            return WireGuardResult.Done(peer);
        }
        if (peer.DataReceivedUnacked == long.MinValue)
        {
            peer.DataReceivedUnacked = now;
        }
        var length = InnerLength(plain);
        if (length < 0)
        {
            return WireGuardResult.Fail(WireGuardError.InvalidPacket, peer);
        }
        if (!ReferenceEquals(AllowedIps.LookupPacket(plain[..length], source: true), peer))
        {
            return WireGuardResult.Fail(WireGuardError.SourceNotAllowed, peer);
        }
        return WireGuardResult.Tunnel(length, peer);
    }

    /// <summary>The IP packet's own length (padding stripped), or −1 when it is not a consistent IPv4/IPv6 packet.</summary>
    private static int InnerLength(ReadOnlySpan<byte> plain)
    {
        if (plain.Length >= 20 && plain[0] >> 4 == 4)
        {
            int total = BinaryPrimitives.ReadUInt16BigEndian(plain[2..]);
            return total >= 20 && total <= plain.Length ? total : -1;
        }
        if (plain.Length >= 40 && plain[0] >> 4 == 6)
        {
            var total = 40 + BinaryPrimitives.ReadUInt16BigEndian(plain[4..]);
            return total <= plain.Length ? total : -1;
        }
        return -1;
    }

    private static void AfterSend(WireGuardPeer peer, int bytes, long now)
    {
        peer.LastSent = now;
        peer.TransmitBytes += bytes;
        peer.DataReceivedUnacked = long.MinValue;
    }

    private static void AfterReceive(WireGuardPeer peer, int bytes, long now)
    {
        peer.LastReceived = now;
        peer.ReceiveBytes += bytes;
        peer.DataSentUnanswered = long.MinValue;
    }
}

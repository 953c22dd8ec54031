using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
        return peer is null ? Counted(WireGuardResult.Fail(WireGuardError.NoRoute)) : Encapsulate(peer, packet, destination);
    }

    /// <summary>
    /// Encrypts a packet for <paramref name="peer"/> (empty = keepalive). Without a usable session the
    /// packet is queued and a handshake initiation is returned instead (or Done while one is pending).
    /// The counter is reserved under the peer's lock; the encryption runs outside it.
    /// </summary>
    public WireGuardResult Encapsulate(WireGuardPeer peer, ReadOnlySpan<byte> packet, Span<byte> destination) =>
        TryReserve(peer, packet, destination, out var ticket, out var result) ? Seal(ticket, packet, destination) : result;

    /// <summary>
    /// The first half of <see cref="Encapsulate(WireGuardPeer, ReadOnlySpan{byte}, Span{byte})"/>, for a
    /// pipeline that assigns counters in order on one thread and seals on others: true when a counter was
    /// reserved (pass <paramref name="ticket"/> to <see cref="Seal(in SealTicket, ReadOnlySpan{byte}, Span{byte})"/>, on any thread, exactly once); false
    /// with the finished <paramref name="result"/> otherwise (queued behind a handshake: Done or the
    /// initiation in <paramref name="destination"/>; or an error).
    /// </summary>
    public bool TryReserve(WireGuardPeer peer, ReadOnlySpan<byte> packet, Span<byte> destination, out SealTicket ticket, out WireGuardResult result)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = Now();
        ticket = default;
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                result = Counted(WireGuardResult.Fail(WireGuardError.PeerRemoved, peer));
                return false;
            }
            var keypair = peer.Current;
            var noSession = keypair is null || !CanSend(keypair, now);
            if (noSession || peer.QueuedCount > 0 || peer.Draining)
            {
                // No session: queue and start a handshake. A session but packets still queued (or being
                // sent by a drainer): queue behind them, so the peer gets them in order; the caller drains.
                if (!packet.IsEmpty)
                {
                    var max = Math.Max(1, MaxQueuedPerPeer);
                    while (peer.QueuedCount >= max)
                    {
                        peer.Queued.Dequeue();
                        peer.CountDrop(WireGuardError.QueueFull);
                    }
                    peer.Queued.Enqueue(packet.ToArray());
                }
                result = Counted(noSession ? SendInitiationLocked(peer, destination, isRetry: false) : WireGuardResult.Done(peer));
                return false;
            }
            ticket = new SealTicket(peer, ReserveLocked(peer, keypair!, packet.Length, destination.Length, now));
        }
        result = default;
        return true;
    }

    /// <summary>
    /// The second half of <see cref="Encapsulate(WireGuardPeer, ReadOnlySpan{byte}, Span{byte})"/>: writes the
    /// data message for a reserved counter into <paramref name="destination"/> (the packet may already lie at
    /// offset 16 of it) and seals it. Thread-safe; no lock.
    /// </summary>
    public WireGuardResult Seal(in SealTicket ticket, ReadOnlySpan<byte> packet, Span<byte> destination) =>
        ticket.Peer is null
            ? throw new ArgumentException("the ticket was not reserved by TryReserve", nameof(ticket))
            : Counted(Seal(ticket.Peer, ticket.Reservation, packet, destination));

    /// <summary>Encrypts the next packet queued while the handshake was pending; Done when none is left or no session exists.</summary>
    public WireGuardResult DequeuePending(WireGuardPeer peer, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var now = Now();
        Reservation r;
        byte[] packet;
        lock (peer.Sync)
        {
            var keypair = peer.Current;
            if (peer.Removed || peer.QueuedCount == 0 || keypair is null || !CanSend(keypair, now))
            {
                peer.Draining = false;
                return WireGuardResult.Done(peer);
            }
            packet = peer.Queued.Dequeue();
            peer.Draining = true;
            r = ReserveLocked(peer, keypair, packet.Length, destination.Length, now);
        }
        return Counted(Seal(peer, r, packet, destination));
    }

    /// <summary>
    /// Processes one datagram received from <paramref name="source"/>. Never throws on malformed input:
    /// anything that does not parse and authenticate is an <see cref="WireGuardAction.Error"/>.
    /// <paramref name="destination"/> must hold the decrypted packet (datagram length) and any reply (≥ 148).
    /// </summary>
    public WireGuardResult Decapsulate(in NetEndpoint source, ReadOnlySpan<byte> datagram, Span<byte> destination) =>
        Decapsulate(new DatagramEndpoint(source), datagram, destination);

    /// <summary>
    /// Processes one datagram received from <paramref name="source"/>, with the local address and interface it
    /// arrived on and its transport: an authenticated packet makes all of it the peer's endpoint
    /// (<see cref="WireGuardPeer.Destination"/>), so replies leave from the address the peer reached.
    /// Otherwise as <see cref="Decapsulate(in NetEndpoint, ReadOnlySpan{byte}, Span{byte})"/>.
    /// </summary>
    public WireGuardResult Decapsulate(in DatagramEndpoint source, ReadOnlySpan<byte> datagram, Span<byte> destination)
    {
        if (datagram.Length < 4)
        {
            return Counted(WireGuardResult.Fail(WireGuardError.InvalidMessage));
        }
        return Counted(BinaryPrimitives.ReadUInt32LittleEndian(datagram) switch
        {
            TypeInitiation when datagram.Length == WireGuardConstants.InitiationSize => ReceiveInitiation(source, datagram, destination),
            TypeResponse when datagram.Length == WireGuardConstants.ResponseSize => ReceiveResponse(source, datagram, destination),
            TypeCookieReply when datagram.Length == WireGuardConstants.CookieReplySize => ReceiveCookieReply(datagram),
            TypeData when datagram.Length >= WireGuardConstants.DataMinimumSize => ReceiveData(source, datagram, destination),
            _ => WireGuardResult.Fail(WireGuardError.InvalidMessage),
        });
    }

    private static bool CanSend(Keypair keypair, long now) =>
        now - keypair.Created < WireGuardConstants.RejectAfterTime.Ticks && keypair.SendCounter < WireGuardConstants.RejectAfterMessages;

    /// <summary>What a data message needs after its counter is reserved: keypair, counter, sizes, destination (the peer's endpoint when reserved).</summary>
    internal readonly record struct Reservation(Keypair? Keypair, ulong Counter, int Padded, int Total, DatagramEndpoint Destination, WireGuardError Error);

    /// <summary>Reserves a counter and does the send bookkeeping (timers, bytes, rekey wish); under the peer's lock.</summary>
    private static Reservation ReserveLocked(WireGuardPeer peer, Keypair keypair, int packetLength, int destinationLength, long now)
    {
        var padded = (packetLength + WireGuardConstants.PaddingMultiple - 1) & ~(WireGuardConstants.PaddingMultiple - 1);
        var total = WireGuardConstants.DataOverhead + padded;
        if (destinationLength < total)
        {
            return new Reservation(null, 0, 0, 0, default, WireGuardError.BufferTooSmall);
        }
        var counter = keypair.SendCounter++;
        if (keypair.IsInitiator && (keypair.SendCounter >= WireGuardConstants.RekeyAfterMessages
            || now - keypair.Created >= WireGuardConstants.RekeyAfterTime.Ticks))
        {
            peer.WantHandshake = true;
        }
        if (packetLength > 0 && peer.DataSentUnanswered == long.MinValue)
        {
            peer.DataSentUnanswered = now;
        }
        if (packetLength > 0)
        {
            peer.CountTransmittedPacket();
        }
        AfterSend(peer, total, now);
        return new Reservation(keypair, counter, padded, total, peer.DestinationLocked, WireGuardError.None);
    }

    /// <summary>Writes header, packet and padding and seals them; outside any lock (the AEAD is thread-safe).</summary>
    private static WireGuardResult Seal(WireGuardPeer peer, in Reservation r, ReadOnlySpan<byte> packet, Span<byte> dst)
    {
        if (r.Keypair is not { } keypair)
        {
            return WireGuardResult.Fail(r.Error, peer);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(dst, TypeData);
        BinaryPrimitives.WriteUInt32LittleEndian(dst[DataReceiver..], keypair.RemoteIndex);
        BinaryPrimitives.WriteUInt64LittleEndian(dst[DataCounter..], r.Counter);
        var body = dst.Slice(WireGuardConstants.DataHeaderSize, r.Padded);
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(packet), ref MemoryMarshal.GetReference(body)))
        {
            packet.CopyTo(body); // not already in place (the pumps read packets where the seal writes them)
        }
        body[packet.Length..].Clear();
        // False only when the keypair was retired (disposed) between the reservation and here.
        return keypair.Send.TrySeal(r.Counter, body, default, dst.Slice(WireGuardConstants.DataHeaderSize, r.Padded + WireGuardConstants.TagSize))
            ? WireGuardResult.Network(r.Total, peer, r.Destination)
            : WireGuardResult.Fail(WireGuardError.ExpiredSession, peer);
    }

    /// <summary>A keepalive (or confirmation) on the current session; under the peer's lock, sealed in it (rare).</summary>
    private WireGuardResult SendKeepaliveLocked(WireGuardPeer peer, Span<byte> dst)
    {
        var now = Now();
        var keypair = peer.Current;
        if (keypair is null || !CanSend(keypair, now))
        {
            return WireGuardResult.Done(peer);
        }
        return Seal(peer, ReserveLocked(peer, keypair, 0, dst.Length, now), default, dst);
    }

    private WireGuardResult ReceiveData(in DatagramEndpoint source, ReadOnlySpan<byte> msg, Span<byte> dst)
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
        // Outside every lock; false also when the keypair was retired meanwhile (its key is gone).
        if (!keypair.Receive.TryOpen(counter, msg[WireGuardConstants.DataHeaderSize..], default, plain))
        {
            return WireGuardResult.Fail(WireGuardError.DecryptionFailed, peer);
        }
        lock (keypair.ReplayLock)
        {
            if (!keypair.Replay.Validate(counter, WireGuardConstants.RejectAfterMessages))
            {
                return WireGuardResult.Fail(WireGuardError.Replay, peer);
            }
        }
        lock (peer.Sync)
        {
            if (peer.Removed)
            {
                return WireGuardResult.Fail(WireGuardError.PeerRemoved, peer);
            }
            if (ReferenceEquals(keypair, peer.Next))
            {
                // First data on the responder's new keypair confirms it: it becomes current.
                DropKeypair(peer.Previous);
                peer.Previous = peer.Current;
                Volatile.Write(ref peer.Current, keypair);
                peer.Next = null;
                peer.SetLastHandshakeLocked(_time.GetUtcNow());
            }
            peer.RoamLocked(source);
            AfterReceive(peer, msg.Length, now);
            if (ReferenceEquals(keypair, peer.Current) && keypair.IsInitiator && !peer.RekeyRequestedOnReceive
                && now - keypair.Created >= (WireGuardConstants.RejectAfterTime - WireGuardConstants.KeepaliveTimeout - WireGuardConstants.RekeyTimeout).Ticks)
            {
                peer.RekeyRequestedOnReceive = true;
                peer.WantHandshake = true;
            }
            if (plainLength > 0 && peer.DataReceivedUnacked == long.MinValue)
            {
                peer.DataReceivedUnacked = now;
            }
        }
        if (plainLength == 0)
        {
            return WireGuardResult.Done(peer);
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
        peer.CountReceivedPacket();
        return WireGuardResult.Tunnel(length, peer, source);
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

    /// <summary>Send bookkeeping; under the peer's lock.</summary>
    private static void AfterSend(WireGuardPeer peer, int bytes, long now)
    {
        peer.LastSent = now;
        peer.AddTransmitted(bytes);
        peer.DataReceivedUnacked = long.MinValue;
    }

    /// <summary>Receive bookkeeping; under the peer's lock.</summary>
    private static void AfterReceive(WireGuardPeer peer, int bytes, long now)
    {
        peer.LastReceived = now;
        peer.AddReceived(bytes);
        peer.DataSentUnanswered = long.MinValue;
    }
}

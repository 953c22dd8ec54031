namespace SharpTun.WireGuard;

/// <summary>
/// A data message counter reserved by <see cref="WireGuardDevice.TryReserve"/> for one packet: the peer,
/// keypair, counter, padded size and endpoint, to be sealed once by <see cref="WireGuardDevice.Seal(in SealTicket, ReadOnlySpan{byte}, Span{byte})"/>.
/// Lets a pipeline number packets in order on one thread and encrypt them on others.
/// </summary>
public readonly struct SealTicket : IEquatable<SealTicket>
{
    internal SealTicket(WireGuardPeer peer, WireGuardDevice.Reservation reservation)
    {
        Peer = peer;
        Reservation = reservation;
    }

    internal WireGuardPeer? Peer { get; }

    internal WireGuardDevice.Reservation Reservation { get; }

    /// <summary>True for a ticket <see cref="WireGuardDevice.TryReserve"/> filled (false for <c>default</c>).</summary>
    public bool IsReserved => Peer is not null;

    /// <summary>The reserved message counter (the nonce).</summary>
    public ulong Counter => Reservation.Counter;

    /// <inheritdoc/>
    public bool Equals(SealTicket other) => ReferenceEquals(Peer, other.Peer) && Reservation == other.Reservation;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SealTicket t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Peer, Reservation.Counter);

    /// <summary>Same peer and reservation.</summary>
    public static bool operator ==(SealTicket left, SealTicket right) => left.Equals(right);

    /// <summary>Not the same peer and reservation.</summary>
    public static bool operator !=(SealTicket left, SealTicket right) => !left.Equals(right);
}

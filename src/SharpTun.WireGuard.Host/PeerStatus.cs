using System.Net;

namespace SharpTun.WireGuard.Host;

/// <summary>A snapshot of one peer for display (<c>wg show</c>, <c>sharptun wg show --json</c>). Allocates; not for per-packet use.</summary>
public sealed record PeerStatus
{
    /// <summary>The peer's public key (32 bytes).</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>The preshared key, or null when none is set.</summary>
    public byte[]? PresharedKey { get; init; }

    /// <summary>The current endpoint; null when none is known.</summary>
    public IPEndPoint? Endpoint { get; init; }

    /// <summary>Wall-clock time of the latest completed handshake; null when none.</summary>
    public DateTimeOffset? LatestHandshake { get; init; }

    /// <summary>UDP payload bytes received (authenticated).</summary>
    public long ReceiveBytes { get; init; }

    /// <summary>UDP payload bytes sent.</summary>
    public long TransmitBytes { get; init; }

    /// <summary>Persistent keepalive interval; zero when off.</summary>
    public TimeSpan PersistentKeepalive { get; init; }

    /// <summary>Allowed IPs as (network, prefix length).</summary>
    public required IReadOnlyList<(IPAddress Address, int PrefixLength)> AllowedIps { get; init; }

    /// <summary>Drop counts attributed to this peer, by reason (only non-zero ones).</summary>
    public required IReadOnlyDictionary<DropReason, long> Drops { get; init; }
}

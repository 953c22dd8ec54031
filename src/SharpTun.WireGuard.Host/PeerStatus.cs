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

    /// <summary>Health: never, handshaking, up, stale (<see cref="PeerHealth.Classify"/>).</summary>
    public PeerHealthState State { get; init; }

    /// <summary>When the handshake attempt in progress began; set when <see cref="State"/> is handshaking.</summary>
    public DateTimeOffset? HandshakingSince { get; init; }

    /// <summary>Inner packets received from the peer (delivered to the tun; keepalives not counted).</summary>
    public long ReceivePackets { get; init; }

    /// <summary>Inner packets sent to the peer (encrypted; keepalives not counted).</summary>
    public long TransmitPackets { get; init; }

    /// <summary>Handshake initiations sent (first tries and retries).</summary>
    public long HandshakesSent { get; init; }

    /// <summary>Authenticated handshake messages received: initiations answered plus responses completing ours.</summary>
    public long HandshakesReceived { get; init; }

    /// <summary>Of <see cref="HandshakesReceived"/>: the responses completing handshakes we initiated.</summary>
    public long HandshakeResponsesReceived { get; init; }

    /// <summary>Handshake attempts given up after 90 s without a response.</summary>
    public long HandshakesFailed { get; init; }

    /// <summary>The reason of the latest drop attributed to the peer; null when none.</summary>
    public DropReason? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>The last authenticated datagram from the peer; null when never.</summary>
    public DateTimeOffset? LastReceived { get; init; }

    /// <summary>The transport in use: "udp", or "tcp" with the fallback.</summary>
    public string Transport { get; init; } = "udp";

    /// <summary>The path MTU to the endpoint as the kernel knows it (IP_MTU); 0 = not known.</summary>
    public int PathMtu { get; init; }

    /// <summary>Endpoint changes (roams, configuration), oldest first; the last <see cref="PeerState.HistoryLength"/>.</summary>
    public IReadOnlyList<EndpointChange> EndpointHistory { get; init; } = [];

    /// <summary>Every endpoint change since the peer was added.</summary>
    public long EndpointChanges { get; init; }
}

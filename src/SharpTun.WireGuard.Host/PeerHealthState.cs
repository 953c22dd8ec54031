namespace SharpTun.WireGuard.Host;

/// <summary>A peer's health as <c>sharptun wg show</c> reports it (see <see cref="PeerHealth.Classify"/>).</summary>
public enum PeerHealthState
{
    /// <summary>No handshake ever completed, and none is in progress.</summary>
    Never,

    /// <summary>A handshake attempt is in progress and no handshake completed within 180 s (since <see cref="PeerStatus.HandshakingSince"/>).</summary>
    Handshaking,

    /// <summary>A handshake completed within 180 s and what we sent was answered.</summary>
    Up,

    /// <summary>The latest handshake is older than 180 s, a handshake after it went unanswered 5 s or gave up, or data went unanswered for 15 s.</summary>
    Stale,
}

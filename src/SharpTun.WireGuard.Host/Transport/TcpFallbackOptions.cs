namespace SharpTun.WireGuard.Host;

/// <summary>
/// Limits of the encrypted TCP fallback's connections. A connection we have not answered yet
/// (no handshake accepted on it) is untrusted: it holds a small buffer, may carry only handshake
/// frames, must deliver its first whole frame within <see cref="FirstFrameTimeout"/> and be answered
/// within <see cref="UnansweredLifetime"/>; at most <see cref="MaxUnanswered"/> exist at once (a new
/// one pushes out the oldest). So a flood of idle or garbage connections costs at most
/// <see cref="MaxUnanswered"/> × ~600 bytes plus kernel sockets, and never reaches the tun.
/// </summary>
internal sealed record TcpFallbackOptions
{
    /// <summary>TCP port to listen on; 0 = no listener (only dial out).</summary>
    internal ushort ListenPort { get; init; }

    /// <summary>SO_MARK on dialed connections (0 = none), like the UDP socket's fwmark.</summary>
    internal uint FirewallMark { get; init; }

    /// <summary>All connections at once; more are refused.</summary>
    internal int MaxConnections { get; init; } = 256;

    /// <summary>Connections not answered yet, at once; a new one closes the oldest.</summary>
    internal int MaxUnanswered { get; init; } = 32;

    /// <summary>Handshake frames an unanswered connection may deliver before it must be answered.</summary>
    internal int MaxUnansweredFrames { get; init; } = 8;

    internal TimeSpan FirstFrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal TimeSpan UnansweredLifetime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>An answered connection with no frame received for this long is closed (WireGuard sends a keepalive or rekeys well within it while in use).</summary>
    internal TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    internal TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one connection attempt per target this often.</summary>
    internal TimeSpan RedialInterval { get; init; } = TimeSpan.FromSeconds(1);
}

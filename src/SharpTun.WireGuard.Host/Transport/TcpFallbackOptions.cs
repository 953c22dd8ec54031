namespace SharpTun.WireGuard.Host;

/// <summary>
/// Limits of the encrypted TCP fallback's connections. A connection we have not answered yet
/// (nothing sent on it, nothing from it authenticated) is untrusted: it holds a 4 KiB buffer, frames
/// of at most 2048 bytes, is read no further after <see cref="MaxUnansweredFrames"/> frames, must
/// deliver its first whole frame within <see cref="FirstFrameTimeout"/> and be answered within
/// <see cref="UnansweredLifetime"/>; at most <see cref="MaxUnanswered"/> exist at once (a new one
/// pushes out the oldest). So a flood of idle or garbage connections costs at most
/// <see cref="MaxUnanswered"/> × ~4 KiB plus kernel sockets, and never reaches the tun.
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

    /// <summary>Frames an unanswered connection may deliver; then it is not read until answered (TCP flow control holds the rest).</summary>
    internal int MaxUnansweredFrames { get; init; } = 64;

    internal TimeSpan FirstFrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    internal TimeSpan UnansweredLifetime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>An answered connection with no frame received for this long is closed (WireGuard sends a keepalive or rekeys well within it while in use).</summary>
    internal TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    internal TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one connection attempt per target this often.</summary>
    internal TimeSpan RedialInterval { get; init; } = TimeSpan.FromSeconds(1);
}

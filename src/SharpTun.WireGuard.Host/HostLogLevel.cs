namespace SharpTun.WireGuard.Host;

/// <summary>How much the host logs: silent, errors, warnings, lifecycle events (default), or every handshake and drop.</summary>
public enum HostLogLevel
{
    /// <summary>Nothing.</summary>
    Silent,

    /// <summary>Failures only.</summary>
    Error,

    /// <summary>Also trouble that does not stop the tunnel: handshakes given up, peers gone stale, datagrams the socket refused.</summary>
    Warning,

    /// <summary>Start/stop, handshakes completed, roams, peers added/removed, configuration changes.</summary>
    Info,

    /// <summary>Also every handshake message and every drop (rate-limited by nothing: for debugging).</summary>
    Debug,
}

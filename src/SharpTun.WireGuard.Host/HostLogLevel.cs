namespace SharpTun.WireGuard.Host;

/// <summary>How much the host logs: silent, errors only, lifecycle events (default), or every handshake and drop.</summary>
public enum HostLogLevel
{
    /// <summary>Nothing.</summary>
    Silent,

    /// <summary>Failures only.</summary>
    Error,

    /// <summary>Start/stop, handshakes completed, peers added/removed, configuration changes.</summary>
    Info,

    /// <summary>Also every handshake message and every drop (rate-limited by nothing: for debugging).</summary>
    Debug,
}

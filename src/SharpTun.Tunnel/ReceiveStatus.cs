namespace SharpTun.Tunnel;

/// <summary>How a TCP connection's receive side ended or stands.</summary>
internal enum ReceiveStatus
{
    /// <summary>Still open (data handled, or nothing there yet).</summary>
    Open,

    /// <summary>The peer closed the connection at a frame boundary.</summary>
    Closed,

    /// <summary>A length prefix outside 1..max.</summary>
    BadLength,

    /// <summary>The peer closed inside a frame.</summary>
    Truncated,

    /// <summary>recv(2) failed (reset, timeout).</summary>
    Failed,
}

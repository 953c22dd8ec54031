namespace SharpTun.Linux.Net;

/// <summary>What one <see cref="StreamConnection.Receive"/> did.</summary>
public enum StreamReceive
{
    /// <summary>Bytes arrived: take the messages from <see cref="StreamConnection.Input"/>.</summary>
    Data,

    /// <summary>Nothing there yet (the socket is non-blocking).</summary>
    WouldBlock,

    /// <summary>The other end closed its side (inside a frame when <see cref="SharpTun.IO.StreamDeframer.Buffered"/> is not 0).</summary>
    Ended,

    /// <summary>recv(2) failed (reset, timeout): the error is in the out parameter.</summary>
    Failed,
}

namespace SharpTun.IO;

/// <summary>What <see cref="StreamDeframer.Next"/> found.</summary>
public enum StreamFrameStatus
{
    /// <summary>No whole frame buffered: receive more.</summary>
    NeedMore,

    /// <summary>A whole message.</summary>
    Message,

    /// <summary>The stream broke the framing (<see cref="StreamDeframer.Problem"/> says how): close the connection.</summary>
    Invalid,
}

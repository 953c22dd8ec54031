namespace SharpTun.WireGuard.Host;

/// <summary>What <see cref="TcpFrameReader.Next"/> found.</summary>
internal enum FrameStatus
{
    /// <summary>No whole frame yet: read more.</summary>
    NeedMore,

    /// <summary>A whole message.</summary>
    Message,

    /// <summary>Not a WireGuard message: close the connection.</summary>
    Invalid,
}

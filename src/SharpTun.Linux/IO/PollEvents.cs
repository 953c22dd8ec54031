namespace SharpTun.Linux.IO;

/// <summary>What a <see cref="Poller"/> source waits for, or what it is ready for.</summary>
[Flags]
public enum PollEvents
{
    /// <summary>Nothing (a source that is registered but not waited on).</summary>
    None = 0,

    /// <summary>Data to read (POLLIN); also reported on error or hang-up, so the next read sees the cause.</summary>
    Readable = 1,

    /// <summary>Room to write (POLLOUT).</summary>
    Writable = 2,

    /// <summary>Only in results: an error, hang-up or closed fd (POLLERR, POLLHUP, POLLNVAL).</summary>
    Error = 4,
}

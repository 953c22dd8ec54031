namespace SharpTun.Tunnel;

/// <summary>
/// The relay's log: events (connections, refusals, protocol errors with the peer's address) and,
/// with <see cref="Debug"/>, one line per packet in simpletun's words. Lines are written whole
/// under a lock, so lines from the two relay threads never interleave.
/// </summary>
public sealed class TunnelLog
{
    private readonly TextWriter _writer;
    private readonly Lock _lock = new();

    /// <summary>Logs to <paramref name="writer"/>; per-packet lines only when <paramref name="debug"/>.</summary>
    public TunnelLog(TextWriter writer, bool debug)
    {
        _writer = writer;
        Debug = debug;
    }

    /// <summary>A log that discards everything.</summary>
    public static TunnelLog Null { get; } = new(TextWriter.Null, false);

    /// <summary>True when per-packet lines are printed.</summary>
    public bool Debug { get; }

    /// <summary>Writes one event line.</summary>
    public void Info(string message)
    {
        lock (_lock)
        {
            _writer.WriteLine(message);
            _writer.Flush();
        }
    }
}

using System.Globalization;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Line-oriented log of one interface: "2026-12-01T09:30:00.123Z wg0: message". Thread-safe; writes
/// are serialized and flushed per line (a systemd journal or a pipe sees each line at once).
/// </summary>
public sealed class HostLog
{
    private readonly TextWriter? _writer;
    private readonly Lock _gate = new();

    /// <summary>A log writing lines at or above <paramref name="level"/> to <paramref name="writer"/>.</summary>
    public HostLog(TextWriter? writer, HostLogLevel level)
    {
        _writer = writer;
        Level = writer is null ? HostLogLevel.Silent : level;
    }

    /// <summary>A log that drops everything.</summary>
    public static HostLog None { get; } = new(null, HostLogLevel.Silent);

    /// <summary>The configured level.</summary>
    public HostLogLevel Level { get; }

    /// <summary>True when <paramref name="level"/> would be written (check before building a costly message).</summary>
    public bool IsEnabled(HostLogLevel level) => level != HostLogLevel.Silent && level <= Level;

    /// <summary>Writes a failure.</summary>
    public void Error(string name, string message) => Write(HostLogLevel.Error, name, message);

    /// <summary>Writes a lifecycle event.</summary>
    public void Info(string name, string message) => Write(HostLogLevel.Info, name, message);

    /// <summary>Writes a debug detail.</summary>
    public void Debug(string name, string message) => Write(HostLogLevel.Debug, name, message);

    private void Write(HostLogLevel level, string name, string message)
    {
        if (!IsEnabled(level) || _writer is null)
        {
            return;
        }
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {name}: {message}");
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}

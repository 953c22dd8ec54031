using Microsoft.Extensions.Logging;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The log of the host, through Microsoft.Extensions.Logging (category <see cref="Category"/>): every line
/// names the interface ("wg0: message"); events about a peer carry its short key as a structured value
/// (<see cref="HostLogEvents"/>). Built on a <see cref="TextWriter"/> (one line per event, flushed at once,
/// see <see cref="LineLoggerProvider"/>) or on any <see cref="ILoggerFactory"/>. Thread-safe.
/// </summary>
public sealed class HostLog
{
    /// <summary>The logger category of every host event.</summary>
    public const string Category = "SharpTun.WireGuard";

    /// <summary>
    /// A log writing lines at or above <paramref name="level"/> to <paramref name="writer"/>: "TIMESTAMP wg0: message",
    /// or with <paramref name="journal"/> "&lt;6&gt;wg0: message" (the journal's priority prefix, no timestamp: journald stamps lines itself).
    /// </summary>
    public HostLog(TextWriter? writer, HostLogLevel level, bool journal = false)
        : this(writer is null ? null : new LineLoggerProvider(writer, journal, ToLogLevel(level)), writer is null ? HostLogLevel.Silent : level)
    {
    }

    /// <summary>A log through <paramref name="factory"/>'s loggers, filtered at <paramref name="level"/>.</summary>
    public HostLog(ILoggerFactory factory, HostLogLevel level)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Level = level;
        Logger = factory.CreateLogger(Category);
    }

    private HostLog(ILoggerProvider? provider, HostLogLevel level)
    {
        Level = provider is null ? HostLogLevel.Silent : level;
        Logger = provider?.CreateLogger(Category) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>A log that drops everything.</summary>
    public static HostLog None { get; } = new((ILoggerProvider?)null, HostLogLevel.Silent);

    /// <summary>The configured level.</summary>
    public HostLogLevel Level { get; }

    /// <summary>The logger events go to (already filtered by <see cref="Level"/> through <see cref="IsEnabled(LogLevel)"/>).</summary>
    public ILogger Logger { get; }

    /// <summary>True when <paramref name="level"/> would be written (check before building a costly message).</summary>
    public bool IsEnabled(HostLogLevel level) => level != HostLogLevel.Silent && level <= Level;

    /// <summary>True when events of <paramref name="level"/> pass <see cref="Level"/>.</summary>
    public bool IsEnabled(LogLevel level) => IsEnabled(From(level));

    /// <summary>Writes a failure.</summary>
    public void Error(string name, string message) => Write(HostLogLevel.Error, name, message);

    /// <summary>Writes trouble that does not stop the tunnel.</summary>
    public void Warning(string name, string message) => Write(HostLogLevel.Warning, name, message);

    /// <summary>Writes a lifecycle event.</summary>
    public void Info(string name, string message) => Write(HostLogLevel.Info, name, message);

    /// <summary>Writes a debug detail.</summary>
    public void Debug(string name, string message) => Write(HostLogLevel.Debug, name, message);

    /// <summary>The Microsoft.Extensions.Logging level of a host level.</summary>
    internal static LogLevel ToLogLevel(HostLogLevel level) => level switch
    {
        HostLogLevel.Error => LogLevel.Error,
        HostLogLevel.Warning => LogLevel.Warning,
        HostLogLevel.Info => LogLevel.Information,
        HostLogLevel.Debug => LogLevel.Debug,
        _ => LogLevel.None,
    };

    private static HostLogLevel From(LogLevel level) => level switch
    {
        LogLevel.Critical or LogLevel.Error => HostLogLevel.Error,
        LogLevel.Warning => HostLogLevel.Warning,
        LogLevel.Information => HostLogLevel.Info,
        LogLevel.Debug or LogLevel.Trace => HostLogLevel.Debug,
        _ => HostLogLevel.Silent,
    };

    private void Write(HostLogLevel level, string name, string message)
    {
        if (IsEnabled(level))
        {
            HostLogEvents.Message(Logger, ToLogLevel(level), name, message);
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Writes each event as one line to a <see cref="TextWriter"/>, serialized and flushed per line (a pipe
/// or the journal sees it at once): "2026-12-01T09:30:00.123Z wg0: message", or for the journal (stderr or
/// stdout connected to journald, <see cref="Journal.IsConnected"/>) "&lt;6&gt;wg0: message" with the syslog
/// priority sd-daemon(3) reads: 3 error, 4 warning, 6 info, 7 debug (2 critical). An exception's message follows.
/// </summary>
public sealed class LineLoggerProvider : ILoggerProvider
{
    private readonly TextWriter _writer;
    private readonly bool _journal;
    private readonly LogLevel _minimum;
    private readonly Lock _gate = new();

    /// <summary>A provider writing events at or above <paramref name="minimum"/> to <paramref name="writer"/>.</summary>
    public LineLoggerProvider(TextWriter writer, bool journal, LogLevel minimum = LogLevel.Information)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _journal = journal;
        _minimum = minimum;
    }

    /// <summary>The journal priority prefix of a level ("&lt;3&gt;" for errors).</summary>
    public static string Prefix(LogLevel level) => level switch
    {
        LogLevel.Critical => "<2>",
        LogLevel.Error => "<3>",
        LogLevel.Warning => "<4>",
        LogLevel.Information => "<6>",
        _ => "<7>",
    };

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new LineLogger(this);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private void Write(LogLevel level, string text)
    {
        var line = _journal
            ? Prefix(level) + text
            : string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {text}");
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private sealed class LineLogger(LineLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var text = formatter(state, exception);
            provider.Write(logLevel, exception is null ? text : $"{text}: {exception.Message}");
        }
    }
}

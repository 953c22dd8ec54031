using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Reads one meter's instruments through a <see cref="MeterListener"/> and writes them in the Prometheus text
/// exposition format 0.0.4, named as OpenTelemetry's Prometheus exporter names them: dots become underscores, the
/// unit is a suffix (<c>By</c> → <c>_bytes</c>, <c>s</c> → <c>_seconds</c>; annotations like <c>{packet}</c> add
/// none), counters end in <c>_total</c>. Only observable instruments exist here (<see cref="WireGuardMetrics"/>):
/// each <see cref="Collect"/> asks them for their values. Thread-safe: collections are serialized.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)>> _values = [];

    internal PrometheusText(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                lock (_gate)
                {
                    _instruments.Add(instrument);
                }
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The page: every instrument's HELP, TYPE and samples, in the order the instruments were created.</summary>
    internal string Collect()
    {
        lock (_gate)
        {
            _values.Clear();
            _listener.RecordObservableInstruments();
            var page = new StringBuilder();
            foreach (var instrument in _instruments)
            {
                var counter = instrument is ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> or Counter<long> or Counter<int> or Counter<double>;
                var name = Name(instrument.Name, instrument.Unit, counter);
                if (!string.IsNullOrEmpty(instrument.Description))
                {
                    page.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description)).Append('\n');
                }
                page.Append("# TYPE ").Append(name).Append(' ').Append(counter ? "counter" : "gauge").Append('\n');
                foreach (var (value, tags) in _values.GetValueOrDefault(instrument) ?? [])
                {
                    page.Append(name);
                    if (tags.Length > 0)
                    {
                        page.Append('{');
                        for (var t = 0; t < tags.Length; t++)
                        {
                            page.Append(t == 0 ? "" : ",").Append(Sanitize(tags[t].Key)).Append("=\"")
                                .Append(EscapeLabel(Convert.ToString(tags[t].Value, CultureInfo.InvariantCulture) ?? "")).Append('"');
                        }
                        page.Append('}');
                    }
                    page.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }
            _values.Clear();
            return page.ToString();
        }
    }

    /// <summary>OpenTelemetry's Prometheus name: <c>sharptun.wireguard.peer.sent</c> (By, counter) → <c>sharptun_wireguard_peer_sent_bytes_total</c>.</summary>
    internal static string Name(string name, string? unit, bool counter)
    {
        var result = Sanitize(name);
        var suffix = unit switch
        {
            null or "" or "1" => "",
            "By" => "bytes",
            "s" => "seconds",
            "ms" => "milliseconds",
            _ when unit.StartsWith('{') => "",
            _ => Sanitize(unit),
        };
        if (suffix.Length > 0 && !result.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            result += "_" + suffix;
        }
        return counter && !result.EndsWith("_total", StringComparison.Ordinal) ? result + "_total" : result;
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags) where T : struct
    {
        // Called from RecordObservableInstruments inside Collect, under _gate.
        if (!_values.TryGetValue(instrument, out var list))
        {
            _values[instrument] = list = [];
        }
        list.Add((Convert.ToDouble(value, CultureInfo.InvariantCulture), tags.ToArray()));
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':') || (i == 0 && char.IsAsciiDigit(chars[i])))
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);
}

using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace AkkaKv.Node.Metrics;

/// <summary>
/// Renders one meter's instruments in the Prometheus text format (version 0.0.4): counters (as <c>name_total</c>) are
/// summed per label set as they are recorded; observable counters and gauges are read at collection. Only the given
/// <see cref="Meter"/> instance is listened to, so nodes in one process keep their figures apart.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<Instrument, Dictionary<string, double>> _values = [];

    public PrometheusExporter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The current figures in the Prometheus text format.</summary>
    public string Collect()
    {
        lock (_lock)
        {
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, series) in _values.OrderBy(pair => pair.Key.Name, StringComparer.Ordinal))
            {
                var counter = instrument is Counter<long> or Counter<double> or ObservableCounter<long> or ObservableCounter<double>;
                var name = instrument.Name.Replace('.', '_') + (counter ? "_total" : "");
                if (instrument.Description is { Length: > 0 } description)
                {
                    text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\n");
                }
                text.Append(CultureInfo.InvariantCulture, $"# TYPE {name} {(counter ? "counter" : "gauge")}\n");
                foreach (var (labels, value) in series.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
                }
            }
            return text.ToString();
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_values.TryGetValue(instrument, out var series))
            {
                _values[instrument] = series = [];
            }
            // A counter's measurements are increments; an observable instrument reports its current value.
            series[labels] = instrument is Counter<long> or Counter<double> ? series.GetValueOrDefault(labels) + value : value;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{key}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', pairs) + "}";
    }

    public void Dispose() => _listener.Dispose();
}

using System.Diagnostics.Metrics;
using Temporalio.Runtime;

namespace ExportFlows.Worker.Telemetry;

/// <summary>
/// Temporal's SDK metrics (worker task slots, poll latency, activity execution latency and failures, …) as
/// <see cref="System.Diagnostics.Metrics"/> instruments of the meter <c>Temporal</c>, so one Prometheus endpoint serves
/// them next to ExportFlows' own.
/// </summary>
public sealed class DiagnosticsMetricMeter : ICustomMetricMeter
{
    public const string MeterName = "Temporal";

    private static readonly Meter Meter = new(MeterName);

    public ICustomMetricCounter<T> CreateCounter<T>(string name, string? unit, string? description) where T : struct =>
        new CounterBridge<T>(Meter.CreateCounter<T>(name, unit, description));

    public ICustomMetricHistogram<T> CreateHistogram<T>(string name, string? unit, string? description) where T : struct =>
        new HistogramBridge<T>(Meter.CreateHistogram<T>(name, unit, description));

    public ICustomMetricGauge<T> CreateGauge<T>(string name, string? unit, string? description) where T : struct =>
        new GaugeBridge<T>(Meter.CreateGauge<T>(name, unit, description));

    public object CreateTags(object? appendFrom, IReadOnlyCollection<KeyValuePair<string, object>> tags)
    {
        var merged = appendFrom is KeyValuePair<string, object?>[] previous ? previous.ToList() : [];
        foreach (var tag in tags)
        {
            merged.RemoveAll(t => t.Key == tag.Key);
            merged.Add(new KeyValuePair<string, object?>(tag.Key, tag.Value));
        }
        return merged.ToArray();
    }

    private static ReadOnlySpan<KeyValuePair<string, object?>> Tags(object tags) => tags as KeyValuePair<string, object?>[] ?? [];

    private sealed class CounterBridge<T>(Counter<T> counter) : ICustomMetricCounter<T> where T : struct
    {
        public void Add(T value, object tags) => counter.Add(value, Tags(tags));
    }

    private sealed class HistogramBridge<T>(Histogram<T> histogram) : ICustomMetricHistogram<T> where T : struct
    {
        public void Record(T value, object tags) => histogram.Record(value, Tags(tags));
    }

    private sealed class GaugeBridge<T>(Gauge<T> gauge) : ICustomMetricGauge<T> where T : struct
    {
        public void Set(T value, object tags) => gauge.Record(value, Tags(tags));
    }
}

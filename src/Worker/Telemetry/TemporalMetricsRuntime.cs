using Temporalio.Runtime;

namespace ExportFlows.Worker.Telemetry;

/// <summary>The one Temporal runtime of the worker process, reporting the SDK's metrics through <see cref="DiagnosticsMetricMeter"/>.</summary>
public static class TemporalMetricsRuntime
{
    private static readonly Lazy<TemporalRuntime> Runtime = new(() => new TemporalRuntime(new TemporalRuntimeOptions
    {
        Telemetry = new TelemetryOptions
        {
            Metrics = new MetricsOptions
            {
                CustomMetricMeter = new DiagnosticsMetricMeter(),
                CustomMetricMeterOptions = new CustomMetricMeterOptions { HistogramDurationFormat = CustomMetricMeterOptions.DurationFormat.FloatSeconds },
            },
        },
    }));

    public static TemporalRuntime Instance => Runtime.Value;
}

using System.Diagnostics.Metrics;

namespace ExportFlows.Activities.Telemetry;

/// <summary>
/// What the exports did, as <see cref="System.Diagnostics.Metrics"/> instruments of the meter <c>ExportFlows</c>; the
/// worker exports them in Prometheus format on <c>/metrics</c> (names there: <c>exportflows_documents_total</c>, …).
/// </summary>
public static class ExportMetrics
{
    public const string MeterName = "ExportFlows";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Documents by <c>type</c> and <c>outcome</c> (written, skipped, failed) and, when failed, <c>error_type</c>.</summary>
    public static readonly Counter<long> Documents = Meter.CreateCounter<long>("exportflows.documents", description: "documents exported, by type and outcome");

    public static readonly Counter<long> Bytes = Meter.CreateCounter<long>("exportflows.document.bytes", unit: "By", description: "bytes of documents written, by type");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("exportflows.export.duration", unit: "s", description: "duration of one export attempt, by type and outcome");

    public static readonly Counter<long> Queries = Meter.CreateCounter<long>("exportflows.warehouse.queries", description: "warehouse queries, by query and outcome");

    public static readonly Histogram<double> QueryDuration = Meter.CreateHistogram<double>("exportflows.warehouse.query.duration", unit: "s", description: "duration of warehouse queries, by query");

    public static void Exported(string type, string outcome, long bytes, TimeSpan elapsed, string? errorType = null)
    {
        var tags = new KeyValuePair<string, object?>[] { new("type", type), new("outcome", outcome), new("error_type", errorType ?? "") };
        Documents.Add(1, tags);
        Duration.Record(elapsed.TotalSeconds, tags[0], tags[1]);
        if (bytes > 0)
        {
            Bytes.Add(bytes, tags[0]);
        }
    }

    public static void Queried(string query, bool succeeded, TimeSpan elapsed)
    {
        Queries.Add(1, new("query", query), new("outcome", succeeded ? "ok" : "failed"));
        QueryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("query", query));
    }
}

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

    /// <summary>
    /// The cost of exports, by type, from the warehouse's own figures (<see cref="Workflows.Contracts.ExportCost"/>):
    /// queries on either warehouse; bytes processed and billed, slot time and cache hits as BigQuery reports them (never
    /// recorded for DuckDB, which bills nothing); rows read on either, table-file bytes parsed on DuckDB. Prometheus names:
    /// <c>exportflows_export_queries_total</c>, <c>exportflows_bigquery_billed_bytes_total</c>,
    /// <c>exportflows_bigquery_processed_bytes_total</c>, <c>exportflows_bigquery_slot_milliseconds_total</c>,
    /// <c>exportflows_bigquery_cache_hits_total</c>, <c>exportflows_warehouse_rows_read_total</c>, <c>exportflows_duckdb_file_read_bytes_total</c>.
    /// </summary>
    public static readonly Counter<long> ExportQueries = Meter.CreateCounter<long>("exportflows.export.queries", description: "warehouse queries run by exports, by type");

    public static readonly Counter<long> BytesBilled = Meter.CreateCounter<long>("exportflows.bigquery.billed", unit: "By", description: "BigQuery bytes billed for the queries of exports, by type");

    public static readonly Counter<long> BytesProcessed = Meter.CreateCounter<long>("exportflows.bigquery.processed", unit: "By", description: "BigQuery bytes processed by the queries of exports, by type");

    public static readonly Counter<long> SlotTime = Meter.CreateCounter<long>("exportflows.bigquery.slot", unit: "ms", description: "BigQuery slot milliseconds of the queries of exports, by type");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>("exportflows.bigquery.cache_hits", description: "BigQuery queries of exports answered from BigQuery's cache, by type");

    public static readonly Counter<long> RowsRead = Meter.CreateCounter<long>("exportflows.warehouse.rows_read", description: "rows the queries of exports answered, by type");

    public static readonly Counter<long> FileBytesRead = Meter.CreateCounter<long>("exportflows.duckdb.file.read", unit: "By", description: "bytes of DuckDB table files parsed for the queries of exports, by type");

    /// <summary>Objects uploaded to the store, by type: one per write that reached the store (a skip or an identical retry uploads nothing).</summary>
    public static readonly Counter<long> Uploads = Meter.CreateCounter<long>("exportflows.uploads", description: "objects uploaded to the store, by type");

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

    /// <summary>Adds what one export (or a backfill span, as type <c>backfill</c>) spent; figures the warehouse did not report are not recorded.</summary>
    public static void Spent(string type, Workflows.Contracts.ExportCost cost)
    {
        var tag = new KeyValuePair<string, object?>("type", type);
        if (cost.Queries == 0)
        {
            return;
        }
        ExportQueries.Add(cost.Queries, tag);
        RowsRead.Add(cost.RowsRead, tag);
        Add(BytesBilled, cost.BytesBilled, tag);
        Add(BytesProcessed, cost.BytesProcessed, tag);
        Add(SlotTime, cost.SlotMs, tag);
        Add(CacheHits, cost.CacheHits, tag);
        Add(FileBytesRead, cost.FileBytesRead, tag);
    }

    /// <summary>One upload; its bytes are counted in <see cref="Bytes"/> (<c>exportflows_document_bytes_total</c>).</summary>
    public static void Uploaded(string type) => Uploads.Add(1, new KeyValuePair<string, object?>("type", type));

    private static void Add(Counter<long> counter, long? value, KeyValuePair<string, object?> tag)
    {
        if (value is { } known)
        {
            counter.Add(known, tag);
        }
    }

    public static void Queried(string query, bool succeeded, TimeSpan elapsed)
    {
        Queries.Add(1, new("query", query), new("outcome", succeeded ? "ok" : "failed"));
        QueryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("query", query));
    }
}

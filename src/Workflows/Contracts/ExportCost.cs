using System.Text.Json.Serialization;

namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// What an export spent in the warehouse, summed over its queries. <paramref name="Source"/> says whose figures they
/// are: <c>bigquery</c> (the job statistics BigQuery returns: <paramref name="BytesProcessed"/>, <paramref name="BytesBilled"/>,
/// <paramref name="SlotMs"/>, <paramref name="CacheHits"/>, <paramref name="JobIds"/>), <c>duckdb</c> (what the embedded
/// warehouse measures itself: <paramref name="RowsRead"/> and <paramref name="FileBytesRead"/>, the table files parsed; it
/// bills nothing), <c>none</c> when no query ran. A figure the source does not have is null, never an invented zero.
/// Snake_case names: it travels in activity results as JSON.
/// </summary>
public sealed record ExportCost(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("rows_read")] long RowsRead,
    [property: JsonPropertyName("bytes_processed")] long? BytesProcessed = null,
    [property: JsonPropertyName("bytes_billed")] long? BytesBilled = null,
    [property: JsonPropertyName("slot_ms")] long? SlotMs = null,
    [property: JsonPropertyName("cache_hits")] int? CacheHits = null,
    [property: JsonPropertyName("file_bytes_read")] long? FileBytesRead = null,
    [property: JsonPropertyName("job_ids")] IReadOnlyList<string>? JobIds = null)
{
    public const string BigQuery = "bigquery";
    public const string DuckDb = "duckdb";
    public const string NoQuery = "none";

    /// <summary>No query ran (a document left as it was because its inputs did not change).</summary>
    public static ExportCost Nothing { get; } = new(NoQuery, 0, 0);

    /// <summary>One BigQuery job, with the statistics BigQuery gave for it (null where it gave none).</summary>
    public static ExportCost BigQueryJob(string jobId, long rows, long? bytesProcessed, long? bytesBilled, long? slotMs, bool? cacheHit) =>
        new(BigQuery, 1, rows, bytesProcessed, bytesBilled, slotMs, cacheHit is null ? null : cacheHit.Value ? 1 : 0, JobIds: [jobId]);

    /// <summary>One DuckDB query: the rows it answered and the bytes of the table files it had to parse first.</summary>
    public static ExportCost DuckDbQuery(long rows, long fileBytesRead) => new(DuckDb, 1, rows, FileBytesRead: fileBytesRead);

    /// <summary>The sum; a figure stays null only when neither side has it.</summary>
    public ExportCost Add(ExportCost other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var source = Source == other.Source || other.Source == NoQuery ? Source : Source == NoQuery ? other.Source : $"{Source}+{other.Source}";
        return new(source, Queries + other.Queries, RowsRead + other.RowsRead,
            Plus(BytesProcessed, other.BytesProcessed), Plus(BytesBilled, other.BytesBilled), Plus(SlotMs, other.SlotMs),
            CacheHits is null && other.CacheHits is null ? null : (CacheHits ?? 0) + (other.CacheHits ?? 0),
            Plus(FileBytesRead, other.FileBytesRead),
            JobIds is null && other.JobIds is null ? null : [.. JobIds ?? [], .. other.JobIds ?? []]);
    }

    /// <summary>The sum of the known costs, or null when none is known.</summary>
    public static ExportCost? Sum(IEnumerable<ExportCost?> costs) =>
        costs.OfType<ExportCost>().Aggregate((ExportCost?)null, (total, cost) => total is null ? cost : total.Add(cost));

    private static long? Plus(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}

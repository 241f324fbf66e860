namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// What to export. <paramref name="Types"/> holds export type names or group names; <paramref name="Date"/> is the
/// target date (YYYY-MM-DD, today or yesterday; default today in America/New_York); <paramref name="AsOf"/> anchors
/// the performance windows (default: the America/New_York date of the run). <paramref name="Force"/> replaces documents
/// even when they were generated later than this run's clock; <paramref name="AllowEmpty"/> publishes a document
/// although an input table or catalog it depends on is empty. <paramref name="UpdateLatest"/> (default true) and
/// <paramref name="Options"/> (per type, as the catalog declares them, e.g. <c>min_games</c>) are passed to the exporters;
/// <paramref name="MinGames"/> is the older spelling of <c>min_games</c>. An event sets <paramref name="SkipReasons"/> (types
/// of the request it does not run, each reported skipped with its reason: a false condition) and <paramref name="RunAfter"/>
/// (its fixed order: a type waits for these types of the run to end, without bringing them in).
/// </summary>
public sealed record ExportRequest(
    IReadOnlyList<string> Types,
    string? Date = null,
    string? AsOf = null,
    string Trigger = "manual",
    string? CorrelationId = null,
    bool Force = false,
    bool AllowEmpty = false,
    bool? UpdateLatest = null,
    int? MinGames = null,
    IReadOnlyDictionary<string, long>? Options = null,
    IReadOnlyDictionary<string, string>? SkipReasons = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? RunAfter = null);

/// <summary>One exporter run: the input of an export activity. <paramref name="GeneratedAt"/> comes from the workflow clock.</summary>
public sealed record ExportJob(
    string Type,
    DateOnly? TargetDate,
    DateOnly? AsOfDate,
    DateTimeOffset GeneratedAt,
    string? CorrelationId = null,
    bool Force = false,
    bool AllowEmpty = false)
{
    /// <summary>
    /// A fixed-path document recomputed on a clock: leave the published one (reported skipped, no query run) when none
    /// of its input tables changed since it was computed for the same as-of date. <see cref="Force"/> always rebuilds.
    /// </summary>
    public bool SkipWhenInputsUnchanged { get; init; }
}

/// <summary>What an export activity wrote; <paramref name="SkippedReason"/> is set when it left the published document in place (a newer one, or its inputs unchanged).</summary>
public sealed record ExportedObject(
    string Type,
    string ObjectName,
    long Bytes,
    string CacheControl,
    string? Generation,
    int Attempt,
    string? SkippedReason = null)
{
    /// <summary>What building the document spent in the warehouse; null where it was not measured.</summary>
    public ExportCost? Cost { get; init; }

    /// <summary>Why a document that could have been skipped was rebuilt (which of its inputs changed); null otherwise.</summary>
    public string? RebuiltBecause { get; init; }
}

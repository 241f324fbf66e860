namespace ExportFlows.Workflows.Contracts;

/// <summary>
/// What to export. <paramref name="Types"/> holds export type names or group names; <paramref name="Date"/> is the
/// target date (YYYY-MM-DD, today or yesterday; default today in America/New_York); <paramref name="AsOf"/> anchors
/// the performance windows (default: the America/New_York date of the run).
/// </summary>
public sealed record ExportRequest(
    IReadOnlyList<string> Types,
    string? Date = null,
    string? AsOf = null,
    string Trigger = "manual",
    string? CorrelationId = null);

/// <summary>One exporter run: the input of an export activity. <paramref name="GeneratedAt"/> comes from the workflow clock.</summary>
public sealed record ExportJob(
    string Type,
    DateOnly? TargetDate,
    DateOnly? AsOfDate,
    DateTimeOffset GeneratedAt,
    string? CorrelationId = null);

/// <summary>What an export activity wrote.</summary>
public sealed record ExportedObject(
    string Type,
    string ObjectName,
    long Bytes,
    string CacheControl,
    string? Generation,
    int Attempt);

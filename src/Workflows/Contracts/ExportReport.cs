namespace ExportFlows.Workflows.Contracts;

public static class ExportStatus
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>The outcome of one export type in a run.</summary>
public sealed record ExportOutcome(
    string Type,
    string Status,
    string? ObjectName,
    long Bytes,
    int Attempts,
    double DurationSeconds,
    string? Error = null,
    string? ErrorType = null);

/// <summary>
/// What a run wrote and what failed, in request order; <paramref name="Store"/> and <paramref name="Warehouse"/> say
/// where the process that ran the exports wrote and read (on Temporal: the worker's).
/// </summary>
public sealed record ExportReport(
    string? TargetDate,
    string? AsOfDate,
    string Trigger,
    IReadOnlyList<ExportOutcome> Exports,
    string? WorkflowId = null,
    string? RunId = null,
    string? Store = null,
    string? Warehouse = null)
{
    public bool Succeeded => Exports.All(e => e.Status != ExportStatus.Failed);

    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ExportOutcome> Failures => Exports.Where(e => e.Status == ExportStatus.Failed);

    public string Summary()
    {
        var failed = Failures.Select(f => $"{f.Type}: {f.Error}").ToList();
        var written = Exports.Count(e => e.Status == ExportStatus.Succeeded);
        return failed.Count == 0
            ? $"{written} of {Exports.Count} exports written"
            : $"{failed.Count} of {Exports.Count} exports failed ({string.Join("; ", failed)}); {written} written";
    }
}

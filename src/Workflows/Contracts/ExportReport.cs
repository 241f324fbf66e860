namespace ExportFlows.Workflows.Contracts;

public static class ExportStatus
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";

    /// <summary>The type is not enabled for ExportFlows (ExportFlows__EnabledTypes): nothing was started.</summary>
    public const string NotEnabled = "not-enabled";

    /// <summary>A hard dependency did not succeed, or a value the row takes was not given: nothing was started.</summary>
    public const string NotRun = "not-run";
}

/// <summary>
/// The outcome of one export type in a run. <paramref name="Objects"/> lists the objects the exporter wrote
/// (<paramref name="ObjectName"/> is the first, <paramref name="Bytes"/> the sum of the sizes it reported; an exporter
/// lists at most 1,000 and gives the total in <see cref="TotalObjects"/>). <paramref name="Attempts"/> is 0 where it
/// is not known (an external export's success carries no attempt number).
/// </summary>
public sealed record ExportOutcome(
    string Type,
    string Status,
    string? ObjectName,
    long Bytes,
    int Attempts,
    double DurationSeconds,
    string? Error = null,
    string? ErrorType = null,
    IReadOnlyList<ExportActivityObject>? Objects = null)
{
    /// <summary>The exporter's total when it wrote more objects than it listed.</summary>
    public long? TotalObjects { get; init; }

    /// <summary>How many objects the export wrote.</summary>
    public long ObjectCount => TotalObjects ?? Objects?.Count ?? (Status == ExportStatus.Succeeded && ObjectName is not null ? 1 : 0);

    /// <summary>What the export spent in the warehouse (its successful attempt); null where not measured (external types, failures).</summary>
    public ExportCost? Cost { get; init; }

    /// <summary>The named values the row's result carried for later rows (catalog <c>values</c>); null when none.</summary>
    public IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Values { get; init; }

    /// <summary>Whether the row is a step (writes no document).</summary>
    public bool Step { get; init; }

    /// <summary>What the exporter says it did beyond the status, e.g. why a skippable document was rebuilt.</summary>
    public string? Note { get; init; }
}

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
    /// <summary>The fingerprint of the catalog the run used (null before catalogs, and for in-process runs of the shipped one).</summary>
    public string? Catalog { get; init; }

    public bool Succeeded => Exports.All(e => e.Status is not (ExportStatus.Failed or ExportStatus.NotRun));

    /// <summary>The run's total warehouse cost: the sum of the exports' measured costs.</summary>
    public ExportCost? Cost => ExportCost.Sum(Exports.Select(e => e.Cost));

    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<ExportOutcome> Failures => Exports.Where(e => e.Status is ExportStatus.Failed or ExportStatus.NotRun);

    public string Summary()
    {
        var failed = Failures.Select(f => $"{f.Type}: {f.Error}").ToList();
        var written = Exports.Count(e => e.Status == ExportStatus.Succeeded);
        var notEnabled = Exports.Where(e => e.Status == ExportStatus.NotEnabled).Select(e => e.Type).ToList();
        var counted = Exports.Count - notEnabled.Count;
        var tail = notEnabled.Count == 0 ? "" : $"; not enabled: {string.Join(", ", notEnabled)}";
        return failed.Count == 0
            ? $"{written} of {counted} exports written{tail}"
            : $"{failed.Count} of {counted} exports failed ({string.Join("; ", failed)}); {written} written{tail}";
    }
}

using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Contracts;

/// <summary>Builds the report both engines return, in request order, with disabled types as skipped and not-enabled ones as such.</summary>
public static class ExportReportBuilder
{
    /// <summary>Written, or skipped (a newer document, or inputs unchanged) with the reason; either way with what it cost.</summary>
    public static ExportOutcome Success(ExportedObject written, int attempts, TimeSpan duration)
    {
        var seconds = Math.Round(duration.TotalSeconds, 3);
        var outcome = written.SkippedReason is { } reason
            ? new ExportOutcome(written.Type, ExportStatus.Skipped, written.ObjectName, 0, attempts, seconds, reason)
            : new ExportOutcome(written.Type, ExportStatus.Succeeded, written.ObjectName, written.Bytes, attempts, seconds);
        return outcome with { Cost = written.Cost };
    }

    public static ExportOutcome Failure(string type, int attempts, TimeSpan duration, string error, string? errorType) =>
        new(type, ExportStatus.Failed, null, 0, attempts, Math.Round(duration.TotalSeconds, 3), error, errorType);

    /// <summary>
    /// The outcome of an external export, after checking the result against the contract: the type it answers for,
    /// object names relative to the bucket, no objects when skipped. A result that breaks it fails with <c>ContractViolation</c>.
    /// </summary>
    public static ExportOutcome External(string type, ExternalExportResult? result, TimeSpan duration)
    {
        if (ContractProblem(type, result) is { } problem)
        {
            return Failure(type, 0, duration, $"the external worker's result breaks the contract: {problem}", ExportErrorTypes.ContractViolation);
        }
        var objects = result!.Objects;
        var seconds = Math.Round(duration.TotalSeconds, 3);
        return result.SkippedReason is { } reason
            ? new(type, ExportStatus.Skipped, null, 0, 0, seconds, reason, Objects: objects)
            : new(type, ExportStatus.Succeeded, objects.FirstOrDefault()?.Name, objects.Sum(o => o.Bytes ?? 0), 0, seconds, Objects: objects);
    }

    private static string? ContractProblem(string type, ExternalExportResult? result)
    {
        if (result is null || result.Objects is null)
        {
            return "no result, or no objects list";
        }
        if (result.ExportType != type)
        {
            return $"export_type '{result.ExportType}' answers a request for '{type}'";
        }
        if (result.Objects.FirstOrDefault(o => string.IsNullOrWhiteSpace(o?.Name) || o.Name.Contains("://", StringComparison.Ordinal) || o.Name.StartsWith('/')) is { } bad)
        {
            return $"object name '{bad?.Name}' is not relative to the bucket (expected v1/…)";
        }
        if (result.Objects.Any(o => o.Bytes < 0))
        {
            return "negative bytes";
        }
        return result.SkippedReason is not null && result.Objects.Count > 0 ? "skipped_reason set although objects were written" : null;
    }

    public static ExportReport Build(ExportPlan plan, IEnumerable<ExportOutcome> ran, string? workflowId = null, string? runId = null)
    {
        var byType = ran.ToDictionary(o => o.Type, StringComparer.Ordinal);
        var order = plan.Requested.Count > 0 ? plan.Requested : plan.Types;
        var outcomes = order
            .Select(t => byType.TryGetValue(t, out var o) ? o
                : plan.NotEnabledTypes.Contains(t) ? new ExportOutcome(t, ExportStatus.NotEnabled, null, 0, 0, 0, ExportPlanner.NotEnabledReason)
                : new ExportOutcome(t, ExportStatus.Skipped, null, 0, 0, 0, "disabled by configuration"))
            .ToList();
        return new ExportReport(
            plan.TargetDate is { } d ? ExportDates.ToText(d) : null,
            plan.AsOfDate is { } a ? ExportDates.ToText(a) : null,
            plan.Trigger, outcomes, workflowId, runId);
    }
}

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
        return outcome with { Cost = written.Cost, Note = written.RebuiltBecause is { } why ? "rebuilt: " + why : null };
    }

    /// <summary>A failed export; no worker taking the task (<see cref="ExportErrorTypes.NoExternalWorker"/>) means no attempt ran: 0 (shown as -).</summary>
    public static ExportOutcome Failure(string type, int attempts, TimeSpan duration, string error, string? errorType) =>
        new(type, ExportStatus.Failed, null, 0, errorType == ExportErrorTypes.NoExternalWorker ? 0 : attempts, Math.Round(duration.TotalSeconds, 3), error, errorType);

    /// <summary>The outcome of an export whose result passed <see cref="ExportResultCheck"/>.</summary>
    public static ExportOutcome FromResult(ExportActivityResult result, TimeSpan duration)
    {
        var objects = result.Objects;
        var seconds = Math.Round(duration.TotalSeconds, 3);
        var attempts = result.Attempt ?? 0;
        return result.SkippedReason is { } reason
            ? new(result.ExportType, ExportStatus.Skipped, null, 0, attempts, seconds, reason, Objects: objects) { Cost = result.Cost, Values = result.Values }
            : new(result.ExportType, ExportStatus.Succeeded, objects.FirstOrDefault()?.Name, objects.Sum(o => o.Bytes ?? 0), attempts, seconds, Objects: objects)
            {
                TotalObjects = result.ObjectCount,
                Cost = result.Cost,
                Values = result.Values,
                Note = result.Note,
            };
    }

    /// <summary>A result that breaks the contract fails its export (never the workflow), naming the worker's task queue.</summary>
    public static ExportOutcome ContractFailure(string type, string activity, string queue, string problem, TimeSpan duration) =>
        Failure(type, 0, duration, $"the worker on task queue '{queue}' answered {activity} with a result that breaks the contract: {problem}",
            ExportErrorTypes.ContractViolation);

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

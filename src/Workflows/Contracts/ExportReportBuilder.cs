using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Contracts;

/// <summary>Builds the report both engines return, in the plan's type order, with disabled types as skipped.</summary>
public static class ExportReportBuilder
{
    /// <summary>Written, or skipped because a newer document was left in place (not a failure).</summary>
    public static ExportOutcome Success(ExportedObject written, int attempts, TimeSpan duration) => written.SkippedReason is { } reason
        ? new(written.Type, ExportStatus.Skipped, written.ObjectName, 0, attempts, Math.Round(duration.TotalSeconds, 3), reason)
        : new(written.Type, ExportStatus.Succeeded, written.ObjectName, written.Bytes, attempts, Math.Round(duration.TotalSeconds, 3));

    public static ExportOutcome Failure(string type, int attempts, TimeSpan duration, string error, string? errorType) =>
        new(type, ExportStatus.Failed, null, 0, attempts, Math.Round(duration.TotalSeconds, 3), error, errorType);

    public static ExportReport Build(ExportPlan plan, IEnumerable<ExportOutcome> ran, string? workflowId = null, string? runId = null)
    {
        var byType = ran.ToDictionary(o => o.Type, StringComparer.Ordinal);
        var outcomes = plan.Types
            .Select(t => byType.TryGetValue(t, out var o) ? o : new ExportOutcome(t, ExportStatus.Skipped, null, 0, 0, 0, "disabled by configuration"))
            .ToList();
        return new ExportReport(
            plan.TargetDate is { } d ? ExportDates.ToText(d) : null,
            plan.AsOfDate is { } a ? ExportDates.ToText(a) : null,
            plan.Trigger, outcomes, workflowId, runId);
    }
}

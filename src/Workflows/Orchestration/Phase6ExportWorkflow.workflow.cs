using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// Runs one export request with the catalog recorded for the run: one activity per export type, all in parallel, each
/// with its row's options and on its row's task queue (native rows on this worker's, external rows on the external
/// queue, a worker of the original code base). Types not enabled for ExportFlows are reported and never started. Completes
/// with the report when every export was written; otherwise fails with <c>ExportsFailed</c> carrying the full report,
/// after every other export has finished.
/// </summary>
[Workflow]
public class Phase6ExportWorkflow
{
    /// <summary>Set by Temporal on every workflow a schedule starts.</summary>
    public static readonly Temporalio.Common.SearchAttributeKey<DateTimeOffset> ScheduledStartTime =
        Temporalio.Common.SearchAttributeKey.CreateDateTimeOffset("TemporalScheduledStartTime");

    /// <summary>Marks executions that run every export through <see cref="ExportLane"/> with the recorded catalog.</summary>
    public const string OneLanePatch = "catalog-one-lane";

    /// <summary>Marks executions that refuse a request judged invalid without the catalog before reading configuration.</summary>
    public const string CheckedFirstPatch = "request-checked-first";

    [WorkflowRun]
    public async Task<ExportReport> RunAsync(ExportRequest request)
    {
        // Executions recorded before the catalog checked the request before reading configuration; those replay so.
        var oneLane = Workflow.Patched(OneLanePatch);
        if (!oneLane)
        {
            PlanOrFail(ExportCatalog.Recorded, request, disabledTypes: null, enabledTypes: null);
        }
        else if (Workflow.Patched(CheckedFirstPatch))
        {
            Guard(() => ExportPlanner.CheckWithoutCatalog(request, DatesAt()));
        }
        var configuration = await ExportConfiguration.ReadAsync();
        var catalog = configuration.EffectiveCatalog;
        // Executions recorded before EnabledTypes existed read no list, and ran every (native) type they were asked for.
        var enabled = configuration.EnabledTypes?.ToHashSet(StringComparer.Ordinal);
        var plan = PlanOrFail(catalog, request, configuration.DisabledTypes.ToHashSet(StringComparer.Ordinal), enabled);
        Workflow.UpsertTypedSearchAttributes(SearchAttributeUpdates(plan));
        Workflow.CurrentDetails = RunMetadata.Details(("exports", string.Join(", ", plan.Jobs.Select(j => j.Type))), ("not enabled", string.Join(", ", plan.NotEnabledTypes)),
            ("store", configuration.Store), ("warehouse", configuration.Warehouse), ("catalog", $"{catalog.Source} ({catalog.Fingerprint})"));
        Workflow.Logger.LogInformation("Exporting {Types} for {Date} (trigger {Trigger}; catalog {Catalog}; not enabled: {NotEnabled})",
            string.Join(",", plan.Types), plan.TargetDate is { } target ? ExportDates.ToText(target) : "no date", plan.Trigger,
            catalog.Fingerprint, string.Join(",", plan.NotEnabledTypes));

        var outcomes = await ExportGraph.RunAsync(plan, catalog.Get, (job, ended) =>
        {
            var row = catalog.Get(job.Type);
            return oneLane ? ExportLane.RunAsync(row, plan, job, configuration, ended)
                : row.IsExternal ? LegacyExportLanes.ExternalAsync(row, plan, job, configuration)
                : LegacyExportLanes.NativeAsync(row, job);
        }, tasks => Workflow.WhenAllAsync(tasks));
        var report = ExportReportBuilder.Build(plan, outcomes, Workflow.Info.WorkflowId, Workflow.Info.RunId) with
        {
            Store = configuration.Store,
            Warehouse = configuration.Warehouse,
            Catalog = configuration.Catalog?.Fingerprint,
        };
        Workflow.CurrentDetails += "\n**result**: " + report.Summary();
        if (!report.Succeeded)
        {
            throw new ApplicationFailureException(report.Summary(), ExportErrorTypes.ExportsFailed, nonRetryable: true, details: [report]);
        }
        return report;
    }

    private static ExportPlan PlanOrFail(ExportCatalog catalog, ExportRequest request, IReadOnlySet<string>? disabledTypes, IReadOnlySet<string>? enabledTypes) =>
        Guard(() => ExportPlanner.Plan(catalog, request, Workflow.UtcNow, disabledTypes, ScheduledAt(), enabledTypes));

    /// <summary>A scheduled run resolves today/yesterday against its scheduled time, so a late or caught-up run exports the right date.</summary>
    private static DateTimeOffset? ScheduledAt() =>
        Workflow.TypedSearchAttributes.TryGetValue(ScheduledStartTime, out var scheduled) && scheduled != default ? scheduled : null;

    private static DateTimeOffset DatesAt() => ScheduledAt() ?? Workflow.UtcNow;

    private static void Guard(Action check) => Guard(() =>
    {
        check();
        return 0;
    });

    private static T Guard<T>(Func<T> plan)
    {
        try
        {
            return plan();
        }
        catch (InvalidExportRequestException ex)
        {
            throw new ApplicationFailureException(ex.Message, ExportErrorTypes.InvalidRequest, nonRetryable: true);
        }
    }

    private static Temporalio.Workflows.SearchAttributeUpdate[] SearchAttributeUpdates(ExportPlan plan)
    {
        var updates = new List<Temporalio.Workflows.SearchAttributeUpdate>
        {
            ExportSearchAttributes.ExportTypes.ValueSet(plan.Types.ToList()),
            ExportSearchAttributes.ExportTrigger.ValueSet(plan.Trigger),
        };
        if (ExportSearchAttributes.DateOf(plan) is { } date)
        {
            updates.Add(ExportSearchAttributes.ExportDate.ValueSet(date));
        }
        return updates.ToArray();
    }
}

using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// Runs one export request: one activity per export type, native and external together, all in parallel, each with
/// its own options. Native exporters run on this worker's task queue; external ones on the configured external queue
/// (a worker of the original code base). Types not enabled for ExportFlows are reported and never started. Completes
/// with the report when every export was written; otherwise fails with <c>ExportsFailed</c> carrying the full report,
/// after every other export has finished.
/// </summary>
[Workflow]
public class Phase6ExportWorkflow
{
    /// <summary>Set by Temporal on every workflow a schedule starts.</summary>
    public static readonly Temporalio.Common.SearchAttributeKey<DateTimeOffset> ScheduledStartTime =
        Temporalio.Common.SearchAttributeKey.CreateDateTimeOffset("TemporalScheduledStartTime");

    [WorkflowRun]
    public async Task<ExportReport> RunAsync(ExportRequest request)
    {
        var plan = PlanOrFail(request, disabledTypes: null, enabledTypes: null);
        // Configuration may switch types off without a code change; asked only once the request is known to be valid.
        var configuration = await ExportConfiguration.ReadAsync();
        // Executions recorded before EnabledTypes existed read no list, and ran every (native) type they were asked for.
        var enabled = configuration.EnabledTypes?.ToHashSet(StringComparer.Ordinal);
        if (configuration.DisabledTypes.Count > 0 || enabled is not null)
        {
            plan = PlanOrFail(request, configuration.DisabledTypes.ToHashSet(StringComparer.Ordinal), enabled);
        }
        Workflow.UpsertTypedSearchAttributes(SearchAttributeUpdates(plan));
        Workflow.Logger.LogInformation("Exporting {Types} for {Date} (trigger {Trigger}; not enabled: {NotEnabled})",
            string.Join(",", plan.Types), plan.TargetDate is { } target ? ExportDates.ToText(target) : "no date", plan.Trigger,
            string.Join(",", plan.NotEnabledTypes));

        var outcomes = await Workflow.WhenAllAsync(plan.Jobs.Select(job => ExportTypeCatalog.IsExternal(job.Type)
            ? ExternalExport.RunAsync(plan, job, configuration)
            : RunExportAsync(job)));
        var report = ExportReportBuilder.Build(plan, outcomes, Workflow.Info.WorkflowId, Workflow.Info.RunId) with
        {
            Store = configuration.Store,
            Warehouse = configuration.Warehouse,
        };
        if (!report.Succeeded)
        {
            throw new ApplicationFailureException(report.Summary(), ExportErrorTypes.ExportsFailed, nonRetryable: true, details: [report]);
        }
        return report;
    }

    private static ExportPlan PlanOrFail(ExportRequest request, IReadOnlySet<string>? disabledTypes, IReadOnlySet<string>? enabledTypes)
    {
        try
        {
            // A scheduled run resolves today/yesterday against its scheduled time, so a late or caught-up run exports the right date.
            Workflow.TypedSearchAttributes.TryGetValue(ScheduledStartTime, out var scheduled);
            return ExportPlanner.Plan(request, Workflow.UtcNow, disabledTypes, scheduled == default ? null : scheduled, enabledTypes);
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

    private static async Task<ExportOutcome> RunExportAsync(ExportJob job)
    {
        var type = ExportTypeCatalog.GetImplemented(job.Type);
        var policy = ExportActivityPolicies.For(job.Type);
        var started = Workflow.UtcNow;
        try
        {
            var written = await Workflow.ExecuteActivityAsync<ExportedObject>(
                type.ActivityName, [job], policy.ToActivityOptions($"{job.Type} {job.TargetDate ?? job.AsOfDate}"));
            return ExportReportBuilder.Success(written, written.Attempt, Workflow.UtcNow - started);
        }
        catch (ActivityFailureException ex) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var cause = ex.InnerException as ApplicationFailureException;
            Workflow.Logger.LogWarning("Export {Type} failed: {Error}", job.Type, cause?.Message ?? ex.Message);
            return ExportReportBuilder.Failure(job.Type, AttemptsOf(cause, policy), Workflow.UtcNow - started,
                cause?.Message ?? ex.InnerException?.Message ?? ex.Message, cause?.ErrorType ?? ex.InnerException?.GetType().Name);
        }
    }

    /// <summary>The activity reports its attempt in the failure details; a timeout carries none, so the policy's maximum is reported.</summary>
    private static int AttemptsOf(ApplicationFailureException? failure, ExportActivityPolicy policy)
    {
        if (failure?.Details is { Count: > 0 } details)
        {
            try
            {
                return details.ElementAt<int>(0);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
            {
                // Details from an activity that is not ours: fall through.
            }
        }
        return policy.MaximumAttempts;
    }
}

/// <summary>
/// Worker configuration the workflow reads through a local activity. <paramref name="EnabledTypes"/> null (recorded
/// before it existed) runs every requested type; <paramref name="ExternalTaskQueue"/> null is the default queue;
/// <paramref name="ExternalScheduleToStart"/> null takes each type's value from the policy table. <paramref name="Store"/>
/// and <paramref name="Warehouse"/> say where the worker writes and reads (credential-free, e.g. <c>gcs:BUCKET</c>), so a
/// report names the store the documents went to.
/// </summary>
public sealed record ExportConfiguration(
    IReadOnlyList<string> DisabledTypes,
    IReadOnlyList<string>? EnabledTypes = null,
    string? ExternalTaskQueue = null,
    TimeSpan? ExternalScheduleToStart = null,
    string? Store = null,
    string? Warehouse = null)
{
    public const string DefaultExternalTaskQueue = "exportflows-python";

    /// <summary>Reads the worker's configuration from inside a workflow (a local activity, so it is recorded for replay).</summary>
    public static Task<ExportConfiguration> ReadAsync() => Workflow.ExecuteLocalActivityAsync<ExportConfiguration>(
        ExportActivityNames.GetExportConfiguration, [], new LocalActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

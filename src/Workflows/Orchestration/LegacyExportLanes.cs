using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// The two lanes of executions recorded before the catalog (patch <see cref="Phase6ExportWorkflow.OneLanePatch"/>):
/// native activities took an <see cref="ExportJob"/> and returned an <see cref="ExportedObject"/>; external ones took
/// the contract's input and returned its result. Kept so those histories replay; new runs use <see cref="ExportLane"/>.
/// </summary>
internal static class LegacyExportLanes
{
    public static async Task<ExportOutcome> NativeAsync(ExportTypeRow row, ExportJob job)
    {
        var started = Workflow.UtcNow;
        try
        {
            var written = await Workflow.ExecuteActivityAsync<ExportedObject>(
                row.Activity, [job], row.Policy.ToActivityOptions($"{job.Type} {job.TargetDate ?? job.AsOfDate}"));
            return ExportReportBuilder.Success(written, written.Attempt, Workflow.UtcNow - started);
        }
        catch (ActivityFailureException ex) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var cause = ex.InnerException as ApplicationFailureException;
            Workflow.Logger.LogWarning("Export {Type} failed: {Error}", job.Type, cause?.Message ?? ex.Message);
            return ExportReportBuilder.Failure(job.Type, ExportLane.AttemptsOf(cause, row.Policy), Workflow.UtcNow - started,
                cause?.Message ?? ex.InnerException?.Message ?? ex.Message, cause?.ErrorType ?? ex.InnerException?.GetType().Name);
        }
    }

    public static async Task<ExportOutcome> ExternalAsync(ExportTypeRow row, ExportPlan plan, ExportJob job, ExportConfiguration configuration)
    {
        var queue = configuration.EffectiveExternalTaskQueue;
        var options = row.Policy.ToExternalActivityOptions($"{job.Type} {job.TargetDate}", queue, configuration.ExternalScheduleToStart);
        var input = ExportPlanner.Input(row, plan, job, Workflow.Info.WorkflowId);
        var started = Workflow.UtcNow;
        try
        {
            var result = await Workflow.ExecuteActivityAsync<ExportActivityResult>(row.Activity, [input], options);
            return result is null || result.ExportType != row.Name || result.Objects is null
                ? ExportReportBuilder.ContractFailure(row.Name, row.Activity, queue, "no result, or one for another type", Workflow.UtcNow - started)
                : ExportReportBuilder.FromResult(result, Workflow.UtcNow - started) with { Attempts = 0 };
        }
        catch (ActivityFailureException ex) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var (message, errorType) = ExportLane.Describe(ex, row.Activity, queue, options.ScheduleToStartTimeout!.Value);
            Workflow.Logger.LogWarning("External export {Type} failed: {Error}", job.Type, message);
            return ExportReportBuilder.Failure(job.Type, 0, Workflow.UtcNow - started, message, errorType);
        }
    }
}

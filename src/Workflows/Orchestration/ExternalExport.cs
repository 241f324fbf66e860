using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// One external export inside <see cref="Phase6ExportWorkflow"/>: the activity <c>Export…</c> on the external task
/// queue with the contract's JSON input, its result checked against the contract. No worker polling the queue is a
/// failure after the schedule-to-start timeout that names the queue and the activity, not a silent hang.
/// </summary>
public static class ExternalExport
{
    public static async Task<ExportOutcome> RunAsync(ExportPlan plan, ExportJob job, ExportConfiguration configuration)
    {
        var activity = ExportTypeCatalog.GetImplemented(job.Type).ActivityName;
        var policy = ExportActivityPolicies.For(job.Type);
        var queue = string.IsNullOrWhiteSpace(configuration.ExternalTaskQueue) ? ExportConfiguration.DefaultExternalTaskQueue : configuration.ExternalTaskQueue;
        var options = policy.ToExternalActivityOptions($"{job.Type} {job.TargetDate}", queue, configuration.ExternalScheduleToStart);
        var input = ExportPlanner.ExternalInput(plan, job, Workflow.Info.WorkflowId);
        var started = Workflow.UtcNow;
        try
        {
            var result = await Workflow.ExecuteActivityAsync<ExternalExportResult>(activity, [input], options);
            return ExportReportBuilder.External(job.Type, result, Workflow.UtcNow - started);
        }
        catch (ActivityFailureException ex) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var (message, errorType) = Describe(ex, activity, queue, options.ScheduleToStartTimeout!.Value);
            Workflow.Logger.LogWarning("External export {Type} failed: {Error}", job.Type, message);
            return ExportReportBuilder.Failure(job.Type, 0, Workflow.UtcNow - started, message, errorType);
        }
    }

    /// <summary>The report's message and error type for a failed external activity.</summary>
    public static (string Message, string? ErrorType) Describe(ActivityFailureException failure, string activity, string queue, TimeSpan scheduleToStart) =>
        failure.InnerException switch
        {
            TimeoutFailureException { TimeoutType: TimeoutType.ScheduleToStart } =>
                (NoWorkerMessage(activity, queue, scheduleToStart), ExportErrorTypes.NoExternalWorker),
            TimeoutFailureException timeout =>
                ($"{activity} on task queue '{queue}' timed out ({TimeoutName(timeout.TimeoutType)}) after its retries", "Timeout" + TimeoutName(timeout.TimeoutType)),
            ApplicationFailureException application => (application.Message, application.ErrorType),
            { } inner => (inner.Message, inner.GetType().Name),
            null => (failure.Message, null),
        };

    public static string NoWorkerMessage(string activity, string queue, TimeSpan scheduleToStart) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"no worker took {activity} from task queue '{queue}' within {scheduleToStart.TotalSeconds:0} s (schedule-to-start timeout): " +
        $"start the external exporters' worker on '{queue}', or check ExportFlows__ExternalTaskQueue");

    private static string TimeoutName(TimeoutType type) => type switch
    {
        TimeoutType.StartToClose => "StartToClose",
        TimeoutType.ScheduleToClose => "ScheduleToClose",
        TimeoutType.Heartbeat => "Heartbeat",
        TimeoutType.ScheduleToStart => "ScheduleToStart",
        _ => "Unspecified",
    };
}

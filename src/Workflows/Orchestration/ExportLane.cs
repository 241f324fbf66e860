using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Enums.V1;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// One export inside a workflow, native or external alike: the row's activity on the row's task queue with the
/// contract's input, its answer read as raw JSON and checked in plain code (<see cref="ExportResultCheck"/>), so a bad
/// answer from any worker fails that export only. No worker polling the queue is a failure after the schedule-to-start
/// timeout that names the queue and the activity, not a silent hang.
/// </summary>
public static class ExportLane
{
    public static async Task<ExportOutcome> RunAsync(ExportTypeRow row, ExportPlan plan, ExportJob job, ExportConfiguration configuration,
        IReadOnlyDictionary<string, ExportOutcome>? ended = null) =>
        await RunOnceAsync(row, plan, job, configuration, ended) with { Step = row.IsStep };

    private static async Task<ExportOutcome> RunOnceAsync(ExportTypeRow row, ExportPlan plan, ExportJob job, ExportConfiguration configuration,
        IReadOnlyDictionary<string, ExportOutcome>? ended)
    {
        var input = ExportPlanner.Input(row, plan, job, Workflow.Info.WorkflowId, ended);
        var queue = TaskQueue(row, configuration);
        var summary = $"{(row.IsStep ? "step " : "")}{row.Name} {input.TargetDate}";
        var options = row.IsExternal ? row.Policy.ToExternalActivityOptions(summary, queue, configuration.ExternalScheduleToStart)
            : row.Policy.ToActivityOptions(summary);
        options.TaskQueue = queue;
        options.ScheduleToStartTimeout ??= row.Policy.ScheduleToStart;
        var scheduleToStart = options.ScheduleToStartTimeout;
        var started = Workflow.UtcNow;
        try
        {
            var answer = await Workflow.ExecuteActivityAsync<IRawValue>(row.Activity, [input], options);
            var encoding = answer.Payload.Metadata.TryGetValue("encoding", out var value) ? value.ToStringUtf8() : null;
            var outcome = ExportResultCheck.Outcome(encoding, answer.Payload.Data.Span, row, ExportDates.Parse(input.TargetDate, "target date"), queue,
                Workflow.UtcNow - started);
            if (outcome.ErrorType == ExportErrorTypes.ContractViolation)
            {
                Workflow.Logger.LogWarning("Export {Type}: {Problem}", row.Name, outcome.Error);
            }
            return outcome;
        }
        catch (ActivityFailureException ex) when (!Workflow.CancellationToken.IsCancellationRequested)
        {
            var (message, errorType) = Describe(ex, row.Activity, queue, scheduleToStart ?? TimeSpan.Zero);
            Workflow.Logger.LogWarning("Export {Type} failed: {Error}", row.Name, message);
            return ExportReportBuilder.Failure(row.Name, AttemptsOf(ex.InnerException as ApplicationFailureException, row.Policy),
                Workflow.UtcNow - started, message, errorType);
        }
    }

    /// <summary>The row's queue; else a native row runs on this worker's queue and an external one on the configured external queue.</summary>
    public static string TaskQueue(ExportTypeRow row, ExportConfiguration configuration) =>
        row.TaskQueue ?? (row.IsExternal ? configuration.EffectiveExternalTaskQueue : Workflow.Info.TaskQueue);

    /// <summary>The report's message and error type for a failed export activity.</summary>
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
        $"start a worker that serves it on '{queue}', or check the row's task_queue and ExportFlows__ExternalTaskQueue");

    /// <summary>A native activity reports its attempt in the failure details; otherwise the policy's maximum is reported.</summary>
    public static int AttemptsOf(ApplicationFailureException? failure, ExportActivityPolicy policy)
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

    private static string TimeoutName(TimeoutType type) => type switch
    {
        TimeoutType.StartToClose => "StartToClose",
        TimeoutType.ScheduleToClose => "ScheduleToClose",
        TimeoutType.Heartbeat => "Heartbeat",
        TimeoutType.ScheduleToStart => "ScheduleToStart",
        _ => "Unspecified",
    };
}

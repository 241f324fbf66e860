using System.Diagnostics;
using ExportFlows.Activities;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Engines;

/// <summary>
/// Runs the plan's exporters concurrently in this process through the same activity methods the worker hosts, with
/// the same per-type retry policy and timeouts as the Temporal activities (<see cref="ExportActivityPolicies"/>).
/// Every table the request reads is checked first, so a missing table writes nothing. Cancellation stops every export.
/// </summary>
public sealed class InProcessExportEngine(ExportActivities activities, ExportFlowsOptions options, ILogger<InProcessExportEngine> logger) : IExportEngine
{
    public string Name => "in-process";

    /// <summary>Waits between attempts; tests replace it to see the delays without waiting them.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    public async Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken, string? workflowId = null)
    {
        var plan = ExportPlanner.Plan(request, now, options.DisabledTypes.ToHashSet(StringComparer.Ordinal));
        await activities.VerifyTablesAsync(plan.Jobs.Select(j => j.Type), cancellationToken);
        logger.LogInformation("Running {Count} exports in process for {Date}", plan.Jobs.Count, plan.TargetDate);
        var outcomes = await Task.WhenAll(plan.Jobs.Select(job => RunOneAsync(job, cancellationToken)));
        return ExportReportBuilder.Build(plan, outcomes);
    }

    private async Task<ExportOutcome> RunOneAsync(ExportJob job, CancellationToken cancellationToken)
    {
        // Yield first so the exporters really run side by side.
        await Task.Yield();
        var policy = ExportActivityPolicies.For(job.Type);
        var watch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            ApplicationFailureException failure;
            using (var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCancellation.CancelAfter(policy.StartToClose);
                try
                {
                    var written = await activities.RunAsync(job.Type, job, attempt, attemptCancellation.Token);
                    return ExportReportBuilder.Success(written, attempt, watch.Elapsed);
                }
                catch (ApplicationFailureException ex)
                {
                    failure = ex;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new ApplicationFailureException($"attempt {attempt} did not finish within its start-to-close timeout of {policy.StartToClose}", "StartToCloseTimeout");
                }
            }
            if (!policy.MayRetry(attempt, watch.Elapsed, failure.ErrorType, failure.NonRetryable))
            {
                return ExportReportBuilder.Failure(job.Type, attempt, watch.Elapsed, failure.Message, failure.ErrorType);
            }
            var delay = policy.RetryDelay(attempt);
            logger.LogWarning("Export {ExportType} attempt {Attempt} failed ({Error}); retrying in {Delay}", job.Type, attempt, failure.Message, delay);
            await Delay(delay, cancellationToken);
        }
    }
}

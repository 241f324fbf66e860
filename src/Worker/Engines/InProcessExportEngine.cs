using System.Diagnostics;
using ExportFlows.Activities;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Engines;

/// <summary>
/// Runs the plan's exporters concurrently in this process through the same activity methods the worker hosts.
/// Every table the request reads is checked first, so a missing table writes nothing.
/// </summary>
public sealed class InProcessExportEngine(ExportActivities activities, ExportFlowsOptions options, ILogger<InProcessExportEngine> logger) : IExportEngine
{
    public string Name => "in-process";

    public async Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken, string? workflowId = null)
    {
        var plan = ExportPlanner.Plan(request, now, options.DisabledTypes.ToHashSet(StringComparer.Ordinal));
        await activities.VerifyTablesAsync(plan.Jobs.Select(j => j.Type), cancellationToken);
        logger.LogInformation("Running {Count} exports in process for {Date}", plan.Jobs.Count, plan.TargetDate);
        var outcomes = await Task.WhenAll(plan.Jobs.Select(job => RunOneAsync(job)));
        return ExportReportBuilder.Build(plan, outcomes);
    }

    private async Task<ExportOutcome> RunOneAsync(ExportJob job)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            // Yield first so the exporters really run side by side.
            await Task.Yield();
            var written = await activities.RunAsync(job.Type, job);
            return ExportReportBuilder.Success(written, 1, watch.Elapsed);
        }
        catch (ApplicationFailureException ex)
        {
            return ExportReportBuilder.Failure(job.Type, 1, watch.Elapsed, ex.Message, ex.ErrorType);
        }
    }
}

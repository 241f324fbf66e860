using ExportFlows.Activities;
using ExportFlows.Activities.Catalog;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.Engines;

/// <summary>
/// Runs the plan's exporters concurrently in this process (as a graph: each after its dependencies) through the same activity methods the worker hosts, with
/// the same per-type retry policy and timeouts as the Temporal activities (<see cref="ExportActivityPolicies"/>).
/// Every table the request reads is checked first, so a missing table writes nothing. Cancellation stops every export.
/// External types are refused: their worker is reached only through Temporal.
/// </summary>
public sealed class InProcessExportEngine(ExportActivities activities, ExportFlowsOptions options, IExportCatalogSource catalogs, ILogger<InProcessExportEngine> logger)
    : IExportEngine
{
    public string Name => "in-process";

    /// <summary>Waits between attempts; tests replace it to see the delays without waiting them.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    public async Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        RefuseExternal(catalog, request);
        var plan = ExportPlanner.Plan(catalog, request, now, options.DisabledTypes.ToHashSet(StringComparer.Ordinal), enabledTypes: options.EnabledTypeSet(catalog));
        await activities.VerifyTablesAsync(plan.Jobs.Select(j => catalog.Get(j.Type)), cancellationToken);
        logger.LogInformation("Running {Count} exports in process for {Date} (catalog {Catalog})", plan.Jobs.Count, plan.TargetDate, catalog.Fingerprint);
        var outcomes = await ExportGraph.RunAsync(plan, catalog.Get, (job, _) => RunOneAsync(catalog.Get(job.Type), job, cancellationToken), Task.WhenAll);
        return ExportReportBuilder.Build(plan, outcomes) with { Catalog = catalog.Fingerprint };
    }

    /// <summary>External exporters run only on their own worker, which only Temporal reaches: a usage error here.</summary>
    public static void RefuseExternal(ExportCatalog catalog, ExportRequest request)
    {
        var external = ExportPlanner.ExpandTypes(catalog, request.Types).Where(catalog.IsExternal).ToList();
        if (external.Count > 0)
        {
            throw new InvalidExportRequestException(
                $"{string.Join(", ", external)} {(external.Count == 1 ? "is an external type" : "are external types")}: " +
                "the worker of the original exporters serves them through Temporal; run with --temporal HOST:PORT " +
                $"(the in-process engine runs only the catalog's native types: {string.Join(", ", catalog.NativeTypes)})");
        }
    }

    private async Task<ExportOutcome> RunOneAsync(ExportTypeRow row, ExportJob job, CancellationToken cancellationToken)
    {
        // Yield first so the exporters really run side by side.
        await Task.Yield();
        var run = await PolicyAttempts.RunAsync(row.Policy,
            (attempt, ct) => activities.RunAsync(row, job, attempt, ct), Delay,
            (attempt, failure, delay) => logger.LogWarning("Export {ExportType} attempt {Attempt} failed ({Error}); retrying in {Delay}", job.Type, attempt, failure.Message, delay),
            cancellationToken);
        var outcome = run.Failure is { } failure
            ? ExportReportBuilder.Failure(job.Type, run.Attempts, run.Elapsed, failure.Message, failure.ErrorType)
            : ExportReportBuilder.Success(run.Value!, run.Attempts, run.Elapsed);
        return outcome with { Step = row.IsStep };
    }
}

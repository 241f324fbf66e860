using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>What one export type (or a backfill's shared span reads, named by their types) would spend: queries and bytes processed.</summary>
public sealed record ExportEstimate(string Type, ExportCost Cost);

/// <summary>
/// Estimates a request without running it: the exporters build their documents on a <see cref="DryRunWarehouse"/>, so
/// every query a real run would send goes to BigQuery as a dry run (free), and nothing is published. A backfill is
/// estimated as it runs: the date-keyed types of a span from one read per table, a fixed-path type once per date.
/// </summary>
public sealed class ExportEstimator(IEnumerable<SubsetExporter> exporters, SubsetWarehouseReader reader, IWarehouse warehouse, ExportSettings settings)
{
    private readonly Dictionary<string, SubsetExporter> _exporters = exporters.ToDictionary(e => e.Implementation, StringComparer.Ordinal);

    public async Task<IReadOnlyList<ExportEstimate>> EstimateAsync(IReadOnlyList<ExportJob> jobs, CancellationToken cancellationToken)
    {
        await VerifyTablesAsync(jobs.Select(j => j.Type), cancellationToken);
        var estimates = new List<ExportEstimate>();
        foreach (var job in jobs)
        {
            using var meter = ExportCostMeter.Start();
            await Exporter(job.Type).BuildAsync(job, cancellationToken);
            estimates.Add(new(job.Type, meter.Total));
        }
        return estimates;
    }

    public async Task<IReadOnlyList<ExportEstimate>> EstimateBackfillAsync(
        IReadOnlyList<string> types, IReadOnlyList<DateSpan> spans, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        await VerifyTablesAsync(types, cancellationToken);
        var selected = types.Select(t => (Type: t, Exporter: Exporter(t))).ToList();
        var dateKeyed = selected.Where(s => s.Exporter is DateKeyedExporter).ToList();
        var estimates = new List<ExportEstimate>();
        if (dateKeyed.Count > 0)
        {
            var needs = dateKeyed.Select(s => (DateKeyedExporter)s.Exporter).Aggregate(SpanNeeds.None, (all, e) => all | e.Needs);
            using var meter = ExportCostMeter.Start();
            foreach (var span in spans)
            {
                await reader.ReadSpanAsync(needs, span.From, span.To, cancellationToken);
            }
            estimates.Add(new(string.Join(",", dateKeyed.Select(s => s.Type)), meter.Total));
        }
        foreach (var (type, exporter) in selected.Except(dateKeyed))
        {
            using var meter = ExportCostMeter.Start();
            foreach (var date in spans.SelectMany(s => s.Dates))
            {
                await exporter.BuildAsync(new ExportJob(type, date, date, generatedAt), cancellationToken);
            }
            estimates.Add(new(type, meter.Total));
        }
        return estimates;
    }

    /// <summary>A missing table or column is named before any dry run (as a real run checks before it writes).</summary>
    private Task VerifyTablesAsync(IEnumerable<string> types, CancellationToken cancellationToken) =>
        warehouse.VerifyTablesAsync(types.SelectMany(t => Exporter(t).RequiredTables).Distinct(), cancellationToken);

    /// <summary>An estimate is BigQuery's dry run: refused (bad input, nothing created) for any other warehouse.</summary>
    public static void RequireBigQuery(ExportFlowsOptions options)
    {
        if (options.Warehouse is not { } spec || !spec.StartsWith("bigquery:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidExportRequestException(
                $"an estimate needs BigQuery: it sends every query as a BigQuery dry run, which says how many bytes the query would process " +
                $"without running it; {(string.IsNullOrWhiteSpace(options.Warehouse) ? "the embedded sample warehouse (DuckDB)" : $"'{options.Warehouse}'")} has no such estimate. " +
                "Pass --warehouse bigquery:PROJECT (or set ExportFlows__Warehouse)");
        }
    }

    private SubsetExporter Exporter(string type) =>
        settings.Catalog().Get(type) is { IsExternal: false, Implementation: { } name } && _exporters.TryGetValue(name, out var exporter) ? exporter
            : throw new InvalidExportRequestException($"{type} is not a native type of this catalog: an estimate covers the native exporters only");
}

public static class ExportEstimatorServices
{
    /// <summary>The exporters on a dry-run BigQuery warehouse, and the estimator; after <see cref="ServiceCollectionExtensions.AddExportFlows"/>.</summary>
    public static IServiceCollection AddExportEstimates(this IServiceCollection services, ExportFlowsOptions options)
    {
        ExportEstimator.RequireBigQuery(options);
        services.AddSingleton<IWarehouse>(sp => new DryRunWarehouse((BigQueryWarehouse)ServiceCollectionExtensions.CreateWarehouse(
            options, sp.GetRequiredService<ILoggerFactory>(), sp.GetService<IHttpClientFactory>())));
        services.AddSingleton<ExportEstimator>();
        return services;
    }
}

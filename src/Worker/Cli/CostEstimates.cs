using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// <c>export --estimate</c> and <c>backfill --estimate</c>: the request's queries as BigQuery dry runs from this process
/// (its <c>--warehouse</c> or <c>ExportFlows__Warehouse</c>), bytes per export and in total; nothing runs, nothing is
/// written. On any other warehouse: exit 2 (bad input: the option cannot apply there), before anything is created.
/// </summary>
public static class CostEstimates
{
    public static Option<bool> CreateOption(string verb) => new("--estimate")
    {
        Description = $"print the bytes every query of this {verb} would process, from BigQuery dry runs (free) in this process; runs and writes nothing (needs a BigQuery warehouse)",
    };

    public static async Task<int> RunAsync(CliContext context, ParseResult parse, bool json,
        Func<ExportEstimator, Task<IReadOnlyList<ExportEstimate>>> estimate, IReadOnlyList<string>? notEstimated = null)
    {
        var options = context.Options(parse);
        ExportEstimator.RequireBigQuery(options);
        await using var services = context.Services(options, parse.GetValue(context.Verbose), s => s.AddExportEstimates(options));
        var estimates = await estimate(services.GetRequiredService<ExportEstimator>());
        Print(estimates, options.Warehouse!, notEstimated ?? [], context.Output, json);
        return ExitCodes.Success;
    }

    public static void Print(IReadOnlyList<ExportEstimate> estimates, string warehouse, IReadOnlyList<string> notEstimated, TextWriter output, bool json)
    {
        var total = ExportCost.Sum(estimates.Select(e => e.Cost)) ?? ExportCost.Nothing;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new { warehouse, dryRun = true, exports = estimates, total, notEstimated }, ReportPrinter.JsonOptions));
            return;
        }
        var rows = estimates.Select(e => (e.Type, e.Cost)).Append(("total", total))
            .Select(r => new[] { r.Item1, r.Item2.Queries.ToString(CultureInfo.InvariantCulture), Bytes(r.Item2.BytesProcessed) }).ToList();
        string[] header = ["TYPE", "QUERIES", "BYTES PROCESSED (ESTIMATE)"];
        ReportPrinter.WriteTable(output, header, rows);
        foreach (var type in notEstimated)
        {
            output.WriteLine($"{type}: not estimated (an external exporter runs its own queries)");
        }
        output.WriteLine($"estimated with BigQuery dry runs on {warehouse}: nothing ran, nothing was written or billed. A run bills at least " +
            "10 MiB per table a query reads and nothing for a cached answer, so its bytes billed can differ from these bytes processed.");
    }

    private static string Bytes(long? bytes) => bytes is { } known ? $"{ByteSize.Text(known)} ({known.ToString(CultureInfo.InvariantCulture)} bytes)" : "-";
}

using System.CommandLine;
using System.Globalization;
using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Worker.Engines;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows export</c>: runs one export request and prints the report.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "target date YYYY-MM-DD, today or yesterday (America/New_York; default today)" };
        var types = new Option<string?>("--types") { Description = "comma-separated export types or groups of the catalog (default subset-all; 'exportflows catalog show' lists them)" };
        var asOf = new Option<string?>("--as-of") { Description = "as-of date of subsets/performance.json (default: today in America/New_York; on the embedded sample, at most its last day)" };
        var json = new Option<bool>("--json") { Description = "print the report as JSON" };
        var now = new Option<string?>("--now") { Description = "the request's clock, ISO-8601 (default: now); generated_at and today/yesterday use it" };
        var inProcess = new Option<bool>("--in-process") { Description = "run the exporters in this process, without Temporal" };
        var force = new Option<bool>("--force") { Description = "replace documents even when they were generated later than this run's clock" };
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "publish a document that is empty because an input table or catalog is empty, over a non-empty one" };
        var onInterrupt = InterruptChoice.CreateOption("export");
        var estimate = CostEstimates.CreateOption("export");
        var dryRun = new Option<bool>("--dry-run") { Description = "print the plan (every row in order, with the dependencies it brings in and what each waits for), run nothing" };
        var command = new Command("export", "Run exporters and write their documents to the store");
        command.Options.Add(inProcess);
        context.AddTemporalTo(command);
        command.Options.Add(date);
        command.Options.Add(types);
        command.Options.Add(asOf);
        command.Options.Add(json);
        command.Options.Add(now);
        command.Options.Add(force);
        command.Options.Add(allowEmpty);
        command.Options.Add(onInterrupt);
        command.Options.Add(estimate);
        command.Options.Add(dryRun);
        context.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = ParseNow(parse.GetValue(now));
            var request = new ExportRequest(
                ExportPlanner.SplitTypes(parse.GetValue(types) ?? "subset-all"),
                parse.GetValue(date), parse.GetValue(asOf), Trigger: "cli", Force: parse.GetValue(force), AllowEmpty: parse.GetValue(allowEmpty));
            // Validate before building any service: a bad request must not even generate sample data.
            var options = context.Options(parse);
            var catalog = CliContext.Catalog(options);
            var plan = ExportPlanner.Plan(catalog, request, clock);
            if (parse.GetValue(dryRun))
            {
                ExportPlanPrinter.Print(catalog, ExportPlanner.Plan(catalog, request, clock, options.DisabledTypes.ToHashSet(StringComparer.Ordinal),
                    enabledTypes: options.EnabledTypeSet(catalog)), context.Output);
                return ExitCodes.Success;
            }
            if (parse.GetValue(estimate))
            {
                return await EstimateAsync(context, parse, options, catalog, request, clock, parse.GetValue(json), cancellationToken);
            }
            var temporal = context.TemporalSettings(parse);
            var onCluster = !parse.GetValue(inProcess) && !string.IsNullOrWhiteSpace(temporal.Address);
            (request, var sampleNote) = SampleAsOfDefault.Apply(request, plan, options, readsOwnWarehouse: !onCluster);
            if (sampleNote is not null)
            {
                await context.Error.WriteLineAsync(sampleNote);
            }
            if (onCluster)
            {
                context.RefuseLocalOptionsOnTemporal(parse, "export");
            }
            await using var services = context.Services(options, parse.GetValue(context.Verbose),
                s => s.AddSingleton<InProcessExportEngine>());
            var interrupt = parse.GetValue(onInterrupt)!;
            await using var engines = new ExportEngineSelector(services, temporal, context.Error,
                () => InterruptChoice.ShouldCancel(interrupt, InterruptChoice.IsInteractive(context), InterruptChoice.Prompt("export")));
            var engine = await engines.SelectAsync(parse.GetValue(inProcess), cancellationToken);
            var report = await engine.RunAsync(request, clock, cancellationToken);
            ReportPrinter.Print(report, context.Output, parse.GetValue(json), engines.Describe(report));
            if (await NoPredictionsWarningAsync(services, options, catalog, report, cancellationToken) is { } warning)
            {
                await context.Error.WriteLineAsync(warning);
            }
            foreach (var failure in report.Failures)
            {
                await context.Error.WriteLineAsync($"error: {failure.Type}: {failure.Error}");
            }
            return report.Succeeded ? ExitCodes.Success : ExitCodes.ExportFailed;
        });
        return command;
    }

    /// <summary>The native jobs of the request, as this process would plan them, estimated; external types are listed as not estimated.</summary>
    private static Task<int> EstimateAsync(CliContext context, ParseResult parse, ExportFlowsOptions options, ExportCatalog catalog, ExportRequest request,
        DateTimeOffset clock, bool json, CancellationToken cancellationToken)
    {
        var plan = ExportPlanner.Plan(catalog, request, clock, options.DisabledTypes.ToHashSet(StringComparer.Ordinal), enabledTypes: options.EnabledTypeSet(catalog));
        var native = plan.Jobs.Where(j => !catalog.IsExternal(j.Type)).ToList();
        var external = plan.Jobs.Where(j => catalog.IsExternal(j.Type)).Select(j => j.Type).ToList();
        return CostEstimates.RunAsync(context, parse, json, estimator => estimator.EstimateAsync(native, cancellationToken), external);
    }

    /// <summary>
    /// A date-keyed export of a date without a single prediction of the model writes documents without picks: legal (a
    /// day without games), but usually a wrong date (the embedded sample covers one season only), so say so.
    /// </summary>
    private static async Task<string?> NoPredictionsWarningAsync(IServiceProvider services, ExportFlowsOptions options, ExportCatalog catalog, ExportReport report,
        CancellationToken cancellationToken)
    {
        if (report.TargetDate is not { } text || !report.Exports.Any(e => catalog.Find(e.Type) is { IsExternal: false, DateKeyedObject: true }))
        {
            return null;
        }
        var date = ExportDates.Parse(text, "date");
        var reader = services.GetRequiredService<SubsetWarehouseReader>();
        string? outside;
        try
        {
            if (await reader.CountActivePredictionsAsync(date, cancellationToken) > 0)
            {
                return null;
            }
            outside = await reader.OutsideDataAsync(date, "date", "--date", cancellationToken);
        }
        catch (Exception ex) when (ex is WarehouseException or GoogleApiException or HttpRequestException)
        {
            return null;
        }
        var sample = string.IsNullOrWhiteSpace(options.Warehouse) ? " (the embedded sample warehouse: one fixed season)" : "";
        return $"warning: the warehouse has no active prediction of {options.ModelId} for {text}; the documents of that date have no picks" +
            (outside is null ? " (a day without games?)" : $": {outside}{sample}") + ".";
    }

    /// <summary>The <c>--now</c> option: an ISO-8601 instant within the sane clock range (<see cref="ExportDates.CheckClock"/>).</summary>
    public static DateTimeOffset ParseNow(string? text) =>
        text is null ? DateTimeOffset.UtcNow
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? ExportDates.CheckClock(parsed.ToUniversalTime(), "--now", text)
        : throw new InvalidExportRequestException($"invalid --now '{text}': expected an ISO-8601 timestamp such as 2026-02-03T15:00:00Z");
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExportFlows.Activities;
using ExportFlows.Worker.Status;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Client;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows status</c>: the catalog in use and the freshness of every endpoint; exit 3 when something is stale or failing, or the catalog file does not validate.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var date = new Option<string?>("--date") { Description = "date of the date-keyed documents (default today, America/New_York)" };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var now = new Option<string?>("--now") { Description = "evaluate as of this instant (ISO-8601)" };
        var command = new Command("status", "The catalog in use, the freshness of each endpoint, recent runs and next scheduled refreshes; " +
            "exit 3 when an endpoint is not fresh or its last run failed, or when the catalog file does not validate (its errors are printed)");
        command.Options.Add(date);
        command.Options.Add(json);
        command.Options.Add(now);
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = ExportCommand.ParseNow(parse.GetValue(now));
            var day = ExportDates.Resolve(parse.GetValue(date) ?? "today", clock, "date");
            var configuration = CliContext.LoadConfiguration();
            var options = context.Options(parse, configuration);
            var asJson = parse.GetValue(json);
            var read = CatalogCommand.Read(options);
            if (read.Catalog is not { } catalog)
            {
                return await CatalogRefusedAsync(context, read.Errors, day, clock, asJson);
            }
            var settings = context.TemporalSettings(parse, configuration);
            var client = string.IsNullOrWhiteSpace(settings.Address) ? null : await settings.ConnectAsync();
            var store = ServiceCollectionExtensions.CreateStore(options, NullLoggerFactory.Instance);
            var service = new StatusService(store, catalog, SchedulesCommand.Schedules(catalog, options), client, options.EnabledTypeSet(catalog));
            var statuses = await service.CheckAsync(day, clock, cancellationToken);
            var runsNote = client is null ? "no Temporal address configured" : service.RunsUnavailable;
            if (asJson)
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    date = ExportDates.ToText(day),
                    now = clock,
                    catalog = new { source = catalog.Source, fingerprint = catalog.Fingerprint, errors = Array.Empty<CatalogError>() },
                    runsUnavailable = runsNote,
                    endpoints = statuses,
                }, Cli.ReportPrinter.JsonOptions));
            }
            else
            {
                await context.Output.WriteLineAsync($"catalog {catalog.Source}, fingerprint {catalog.Fingerprint}");
                foreach (var s in statuses)
                {
                    await context.Output.WriteLineAsync($"{s.ObjectName}  {s.Freshness.ToUpperInvariant()}  {s.Detail}");
                    await context.Output.WriteLineAsync($"  updated: {(s.Updated is { } u ? ExportDates.EasternDateTime(u).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " ET" : "never")}; refreshed by: {(s.Refresh.Length == 0 ? "nothing" : s.Refresh)}");
                    await context.Output.WriteLineAsync(s.NextFireTimes.Count == 0 ? "  next: none (no schedule)" : $"  next: {string.Join(", ", s.NextFireTimes.Select(t => ExportDates.EasternDateTime(t).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) + " ET"))}");
                    await context.Output.WriteLineAsync(s.RecentRuns is null
                        ? $"  runs: ({runsNote})"
                        : $"  runs: {(s.RecentRuns.Count == 0 ? "none" : string.Join("; ", s.RecentRuns.Select(r => $"{r.Status} {r.WorkflowId}")))}");
                }
            }
            var unhealthy = statuses.Count(s => s.Unhealthy);
            // With --json, standard output is one JSON document; the summary goes to standard error.
            await (asJson ? context.Error : context.Output).WriteLineAsync(
                unhealthy == 0 ? "all endpoints fresh" : $"{unhealthy} endpoint(s) stale, missing or failing");
            if (client is not null && service.RunsUnavailable is { } problem)
            {
                await context.Error.WriteLineAsync($"note: recent runs not shown: {problem}");
            }
            return unhealthy == 0 ? ExitCodes.Success : ExitCodes.Unhealthy;
        });
        return command;
    }

    /// <summary>
    /// The catalog file does not validate: a running worker keeps the last valid catalog it read (and says so in
    /// /metrics), so freshness is not judged by a file nobody uses. Every error is named; exit 3.
    /// </summary>
    private static async Task<int> CatalogRefusedAsync(CliContext context, IReadOnlyList<CatalogError> errors, DateOnly day, DateTimeOffset clock, bool asJson)
    {
        var source = errors[0].Source;
        var verdict = $"catalog {source} does not validate ({errors.Count} error{(errors.Count == 1 ? "" : "s")}): a running worker keeps the last valid catalog it read " +
            $"and refuses this edit (exportflows_catalog_edit_refused); endpoints not checked. Fix the file: exportflows catalog check {source}";
        if (asJson)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                date = ExportDates.ToText(day),
                now = clock,
                catalog = new { source, fingerprint = (string?)null, errors },
                runsUnavailable = (string?)null,
                endpoints = Array.Empty<EndpointStatus>(),
            }, Cli.ReportPrinter.JsonOptions));
            await context.Error.WriteLineAsync(verdict);
            return ExitCodes.Unhealthy;
        }
        foreach (var error in errors)
        {
            await context.Output.WriteLineAsync(error.ToString());
        }
        await context.Output.WriteLineAsync(verdict);
        return ExitCodes.Unhealthy;
    }
}

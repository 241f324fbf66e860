using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Microsoft.Extensions.Configuration;
using Temporalio.Client;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows schedules sync|list|pause|unpause|trigger|backfill</c>: operate the push strategy.</summary>
public static class SchedulesCommand
{
    public static IReadOnlyList<ExportScheduleEntry> Catalog(IConfiguration configuration) =>
        ExportScheduleCatalog.With(configuration.GetSection("Schedules").Get<List<ScheduleOverride>>(),
            ExportPlanner.EnabledTypes(configuration[$"{Activities.ExportFlowsOptions.Section}:{nameof(Activities.ExportFlowsOptions.EnabledTypes)}"]));

    public static Command Create(CliContext context)
    {
        var command = new Command("schedules", "Temporal Schedules of the push strategy (replaces the cron jobs)");
        command.Subcommands.Add(Sync(context));
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Pause(context));
        command.Subcommands.Add(Unpause(context));
        command.Subcommands.Add(Trigger(context));
        command.Subcommands.Add(Backfill(context));
        return command;
    }

    /// <summary>
    /// Wires a subcommand: validates the schedule name (when the command takes one) against the catalog before
    /// connecting, then runs <paramref name="action"/> with the service and the schedule id.
    /// </summary>
    private static Command WithTemporal(CliContext context, Command command, Argument<string>? name,
        Func<ParseResult, ExportScheduleService, IReadOnlyList<ExportScheduleEntry>, string?, CancellationToken, Task<int>> action)
    {
        if (name is not null)
        {
            command.Arguments.Add(name);
        }
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CliContext.LoadConfiguration();
            var catalog = Catalog(configuration);
            var id = name is null ? null : Known(catalog, parse.GetValue(name)!);
            var settings = context.TemporalSettings(parse, configuration);
            var client = await settings.ConnectAsync();
            return await action(parse, new ExportScheduleService(client, settings.TaskQueue), catalog, id, cancellationToken);
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "schedule id, e.g. phase6-hourly-performance" };

    private static Option<bool> JsonOption() => new("--json") { Description = "print the result as one JSON document" };

    private static string Known(IReadOnlyList<ExportScheduleEntry> catalog, string name) =>
        catalog.Any(e => e.Id == name) ? name
        : throw new InvalidExportRequestException($"unknown schedule '{name}'; schedules: {string.Join(", ", catalog.Select(e => e.Id))}");

    private static Command Sync(CliContext context)
    {
        var prune = new Option<bool>("--prune") { Description = "also delete schedules this tool created that left the catalog (never others)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print what would change, change nothing" };
        var json = JsonOption();
        var command = new Command("sync", "Create missing schedules, update those that differ, leave identical ones untouched");
        command.Options.Add(prune);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        return WithTemporal(context, command, null, async (parse, service, catalog, _, ct) =>
        {
            var changes = await service.SyncAsync(catalog, parse.GetValue(prune), parse.GetValue(dryRun), ct);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    dryRun = parse.GetValue(dryRun),
                    changed = changes.Count(c => ScheduleSync.IsChange(c.Action)),
                    changes = changes.Select(c => new { id = c.Id, action = ScheduleSync.ActionName(c.Action), detail = c.Detail }),
                }, ReportPrinter.JsonOptions));
                return ExitCodes.Success;
            }
            foreach (var change in changes)
            {
                await context.Output.WriteLineAsync($"{ScheduleSync.ActionName(change.Action),-9} {change.Id}  {change.Detail}");
            }
            var changed = changes.Count(c => ScheduleSync.IsChange(c.Action));
            await context.Output.WriteLineAsync(parse.GetValue(dryRun) ? $"{changed} change(s) would be made" : $"{changed} change(s) made");
            return ExitCodes.Success;
        });
    }

    private static Command List(CliContext context)
    {
        var json = JsonOption();
        var command = new Command("list", "Each schedule: paused or not, its next five fire times in ET, its last result");
        command.Options.Add(json);
        return WithTemporal(context, command, null, async (parse, service, catalog, _, ct) =>
        {
            var listings = await service.ListAsync(catalog.Select(e => e.Id), ct);
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(listings.Select(l => new
                {
                    id = l.Id,
                    paused = l.Paused,
                    note = l.Note,
                    lastResult = l.LastResult,
                    nextFireTimes = l.NextFireTimes,
                }), ReportPrinter.JsonOptions));
                return ExitCodes.Success;
            }
            foreach (var listing in listings)
            {
                await context.Output.WriteLineAsync($"{listing.Id}  {(listing.Paused ? "PAUSED" : "active")}  last: {listing.LastResult}");
                if (listing.Paused && listing.Note is { Length: > 0 })
                {
                    await context.Output.WriteLineAsync($"  note: {listing.Note}");
                }
                var next = listing.NextFireTimes.Select(t => ExportDates.EasternDateTime(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " ET");
                await context.Output.WriteLineAsync($"  next: {string.Join(", ", next)}");
            }
            return ExitCodes.Success;
        });
    }

    private static Command Pause(CliContext context)
    {
        var note = new Option<string>("--note") { Description = "why (shown in the UI and by list)", Required = true };
        var command = new Command("pause", "Pause a schedule: the rollback path");
        command.Options.Add(note);
        return WithTemporal(context, command, NameArgument(), async (parse, service, catalog, id, ct) =>
        {
            await service.PauseAsync(id!, parse.GetValue(note)!);
            await context.Output.WriteLineAsync($"paused {id}: {parse.GetValue(note)}");
            return ExitCodes.Success;
        });
    }

    private static Command Unpause(CliContext context)
    {
        var note = new Option<string?>("--note") { Description = "why" };
        var command = new Command("unpause", "Resume a paused schedule");
        command.Options.Add(note);
        return WithTemporal(context, command, NameArgument(), async (parse, service, catalog, id, ct) =>
        {
            await service.UnpauseAsync(id!, parse.GetValue(note));
            await context.Output.WriteLineAsync($"unpaused {id}");
            return ExitCodes.Success;
        });
    }

    private static Command Trigger(CliContext context)
    {
        var command = new Command("trigger", "Run a schedule's action now");
        return WithTemporal(context, command, NameArgument(), async (parse, service, catalog, id, ct) =>
        {
            await service.TriggerAsync(id!);
            await context.Output.WriteLineAsync($"triggered {id}");
            return ExitCodes.Success;
        });
    }

    private static Command Backfill(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "first date YYYY-MM-DD (America/New_York)", Required = true };
        var to = new Option<string>("--to") { Description = "last date YYYY-MM-DD, inclusive", Required = true };
        var command = new Command("backfill", "Run every fire time of a schedule in a past date range (Temporal schedule backfill)");
        command.Options.Add(from);
        command.Options.Add(to);
        return WithTemporal(context, command, NameArgument(), async (parse, service, catalog, id, ct) =>
        {
            var dates = BackfillPlanner.Dates(ExportDates.Parse(parse.GetValue(from)!, "--from date"), ExportDates.Parse(parse.GetValue(to)!, "--to date"));
            await service.BackfillAsync(id!, dates[0], dates[^1]);
            await context.Output.WriteLineAsync($"backfill of {id} requested for {dates[0]:yyyy-MM-dd}..{dates[^1]:yyyy-MM-dd}");
            return ExitCodes.Success;
        });
    }
}

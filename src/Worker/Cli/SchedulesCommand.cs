using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Microsoft.Extensions.Configuration;
using Temporalio.Client;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows schedules show|sync|list|pause|unpause|trigger|backfill</c>: operate the push strategy.</summary>
public static class SchedulesCommand
{
    /// <summary>The catalog's schedules, those with no enabled type marked (sync does not create them).</summary>
    public static IReadOnlyList<ExportScheduleEntry> Schedules(ExportCatalog catalog, Activities.ExportFlowsOptions options) =>
        ExportScheduleCatalog.MarkEnabled(catalog, options.EnabledTypeSet(catalog));

    private static IReadOnlyList<ExportScheduleEntry> Schedules(CliContext context, ParseResult parse, IConfiguration configuration)
    {
        var options = context.Options(parse, configuration);
        return Schedules(CliContext.Catalog(options), options);
    }

    public static Command Create(CliContext context)
    {
        var command = new Command("schedules", "Temporal Schedules of the push strategy (replaces the cron jobs)");
        command.Subcommands.Add(Show(context));
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
            var catalog = Schedules(context, parse, configuration);
            var id = name is null ? null : Known(catalog, parse.GetValue(name)!);
            var settings = context.TemporalSettings(parse, configuration);
            var client = await settings.ConnectAsync();
            try
            {
                return await action(parse, new ExportScheduleService(client, settings.TaskQueue), catalog, id, cancellationToken);
            }
            catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.Unimplemented)
            {
                throw new TemporalCapabilityException(NoSchedulesApi);
            }
        });
        return command;
    }

    public const string NoSchedulesApi =
        "this Temporal server has no Schedules API (e.g. the time-skipping test server): use a Temporal cluster or the dev server ('temporal server start-dev'); " +
        "'exportflows schedules show' prints the catalog without a server";

    private static Argument<string> NameArgument() => new("name") { Description = "schedule id, e.g. phase6-hourly-performance" };

    private static Option<bool> JsonOption() => new("--json") { Description = "print the result as one JSON document" };

    private static string Known(IReadOnlyList<ExportScheduleEntry> catalog, string name) =>
        catalog.Any(e => e.Id == name) ? name
        : throw new InvalidExportRequestException($"unknown schedule '{name}'; schedules: {string.Join(", ", catalog.Select(e => e.Id))}");

    private static Command Sync(CliContext context)
    {
        var prune = new Option<bool>("--prune") { Description = "also delete schedules this tool created that left the catalog (never others)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print what would change, change nothing (with no Temporal address: what a sync would create)" };
        var json = JsonOption();
        var command = new Command("sync", "Create missing schedules, update those that differ, leave identical ones untouched; prints each with the types it exports and its calendar in ET, " +
            "then the enabled types events refresh and a warning for each enabled type nothing refreshes");
        command.Options.Add(prune);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configuration = CliContext.LoadConfiguration();
            var options = context.Options(parse, configuration);
            var exportCatalog = CliContext.Catalog(options);
            var enabled = options.EnabledTypeSet(exportCatalog);
            var catalog = ExportScheduleCatalog.MarkEnabled(exportCatalog, enabled);
            var settings = context.TemporalSettings(parse, configuration);
            var dry = parse.GetValue(dryRun);
            IReadOnlyList<ScheduleSyncChange> changes;
            if (dry && string.IsNullOrWhiteSpace(settings.Address))
            {
                await context.Error.WriteLineAsync("note: no Temporal address configured; showing every schedule as a sync would create it on an empty namespace");
                changes = ScheduleSync.Diff(catalog, settings.TaskQueue, [], prune: false);
            }
            else
            {
                var service = new ExportScheduleService(await settings.ConnectAsync(), settings.TaskQueue);
                try
                {
                    changes = await service.SyncAsync(catalog, parse.GetValue(prune), dry, cancellationToken);
                }
                catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.Unimplemented)
                {
                    if (!dry)
                    {
                        throw new TemporalCapabilityException(NoSchedulesApi);
                    }
                    await context.Error.WriteLineAsync("note: this Temporal server has no Schedules API (e.g. the time-skipping test server); " +
                        "showing every schedule as a sync would create it on a server that has one");
                    changes = ScheduleSync.Diff(catalog, settings.TaskQueue, [], prune: false);
                }
            }
            var jobs = changes.Select(c => SyncJob.Of(c, exportCatalog, catalog, enabled)).ToList();
            var refreshers = new ExportRefreshers(exportCatalog, catalog);
            var types = exportCatalog.TypeNames.Where(enabled.Contains).Select(t => new TypeRefreshers(t, refreshers.For(t))).ToList();
            await PrintSyncAsync(context, jobs, types, dry, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task PrintSyncAsync(CliContext context, IReadOnlyList<SyncJob> jobs, IReadOnlyList<TypeRefreshers> enabledTypes, bool dryRun, bool asJson)
    {
        var changed = jobs.Count(j => ScheduleSync.IsChange(j.Change.Action));
        var warnings = enabledTypes.Where(t => t.RefreshedBy.Count == 0).Select(t => t.Warning).ToList();
        if (asJson)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                dryRun,
                changed,
                changes = jobs.Select(j => new
                {
                    id = j.Change.Id,
                    action = ScheduleSync.ActionName(j.Change.Action),
                    detail = j.Change.Detail,
                    types = j.Types,
                    notEnabledTypes = j.NotEnabled,
                    when = j.When,
                }),
                refreshedBy = enabledTypes.ToDictionary(t => t.Type, t => t.RefreshedBy),
                warnings,
            }, ReportPrinter.JsonOptions));
            foreach (var warning in warnings)
            {
                await context.Error.WriteLineAsync(warning);
            }
            return;
        }
        foreach (var job in jobs)
        {
            await context.Output.WriteLineAsync($"{ScheduleSync.ActionName(job.Change.Action),-9} {job.Change.Id}  {job.Change.Detail}");
            if (job.Types is { } types)
            {
                var notEnabled = job.NotEnabled is { Count: > 0 } off && off.Count < types.Count ? $" (not enabled: {string.Join(", ", off)})" : "";
                await context.Output.WriteLineAsync($"          {job.When}: {string.Join(", ", types)}{notEnabled}");
            }
        }
        await context.Output.WriteLineAsync(dryRun ? $"{changed} change(s) would be made" : $"{changed} change(s) made");
        var byEvents = enabledTypes.Where(t => t.RefreshedBy.Any(r => r.IsEvent)).ToList();
        if (byEvents.Count > 0)
        {
            await context.Output.WriteLineAsync("enabled types refreshed by events (and schedules):");
            foreach (var type in byEvents)
            {
                await context.Output.WriteLineAsync($"  {type.Type}: {string.Join(", ", type.RefreshedBy)}");
            }
        }
        foreach (var warning in warnings)
        {
            await context.Output.WriteLineAsync(warning);
        }
    }

    /// <summary>An enabled type and what refreshes it once the catalog's schedules exist.</summary>
    private sealed record TypeRefreshers(string Type, IReadOnlyList<ExportRefresher> RefreshedBy)
    {
        public string Warning => $"warning: {Type} is enabled but no schedule or event refreshes it: {ExportRefreshers.NothingRefreshesAdvice}";
    }

    /// <summary>A change of sync with what its job runs and when: null for a schedule that left the catalog.</summary>
    private sealed record SyncJob(ScheduleSyncChange Change, IReadOnlyList<string>? Types, IReadOnlyList<string>? NotEnabled, string? When)
    {
        public static SyncJob Of(ScheduleSyncChange change, ExportCatalog catalog, IReadOnlyList<ExportScheduleEntry> entries, IReadOnlySet<string> enabled)
        {
            if (entries.FirstOrDefault(e => e.Id == change.Id) is not { } entry)
            {
                return new(change, null, null, null);
            }
            var types = ExportPlanner.ExpandTypes(catalog, entry.Types);
            return new(change, types, types.Where(t => !enabled.Contains(t)).ToList(), CalendarWords.Describe(entry));
        }
    }

    /// <summary><c>schedules show</c>: the catalog as configured, with its next fire times; no server needed.</summary>
    private static Command Show(CliContext context)
    {
        var json = JsonOption();
        var now = new Option<string?>("--now") { Description = "compute the next fire times from this instant (ISO-8601; default now)" };
        var command = new Command("show", "The schedules of the catalog in use and each entry's next fire times in ET; needs no server");
        command.Options.Add(json);
        command.Options.Add(now);
        context.AddCatalogTo(command);
        command.SetAction(async (parse, _) =>
        {
            var clock = ExportCommand.ParseNow(parse.GetValue(now));
            var catalog = Schedules(context, parse, CliContext.LoadConfiguration());
            var entries = catalog.Select(e => new
            {
                id = e.Id,
                types = e.Request.Types,
                date = e.Request.Date,
                asOf = e.Request.AsOf,
                timeZone = ExportScheduleCatalog.TimeZone,
                nextFireTimes = ExportScheduleCatalog.NextFireTimes(e, clock, 3),
                note = e.Note,
            }).ToList();
            if (parse.GetValue(json))
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(entries, ReportPrinter.JsonOptions));
                return ExitCodes.Success;
            }
            foreach (var e in entries)
            {
                await context.Output.WriteLineAsync($"{e.id}  types: {string.Join(",", e.types)}" + (e.date is null ? "" : $"; date: {e.date}") + (e.asOf is null ? "" : $"; as-of: {e.asOf}"));
                var next = e.nextFireTimes.Select(t => ExportDates.EasternDateTime(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " ET");
                await context.Output.WriteLineAsync($"  next: {string.Join(", ", next)}");
                await context.Output.WriteLineAsync($"  {e.note}");
            }
            await context.Output.WriteLineAsync($"{entries.Count} schedule(s), time zone {ExportScheduleCatalog.TimeZone}");
            return ExitCodes.Success;
        });
        return command;
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

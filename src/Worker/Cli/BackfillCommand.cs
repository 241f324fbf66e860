using System.CommandLine;
using System.Text.Json;
using ExportFlows.Worker.Backfill;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// <c>exportflows backfill --from --to</c>: one durable workflow for the whole range on Temporal (or the same span code
/// in process), with progress, resume and cancel.
/// </summary>
public static class BackfillCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "first date YYYY-MM-DD", Required = true };
        var to = new Option<string>("--to") { Description = "last date YYYY-MM-DD, inclusive", Required = true };
        var types = new Option<string?>("--types") { Description = "export types (default: subset-picks,daily-signals: the date-keyed ones)" };
        var concurrency = new Option<int>("--concurrency") { Description = "spans exported at once (1..16)", DefaultValueFactory = _ => 2 };
        var spanDays = new Option<int>("--span-days") { Description = "dates per span, read from the warehouse at once (1..31)", DefaultValueFactory = _ => BackfillSpans.MaxSpanDays };
        var force = new Option<bool>("--force") { Description = "re-export dates already exported, and replace documents generated later than this run" };
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "publish documents that are empty because an input table is empty" };
        var allowFixed = new Option<bool>("--allow-fixed-paths") { Description = "allow types that overwrite fixed-path objects (performance, definitions)" };
        var inProcess = new Option<bool>("--in-process") { Description = "run in this process instead of on Temporal" };
        var journalPath = new Option<string?>("--journal") { Description = "in-process resume journal (default .exportflows/backfill-journal.jsonl)" };
        var onInterrupt = InterruptChoice.CreateOption("backfill");
        var json = new Option<bool>("--json") { Description = "print the final report as one JSON document (progress goes to standard error)" };
        var estimate = CostEstimates.CreateOption("backfill");
        var command = new Command("backfill", "Export a range of dates as one durable backfill: spans of dates read once, written per date");
        foreach (var option in new Option[] { from, to, types, concurrency, spanDays, force, allowEmpty, allowFixed, inProcess, journalPath, onInterrupt, json, estimate })
        {
            command.Options.Add(option);
        }
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var first = ExportDates.Parse(parse.GetValue(from)!, "--from date");
            var last = ExportDates.Parse(parse.GetValue(to)!, "--to date");
            var catalog = CliContext.Catalog(context.Options(parse));
            var selected = BackfillPlanner.ValidateTypes(catalog, ExportPlanner.SplitTypes(parse.GetValue(types)), parse.GetValue(allowFixed));
            BackfillPlanner.Dates(first, last);
            if (parse.GetValue(concurrency) is < 1 or > 16)
            {
                throw new InvalidExportRequestException($"invalid --concurrency {parse.GetValue(concurrency)}: expected 1 to 16 spans at once");
            }
            if (parse.GetValue(spanDays) is < 1 or > BackfillSpans.MaxSpanDays)
            {
                throw new InvalidExportRequestException($"invalid --span-days {parse.GetValue(spanDays)}: expected 1 to {BackfillSpans.MaxSpanDays}");
            }
            var input = new BackfillInput(selected, ExportDates.ToText(first), ExportDates.ToText(last), parse.GetValue(force), parse.GetValue(allowEmpty),
                parse.GetValue(spanDays), parse.GetValue(concurrency));
            var asJson = parse.GetValue(json);
            if (parse.GetValue(estimate))
            {
                var spans = BackfillSpans.Split(BackfillPlanner.Dates(first, last), parse.GetValue(spanDays));
                return await CostEstimates.RunAsync(context, parse, asJson,
                    estimator => estimator.EstimateBackfillAsync(selected, spans, DateTimeOffset.UtcNow, cancellationToken));
            }
            var progress = new BackfillProgressView(asJson ? context.Error : context.Output, InterruptChoice.IsInteractive(context) && !asJson);
            var settings = context.TemporalSettings(parse);
            BackfillReport report;
            if (parse.GetValue(inProcess) || string.IsNullOrWhiteSpace(settings.Address))
            {
                if (!parse.GetValue(inProcess))
                {
                    await context.Error.WriteLineAsync("note: no Temporal address configured; backfilling in process");
                }
                await using var services = context.Services(context.Options(parse), parse.GetValue(context.Verbose), s => s.AddSingleton<InProcessBackfill>());
                var journal = new FileBackfillJournal(parse.GetValue(journalPath) ?? Path.Combine(".exportflows", "backfill-journal.jsonl"));
                report = await progress.RunAsync(update => services.GetRequiredService<InProcessBackfill>()
                    .RunAsync(input, journal, DateTimeOffset.UtcNow, update, cancellationToken));
            }
            else
            {
                context.RefuseLocalOptionsOnTemporal(parse, "backfill");
                var client = await settings.ConnectAsync();
                var (handle, attached) = await new Phase6Client(client, settings.TaskQueue, catalog) { Source = "exportflows backfill" }.StartOrAttachBackfillAsync(input, cancellationToken);
                await context.Error.WriteLineAsync($"{(attached ? "attached to the running backfill" : "started backfill")} {handle.Id}" +
                    (settings.WorkflowLink(handle.Id) is { } link ? $" ({link})" : ""));
                var follower = new BackfillFollower(client.GetWorkflowHandle<Phase6BackfillWorkflow, BackfillReport>(handle.Id));
                var followed = await progress.RunAsync(update => follower.FollowAsync(update, cancellationToken));
                if (followed is null)
                {
                    if (!InterruptChoice.ShouldCancel(parse.GetValue(onInterrupt)!, InterruptChoice.IsInteractive(context), InterruptChoice.Prompt("backfill")))
                    {
                        await context.Error.WriteLineAsync($"detached: backfill {handle.Id} keeps running. Follow it again with the same command; " +
                            $"cancel it with 'temporal workflow cancel --workflow-id {handle.Id}' or from the UI");
                        return ExitCodes.Cancelled;
                    }
                    await context.Error.WriteLineAsync($"cancelling backfill {handle.Id}; waiting for the report of what was written");
                    followed = await follower.CancelAsync(TimeSpan.FromMinutes(2));
                }
                report = followed;
            }
            Print(context, report, asJson);
            return report.Cancelled ? ExitCodes.Cancelled : report.Failed > 0 ? ExitCodes.ExportFailed : ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliContext context, BackfillReport report, bool json)
    {
        if (json)
        {
            context.Output.WriteLine(JsonSerializer.Serialize(report, ReportPrinter.JsonOptions));
            return;
        }
        if (report.AlreadyDone.Count > 0)
        {
            context.Output.WriteLine($"skipped {report.AlreadyDone.Count} date(s) already exported (use --force to redo)");
        }
        foreach (var failure in report.Dates.Where(d => !d.Succeeded))
        {
            context.Error.WriteLine($"error: {failure.Date}: {failure.Error}");
        }
        if (report.Interrupted.Count > 0)
        {
            context.Error.WriteLine($"interrupted: {string.Join(", ", report.Interrupted)} (rerun the same command to finish them)");
        }
        context.Output.WriteLine(report.Summary());
    }
}

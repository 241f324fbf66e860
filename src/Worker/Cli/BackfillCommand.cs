using System.CommandLine;
using ExportFlows.Worker.Backfill;
using ExportFlows.Worker.Engines;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Temporalio.Client;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows backfill --from --to</c>: one export per date, bounded concurrency, resumable.</summary>
public static class BackfillCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "first date YYYY-MM-DD", Required = true };
        var to = new Option<string>("--to") { Description = "last date YYYY-MM-DD, inclusive", Required = true };
        var types = new Option<string?>("--types") { Description = "export types (default: subset-picks,daily-signals: the date-keyed ones)" };
        var concurrency = new Option<int>("--concurrency") { Description = "dates exported at once", DefaultValueFactory = _ => 4 };
        var force = new Option<bool>("--force") { Description = "re-export dates whose last run succeeded" };
        var allowFixed = new Option<bool>("--allow-fixed-paths") { Description = "allow types that overwrite fixed-path objects (performance, definitions)" };
        var inProcess = new Option<bool>("--in-process") { Description = "run in this process instead of on Temporal" };
        var journalPath = new Option<string?>("--journal") { Description = "in-process resume journal (default .exportflows/backfill-journal.jsonl)" };
        var command = new Command("backfill", "Export a range of dates, one workflow per date");
        foreach (var option in new Option[] { from, to, types, concurrency, force, allowFixed, inProcess, journalPath })
        {
            command.Options.Add(option);
        }
        context.AddTo(command);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var first = ExportDates.Parse(parse.GetValue(from)!, "--from date");
            var last = ExportDates.Parse(parse.GetValue(to)!, "--to date");
            var selected = BackfillPlanner.ValidateTypes(ExportPlanner.SplitTypes(parse.GetValue(types)), parse.GetValue(allowFixed));
            var dates = BackfillPlanner.Dates(first, last);
            if (parse.GetValue(concurrency) is < 1 or > 64)
            {
                throw new InvalidExportRequestException($"invalid --concurrency {parse.GetValue(concurrency)}: expected 1 to 64");
            }
            var settings = context.TemporalSettings(parse);
            await using var services = context.Services(context.Options(parse), parse.GetValue(context.Verbose), s => s.AddSingleton<InProcessExportEngine>());
            IExportEngine engine;
            IBackfillJournal journal;
            if (parse.GetValue(inProcess) || string.IsNullOrWhiteSpace(settings.Address))
            {
                if (!parse.GetValue(inProcess))
                {
                    await context.Error.WriteLineAsync("note: no Temporal address configured; backfilling in process");
                }
                engine = services.GetRequiredService<InProcessExportEngine>();
                journal = new FileBackfillJournal(parse.GetValue(journalPath) ?? Path.Combine(".exportflows", "backfill-journal.jsonl"));
            }
            else
            {
                var client = await settings.ConnectAsync();
                engine = new Temporal.TemporalExportEngine(client, settings);
                journal = new TemporalBackfillJournal(client);
            }
            var succeeded = new HashSet<DateOnly>();
            foreach (var date in dates)
            {
                if (await journal.SucceededAsync(date, selected, cancellationToken))
                {
                    succeeded.Add(date);
                }
            }
            var plan = BackfillPlanner.Plan(first, last, selected, succeeded, parse.GetValue(force));
            if (plan.AlreadySucceeded.Count > 0)
            {
                await context.Output.WriteLineAsync($"skipping {plan.AlreadySucceeded.Count} date(s) already exported (use --force to redo)");
            }
            var interactive = ReferenceEquals(context.Output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
            var summary = await new BackfillRunner(engine, journal, context.Output, interactive).RunAsync(plan, parse.GetValue(concurrency), DateTimeOffset.UtcNow, cancellationToken);
            foreach (var failure in summary.Results.Where(r => !r.Succeeded))
            {
                await context.Error.WriteLineAsync($"error: {ExportDates.ToText(failure.Date)}: {failure.Detail}");
            }
            await context.Output.WriteLineAsync(summary.ToString());
            return summary.Failed == 0 ? ExitCodes.Success : ExitCodes.ExportFailed;
        });
        return command;
    }
}

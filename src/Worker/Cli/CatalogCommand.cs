using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExportFlows.Activities;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows catalog check [FILE]</c> and <c>catalog show [--json]</c>: the export catalog (docs/catalog.md).</summary>
public static partial class CatalogCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("catalog", "The export catalog (docs/catalog.md): check a file before anything uses it, print the catalog in use");
        command.Subcommands.Add(Check(context));
        command.Subcommands.Add(Show(context));
        return command;
    }

    /// <summary>The catalog <paramref name="options"/> name (file or shipped), or every error of it; never throws for a bad file.</summary>
    public static CatalogParseResult Read(ExportFlowsOptions options)
    {
        try
        {
            return new(CliContext.Catalog(options), []);
        }
        catch (InvalidCatalogException ex)
        {
            return new(null, ex.Errors);
        }
    }

    private static Command Check(CliContext context)
    {
        var file = new Argument<string?>("file")
        {
            Description = "the catalog file (default: --catalog, else ExportFlows__Catalog, else the shipped catalog)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("check",
            "Validate a catalog file with every error at once, one per line as FILE:LINE: key: message (exit 2); " +
            "when it is valid, warnings (rows on a task queue nobody polls) and a one-line summary (exit 0)");
        command.Arguments.Add(file);
        return ReadingCatalog(context, command, file, async (_, catalog, options, workerQueue) =>
        {
            var text = string.IsNullOrWhiteSpace(options.Catalog) ? ExportCatalog.ShippedText() : await File.ReadAllTextAsync(options.Catalog);
            foreach (var warning in QueueWarnings(catalog, text, workerQueue, options.ExternalTaskQueue))
            {
                await context.Output.WriteLineAsync($"warning: {warning}");
            }
            await context.Output.WriteLineAsync($"{catalog.Source}: valid; {CatalogPrinter.Summary(catalog)}");
        });
    }

    private static Command Show(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "print the catalog as one JSON document" };
        var mermaid = new Option<bool>("--mermaid") { Description = "print the graph of rows (dependencies, steps, values) as a Mermaid flowchart" };
        var command = new Command("show",
            "The catalog in use (--catalog, else ExportFlows__Catalog, else the shipped one): every type with its kind, date, activity, task queue, " +
            "objects, policy, call, dependencies and values; the graph of rows; the groups, the orchestrator's list, the schedules in words, the events (path, trigger verb, date, fields, what each runs), the publication names");
        command.Options.Add(json);
        command.Options.Add(mermaid);
        return ReadingCatalog(context, command, null, async (parse, catalog, options, workerQueue) =>
        {
            if (parse.GetValue(mermaid))
            {
                await context.Output.WriteAsync(CatalogGraphPrinter.Mermaid(catalog));
                return;
            }
            var view = new CatalogView(catalog, workerQueue, options.ExternalTaskQueue, options.EnabledTypeSet(catalog));
            await context.Output.WriteAsync(parse.GetValue(json)
                ? JsonSerializer.Serialize(CatalogJson.Document(view), ReportPrinter.JsonOptions) + "\n"
                : CatalogPrinter.Text(view));
        });
    }

    /// <summary>
    /// Wires a verb that reads one catalog (<paramref name="file"/>, else --catalog, else ExportFlows__Catalog, else the
    /// shipped one) and knows the .NET worker's queue (--task-queue): a catalog with errors is refused error by error.
    /// </summary>
    private static Command ReadingCatalog(CliContext context, Command command, Argument<string?>? file,
        Func<ParseResult, ExportCatalog, ExportFlowsOptions, string, Task> action)
    {
        command.Options.Add(context.TaskQueue);
        context.AddCatalogTo(command);
        command.SetAction(async (parse, _) =>
        {
            var configuration = CliContext.LoadConfiguration();
            var options = context.Options(parse, configuration);
            if (file is not null && parse.GetValue(file) is { Length: > 0 } given)
            {
                options = options with { Catalog = given };
            }
            var read = Read(options);
            if (read.Catalog is not { } catalog)
            {
                return await RefuseAsync(context, read.Errors);
            }
            await action(parse, catalog, options, context.TemporalSettings(parse, configuration).TaskQueue);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every error on its own line (standard output), the verdict on standard error: exit 2.</summary>
    private static async Task<int> RefuseAsync(CliContext context, IReadOnlyList<CatalogError> errors)
    {
        foreach (var error in errors)
        {
            await context.Output.WriteLineAsync(error.ToString());
        }
        await context.Error.WriteLineAsync($"error: {errors[0].Source} does not validate ({errors.Count} error{(errors.Count == 1 ? "" : "s")} above): " +
            "nothing reads it until they are fixed (a running worker keeps the last valid catalog it read)");
        return ExitCodes.InvalidInput;
    }

    /// <summary>
    /// Rows whose task queue no worker of this configuration polls: an external row on the .NET worker's queue (that
    /// worker refuses it), a native row elsewhere (only a .NET worker started on that queue serves it).
    /// </summary>
    public static IReadOnlyList<CatalogError> QueueWarnings(ExportCatalog catalog, string text, string workerQueue, string externalQueue)
    {
        var warnings = new List<CatalogError>();
        foreach (var row in catalog.Types)
        {
            var queue = row.TaskQueue ?? (row.IsExternal ? externalQueue : workerQueue);
            var problem = row.IsExternal && queue == workerQueue
                ? $"external row on the .NET worker's task queue '{queue}' (Temporal:TaskQueue): no external worker polls it and the .NET worker refuses its tasks " +
                  $"(InvalidExportRequest); remove task_queue or name the external worker's queue ('{externalQueue}', ExportFlows__ExternalTaskQueue)"
                : !row.IsExternal && queue != workerQueue
                    ? $"native row on task queue '{queue}', which the .NET worker of this configuration does not poll (it polls '{workerQueue}'): " +
                      $"start a worker with --task-queue {queue}, or remove task_queue; without one its exports wait until schedule-to-close and fail"
                    : null;
            if (problem is not null)
            {
                warnings.Add(new CatalogError(catalog.Source, LineOf(text, row.Name), $"types.{row.Name}.task_queue", problem));
            }
        }
        return warnings;
    }

    /// <summary>The line of the row's <c>task_queue</c> (else of its header) in the file's text; 0 when not found.</summary>
    private static int LineOf(string text, string type)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var header = Array.FindIndex(lines, l => RowHeader().Match(l) is { Success: true } m && m.Groups["name"].Value == type);
        if (header < 0)
        {
            return 0;
        }
        var end = Array.FindIndex(lines, header + 1, l => l.TrimStart().StartsWith('['));
        var key = Array.FindIndex(lines, header + 1, (end < 0 ? lines.Length : end) - header - 1, l => TaskQueueKey().IsMatch(l));
        return (key < 0 ? header : key) + 1;
    }

    [GeneratedRegex(@"^\s*\[\s*types\.""?(?<name>[a-z-]+)""?\s*\]")]
    private static partial Regex RowHeader();

    [GeneratedRegex(@"^\s*task_queue\s*=")]
    private static partial Regex TaskQueueKey();
}

using System.CommandLine;
using System.Text.Json;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// <c>exportflows trigger EVENT --message FILE|-</c>: what a publisher calls instead of (or besides) Pub/Sub, for each
/// event of the catalog (<c>predictions-complete</c>, <c>export-request</c>, <c>grading-complete</c>, …). The message is
/// read before connecting, so one that can never run starts nothing (exit 2, naming the field).
/// </summary>
public static class TriggerCommand
{
    public static Command Create(CliContext context)
    {
        var verb = new Argument<string>("event") { Description = "the event's trigger verb, as the catalog names it (exportflows catalog show lists the events)" };
        var message = new Option<string>("--message") { Description = "the message as its publisher sends it: a JSON file, or - for standard input", Required = true };
        var wait = new Option<bool>("--wait") { Description = "wait for the event's workflow to finish and print its runs" };
        var jsonOutput = new Option<bool>("--json") { Description = "print what was signalled (and with --wait the runs) as one JSON document" };
        var command = new Command("trigger", "Signal-with-start the workflow of an event's date (one per event and date) with a message, as the push endpoint does");
        command.Arguments.Add(verb);
        command.Options.Add(message);
        command.Options.Add(wait);
        command.Options.Add(jsonOutput);
        context.AddTemporalTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var catalog = CliContext.Catalog(context.Options(parse));
            var name = parse.GetValue(verb)!;
            var ev = catalog.Events.FirstOrDefault(e => e.Verb == name);
            // A catalog written before events names none: its orchestrator's list is still served under the built-in verb.
            var builtIn = !catalog.Events.Any(e => e.RunsOrchestrator) ? ExportRefreshers.BuiltInOrchestratorEvent : null;
            if (ev is null && name != builtIn)
            {
                var verbs = catalog.Events.Select(e => e.Verb).Append(builtIn).OfType<string>().ToList();
                await context.Error.WriteLineAsync($"error: '{name}' is no event of the catalog ({catalog.Source}, {catalog.Fingerprint}): " +
                    $"its events are {string.Join(", ", verbs)}{NameSuggestion.Hint(name, verbs)}");
                return ExitCodes.InvalidInput;
            }
            var bytes = await ReadMessageAsync(parse.GetValue(message)!, cancellationToken);
            var trigger = new EventTrigger(context, parse, parse.GetValue(wait), parse.GetValue(jsonOutput));
            if (ev is null or { RunsOrchestrator: true })
            {
                // Validate before connecting: a malformed message starts nothing. The workflow gets the file's bytes unchanged.
                return await trigger.PredictionsCompleteAsync(catalog, PublishedPredictionsComplete.Parse(bytes), cancellationToken);
            }
            PublishedEvent published;
            try
            {
                published = PublishedEvent.Read(ev, catalog, bytes, DateTimeOffset.UtcNow);
            }
            catch (EventMessageRefusedException ex)
            {
                await context.Error.WriteLineAsync($"error: {ex.Message} (field {ex.Refusal.Field}); nothing was started");
                return ExitCodes.InvalidInput;
            }
            return await trigger.EventAsync(catalog, published, cancellationToken);
        });
        return command;
    }

    /// <summary>Reads at most one byte more than a message may have, so a huge file or stream is refused without being loaded.</summary>
    private static async Task<byte[]> ReadMessageAsync(string source, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = source == "-" ? Console.OpenStandardInput() : File.OpenRead(source);
            var buffer = new byte[PredictionsCompleteMessage.MaxBytes + 1];
            var read = 0;
            while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            {
                read += n;
            }
            if (read > PredictionsCompleteMessage.MaxBytes)
            {
                throw new InvalidExportRequestException(
                    $"message '{source}' is larger than the limit of {PredictionsCompleteMessage.MaxBytes} bytes");
            }
            return buffer[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidExportRequestException($"cannot read message file '{source}': {ex.Message}");
        }
    }
}

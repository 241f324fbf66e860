using System.CommandLine;
using System.Text.Json;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Cli;

/// <summary><c>exportflows trigger predictions-complete --message FILE|-</c>: what the Phase 5 orchestrator calls.</summary>
public static class TriggerCommand
{
    public static Command Create(CliContext context)
    {
        var message = new Option<string>("--message") { Description = "the Phase 5 completion message: a JSON file, or - for standard input", Required = true };
        var wait = new Option<bool>("--wait") { Description = "wait for the date's tonight workflow to finish and print its runs" };
        var jsonOutput = new Option<bool>("--json") { Description = "print what was signalled (and with --wait the runs) as one JSON document" };
        var predictionsComplete = new Command("predictions-complete", "Signal-with-start the date's tonight workflow from a Phase 5 completion message");
        predictionsComplete.Options.Add(message);
        predictionsComplete.Options.Add(wait);
        predictionsComplete.Options.Add(jsonOutput);
        context.AddTemporalTo(predictionsComplete);
        predictionsComplete.SetAction(async (parse, cancellationToken) =>
        {
            var source = parse.GetValue(message)!;
            // Validate before connecting: a malformed message starts nothing. The workflow gets the file's bytes unchanged.
            var published = PublishedPredictionsComplete.Parse(await ReadMessageAsync(source, cancellationToken));
            var parsed = published.Message;
            var settings = context.TemporalSettings(parse);
            var client = await settings.ConnectAsync();
            var phase6 = new Phase6Client(client, settings.TaskQueue, CliContext.Catalog(context.Options(parse))) { Source = "exportflows trigger" };
            WorkflowHandle<Phase6TonightWorkflow, TonightResult> handle;
            try
            {
                (handle, _) = await SignalWithStartRetry.Default.RunAsync(token => phase6.PredictionsCompleteAsync(published, cancellationToken: token), cancellationToken);
            }
            catch (StartConflictExhaustedException ex)
            {
                await context.Error.WriteLineAsync($"error: {Phase6Client.TonightWorkflowId(parsed.GameDate)}: {ex.Message}; run the command again");
                return ExitCodes.TemporalUnavailable;
            }
            var asJson = parse.GetValue(jsonOutput);
            object Summary(TonightResult? result, string? error) => new
            {
                workflowId = handle.Id,
                runId = handle.ResultRunId,
                gameDate = ExportFlows.Workflows.Planning.ExportDates.ToText(parsed.GameDate),
                correlationId = parsed.CorrelationId,
                ui = settings.WorkflowLink(handle.Id),
                runs = result?.Runs,
                error,
            };
            if (!asJson)
            {
                await context.Output.WriteLineAsync($"signalled {handle.Id} (run {handle.ResultRunId}) for {parsed.GameDate:yyyy-MM-dd}, correlation {parsed.CorrelationId}");
                if (settings.WorkflowLink(handle.Id) is { } link)
                {
                    await context.Output.WriteLineAsync($"ui: {link}");
                }
            }
            if (!parse.GetValue(wait))
            {
                if (asJson)
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(null, null), ReportPrinter.JsonOptions));
                }
                return ExitCodes.Success;
            }
            TonightResult result;
            try
            {
                result = await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
            }
            catch (WorkflowFailedException ex)
            {
                var message = ex.InnerException?.Message ?? ex.Message;
                if (asJson)
                {
                    await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(null, message), ReportPrinter.JsonOptions));
                }
                await context.Error.WriteLineAsync($"error: {handle.Id} failed: {message}");
                return ExitCodes.ExportFailed;
            }
            if (asJson)
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(result, null), ReportPrinter.JsonOptions));
                return result.Runs.Any(r => r.Status == TonightRunStatus.Failed) ? ExitCodes.ExportFailed : ExitCodes.Success;
            }
            foreach (var run in result.Runs)
            {
                await context.Output.WriteLineAsync($"run {run.Number}: {run.Status} ({run.Reason}); {run.Messages} message(s)");
            }
            return result.Runs.Any(r => r.Status == TonightRunStatus.Failed) ? ExitCodes.ExportFailed : ExitCodes.Success;
        });
        var command = new Command("trigger", "Send an upstream event to ExportFlows");
        command.Subcommands.Add(predictionsComplete);
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
                throw new Workflows.Planning.InvalidExportRequestException(
                    $"message '{source}' is larger than the limit of {PredictionsCompleteMessage.MaxBytes} bytes");
            }
            return buffer[..read];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Workflows.Planning.InvalidExportRequestException($"cannot read message file '{source}': {ex.Message}");
        }
    }
}

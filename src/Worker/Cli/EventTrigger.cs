using System.CommandLine;
using System.Text.Json;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Cli;

/// <summary>One <c>trigger</c>: signals the event's workflow, and with <c>--wait</c> prints its runs (text or JSON).</summary>
internal sealed class EventTrigger(CliContext context, ParseResult parse, bool wait, bool asJson)
{
    public async Task<int> PredictionsCompleteAsync(ExportCatalog catalog, PublishedPredictionsComplete published, CancellationToken cancellationToken)
    {
        var parsed = published.Message;
        var date = ExportDates.ToText(parsed.GameDate);
        return await SignalAsync(catalog, Phase6Client.TonightWorkflowId(parsed.GameDate), date, parsed.CorrelationId,
            (phase6, token) => phase6.PredictionsCompleteAsync(published, cancellationToken: token),
            result => result.Runs.Select(r => (r.Status, $"run {r.Number}: {r.Status} ({r.Reason}); {r.Messages} message(s)")).ToList(),
            result => result.Runs, cancellationToken);
    }

    public async Task<int> EventAsync(ExportCatalog catalog, PublishedEvent published, CancellationToken cancellationToken)
    {
        var date = ExportDates.ToText(published.Request.Date);
        return await SignalAsync(catalog, EventWorkflowIds.For(published.Event.Name, published.Request.Date), date, published.Request.CorrelationId,
            (phase6, token) => phase6.EventAsync(published, cancellationToken: token),
            result => result.Runs.SelectMany(RunLines).ToList(), result => result.Runs, cancellationToken);
    }

    private static IEnumerable<(string Status, string Line)> RunLines(EventRunRecord run)
    {
        yield return (run.Status, $"run {run.Number}: {run.Status}; {run.Messages} message(s)" + (run.ChildWorkflowId is null ? "" : $"; export {run.ChildWorkflowId}"));
        foreach (var decision in run.Decisions)
        {
            var outcome = run.Report?.Exports.FirstOrDefault(e => e.Type == decision.Name);
            var shown = outcome is null ? decision.Reason : $"{outcome.Status}" + (outcome.Error is { } why ? $" ({why})" : "");
            yield return (run.Status, $"  {decision.Name}: {shown}");
        }
    }

    private async Task<int> SignalAsync<TWorkflow, TResult>(ExportCatalog catalog, string workflowId, string date, string? correlationId,
        Func<Phase6Client, CancellationToken, Task<WorkflowHandle<TWorkflow, TResult>>> signal,
        Func<TResult, IReadOnlyList<(string Status, string Line)>> lines, Func<TResult, object> runs, CancellationToken cancellationToken)
    {
        var settings = context.TemporalSettings(parse);
        var client = await settings.ConnectAsync();
        var phase6 = new Phase6Client(client, settings.TaskQueue, catalog) { Source = "exportflows trigger" };
        WorkflowHandle<TWorkflow, TResult> handle;
        try
        {
            (handle, _) = await SignalWithStartRetry.Default.RunAsync(token => signal(phase6, token), cancellationToken);
        }
        catch (StartConflictExhaustedException ex)
        {
            await context.Error.WriteLineAsync($"error: {workflowId}: {ex.Message}; run the command again");
            return ExitCodes.TemporalUnavailable;
        }
        object Summary(TResult? result, string? error) => new
        {
            workflowId = handle.Id,
            runId = handle.ResultRunId,
            date,
            correlationId,
            ui = settings.WorkflowLink(handle.Id),
            runs = result is null ? null : runs(result),
            error,
        };
        if (!asJson)
        {
            await context.Output.WriteLineAsync($"signalled {handle.Id} (run {handle.ResultRunId}) for {date}, correlation {correlationId ?? "none"}");
            if (settings.WorkflowLink(handle.Id) is { } link)
            {
                await context.Output.WriteLineAsync($"ui: {link}");
            }
        }
        if (!wait)
        {
            if (asJson)
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(default, null), ReportPrinter.JsonOptions));
            }
            return ExitCodes.Success;
        }
        TResult result;
        try
        {
            result = await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
        }
        catch (WorkflowFailedException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            if (asJson)
            {
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(default, message), ReportPrinter.JsonOptions));
            }
            await context.Error.WriteLineAsync($"error: {handle.Id} failed: {message}");
            return ExitCodes.ExportFailed;
        }
        var printed = lines(result);
        if (asJson)
        {
            await context.Output.WriteLineAsync(JsonSerializer.Serialize(Summary(result, null), ReportPrinter.JsonOptions));
        }
        else
        {
            foreach (var (_, line) in printed)
            {
                await context.Output.WriteLineAsync(line);
            }
        }
        return printed.Any(l => l.Status == MessageRunStatus.Failed) ? ExitCodes.ExportFailed : ExitCodes.Success;
    }
}

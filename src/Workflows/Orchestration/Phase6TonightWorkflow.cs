using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

public sealed record TonightInput(DateOnly GameDate, IReadOnlyList<string>? Types = null);

public static class TonightRunStatus
{
    public const string Exported = "exported";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
}

/// <summary>One export run (or rejection) of the tonight workflow; <paramref name="Messages"/> counts the signals it answered.</summary>
public sealed record TonightRun(int Number, string Status, string Reason, int Messages, string CorrelationId, string? ChildWorkflowId, ExportReport? Report);

public sealed record TonightResult(string GameDate, IReadOnlyList<TonightRun> Runs);

/// <summary>
/// One per game date (id <c>phase6-tonight-YYYY-MM-DD</c>), started by signal-with-start from each Phase 5
/// "predictions complete" message. Messages that arrive while an export runs are coalesced into exactly one follow-up
/// run; when nothing is pending the workflow completes, and the next message starts a new run of the same id.
/// </summary>
[Workflow]
public class Phase6TonightWorkflow
{
    private readonly List<PredictionsCompleteMessage> _pending = [];
    private readonly List<TonightRun> _runs = [];

    [WorkflowRun]
    public async Task<TonightResult> RunAsync(TonightInput input)
    {
        var types = input.Types is { Count: > 0 } t ? t : ExportTypeCatalog.TonightTypes;
        if (_pending.Count == 0)
        {
            // Started by hand (not by signal-with-start): wait briefly for a message, else finish with no run.
            await Workflow.WaitConditionAsync(() => _pending.Count > 0, TimeSpan.FromMinutes(5));
        }
        while (_pending.Count > 0)
        {
            var batch = _pending.ToList();
            _pending.Clear();
            _runs.Add(await RunOnceAsync(input.GameDate, types, batch[^1], batch.Count, _runs.Count + 1));
        }
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        return new TonightResult(ExportDates.ToText(input.GameDate), _runs);
    }

    [WorkflowSignal]
    public Task PredictionsCompleteAsync(PredictionsCompleteMessage message)
    {
        _pending.Add(message);
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public IReadOnlyList<TonightRun> Runs => _runs;

    private static async Task<TonightRun> RunOnceAsync(DateOnly date, IReadOnlyList<string> types, PredictionsCompleteMessage message, int messages, int number)
    {
        TonightRun Record(string status, string reason, string? childId = null, ExportReport? report = null)
        {
            Workflow.Logger.LogInformation("Tonight run {Number} for {Date}: {Status} ({Reason})", number, date, status, reason);
            return new TonightRun(number, status, reason, messages, message.CorrelationId, childId, report);
        }

        var messageDecision = PredictionsCompleteGuard.CheckMessage(message);
        if (!messageDecision.Accepted)
        {
            return Record(TonightRunStatus.Rejected, messageDecision.Reason);
        }
        long active;
        try
        {
            active = await Workflow.ExecuteActivityAsync<long>(ExportActivityNames.CountActivePredictions, [date],
                ExportActivityPolicies.Guard.ToActivityOptions($"count predictions {date}"));
        }
        catch (ActivityFailureException ex)
        {
            // A failed check fails the run; the original exported anyway (P17).
            return Record(TonightRunStatus.Failed, $"prediction count failed: {ex.InnerException?.Message ?? ex.Message}");
        }
        var dataDecision = PredictionsCompleteGuard.CheckPredictions(active);
        if (!dataDecision.Accepted)
        {
            return Record(TonightRunStatus.Rejected, dataDecision.Reason);
        }

        var childId = $"{Workflow.Info.WorkflowId}-{Workflow.Info.RunId[..8]}-{number}";
        var request = new ExportRequest(types, ExportDates.ToText(date), Trigger: "orchestrator", CorrelationId: message.CorrelationId);
        try
        {
            var report = await Workflow.ExecuteChildWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), new ChildWorkflowOptions { Id = childId });
            return Record(TonightRunStatus.Exported, $"{messageDecision.Reason}; {dataDecision.Reason}", childId, report);
        }
        catch (ChildWorkflowFailureException ex) when (ex.InnerException is ApplicationFailureException failure)
        {
            var report = failure.Details.Count > 0 ? failure.Details.ElementAt<ExportReport>(0) : null;
            return Record(TonightRunStatus.Failed, failure.Message, childId, report);
        }
    }
}

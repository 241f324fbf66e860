using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>Optional start input; the game date normally comes from the workflow id alone.</summary>
public sealed record TonightInput(DateOnly GameDate, IReadOnlyList<string>? Types = null);

/// <summary>One export run (or rejection) of the tonight workflow; <paramref name="Messages"/> counts the signals it answered.</summary>
public sealed record TonightRun(int Number, string Status, string Reason, int Messages, string CorrelationId, string? ChildWorkflowId, ExportReport? Report);

/// <summary>The runs of one workflow execution, and the messages it refused as malformed.</summary>
public sealed record TonightResult(string GameDate, IReadOnlyList<TonightRun> Runs, IReadOnlyList<string>? MalformedMessages = null);

/// <summary>
/// One per game date (id <c>phase6-tonight-YYYY-MM-DD</c>), started by signal-with-start from each Phase 5
/// "predictions complete" message, sent as the signal's one argument exactly as Phase 5 publishes it (snake_case JSON).
/// Each message is validated here with the parser <c>trigger</c> uses. Messages that arrive while an export runs are
/// coalesced into exactly one follow-up run; when nothing is pending the workflow completes, and the next message starts
/// a new run of the same id. A malformed message, or one for another date, fails the execution with
/// <c>MalformedMessage</c> once the valid messages are handled: never a quiet success.
/// </summary>
[Workflow]
public class Phase6TonightWorkflow
{
    /// <summary>
    /// Marks executions that read the signal as the Phase 5 JSON message. Executions recorded without it (before the
    /// contract) decoded the signal as the .NET record and took the game date from the input; they replay that way.
    /// </summary>
    public const string Phase5MessageContractPatch = "phase5-message-contract";

    /// <summary>
    /// Marks executions that export the orchestrator's full list (the catalog's <c>orchestrator</c>)
    /// intersected with the enabled types. Executions recorded without it exported subset-picks and daily-signals.
    /// </summary>
    public const string OrchestratorListPatch = "tonight-orchestrator-list";

    public const string SignalName = "PredictionsComplete";

    /// <summary>
    /// After its last run, an execution that received push deliveries stays open this long, so a redelivery of a
    /// message it already handled is recognised by its id instead of starting a new export.
    /// </summary>
    public static readonly TimeSpan RedeliveryWindow = TimeSpan.FromMinutes(10);

    /// <summary>Delivery ids remembered per execution (oldest forgotten first).</summary>
    public const int RememberedDeliveries = 1000;

    private readonly List<JsonElement> _pending = [];
    private readonly DeliveryLog _deliveries = new(RememberedDeliveries);
    private readonly List<TonightRun> _runs = [];
    private readonly List<string> _malformed = [];

    [WorkflowRun]
    public async Task<TonightResult> RunAsync(TonightInput? input = null)
    {
        var contract = Workflow.Patched(Phase5MessageContractPatch);
        var date = contract ? GameDateOrFail(input) : input!.GameDate;
        var types = input?.Types is { Count: > 0 } t ? t : await DefaultTypesAsync();
        if (contract)
        {
            // Clients in other languages start the workflow without search attributes; list the run all the same.
            Workflow.UpsertTypedSearchAttributes(
                ExportSearchAttributes.ExportDate.ValueSet(ExportDates.ToText(date)),
                ExportSearchAttributes.ExportTypes.ValueSet(types.ToList()),
                ExportSearchAttributes.ExportTrigger.ValueSet("orchestrator"));
        }
        if (_pending.Count == 0)
        {
            // Started by hand (not by signal-with-start): wait briefly for a message, else finish with no run.
            await Workflow.WaitConditionAsync(() => _pending.Count > 0 || _malformed.Count > 0, TimeSpan.FromMinutes(5));
        }
        // Only executions with push deliveries linger; none recorded before push existed had one, so they replay unchanged.
        do
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.ToList();
                _pending.Clear();
                var messages = contract ? Accepted(batch, date) : batch.Select(RecordedShape).OfType<PredictionsCompleteMessage>().ToList();
                if (messages.Count > 0)
                {
                    _runs.Add(await RunOnceAsync(date, types, messages[^1], messages.Count, _runs.Count + 1));
                }
            }
        }
        while (_deliveries.Received > 0 && await Workflow.WaitConditionAsync(() => _pending.Count > 0, RedeliveryWindow));
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        var result = new TonightResult(ExportDates.ToText(date), _runs, _malformed);
        if (_malformed.Count > 0)
        {
            throw new ApplicationFailureException(
                $"{_malformed.Count} malformed predictions-complete message(s) for {ExportDates.ToText(date)}; first: {_malformed[0]}",
                ExportErrorTypes.MalformedMessage, nonRetryable: true, details: [result]);
        }
        return result;
    }

    /// <summary>
    /// The Phase 5 message as published (snake_case JSON object); see README, "The signal contract". A push endpoint adds
    /// the delivery id (the Pub/Sub messageId): a delivery already received is ignored, so a redelivery exports nothing.
    /// </summary>
    [WorkflowSignal(SignalName)]
    public Task PredictionsCompleteAsync(JsonElement message, JsonElement? deliveryId = null)
    {
        if (!_deliveries.Admit(deliveryId, out var malformed))
        {
            DeliveryLog.NotTaken(deliveryId, malformed, _malformed);
            return Task.CompletedTask;
        }
        _pending.Add(message);
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public IReadOnlyList<TonightRun> Runs => _runs;

    [WorkflowQuery]
    public MessageDeliveries Deliveries => new(_deliveries.Received, _deliveries.Duplicates);

    /// <summary>What executions recorded before the orchestrator's list exported: its native types (subset-picks, daily-signals).</summary>
    private static IReadOnlyList<string> LegacyTonightTypes =>
        ExportCatalog.Recorded.Orchestrator.Where(t => !ExportCatalog.Recorded.IsExternal(t)).ToList();

    /// <summary>The orchestrator's list, less the types configuration does not enable (they are never started).</summary>
    private static async Task<IReadOnlyList<string>> DefaultTypesAsync()
    {
        if (!Workflow.Patched(OrchestratorListPatch))
        {
            return LegacyTonightTypes;
        }
        var configuration = await ExportConfiguration.ReadAsync();
        var catalog = configuration.EffectiveCatalog;
        var enabled = configuration.EnabledTypes ?? catalog.NativeTypes.ToList();
        return catalog.Orchestrator.Where(enabled.Contains).ToList();
    }

    private static DateOnly GameDateOrFail(TonightInput? input)
    {
        try
        {
            return TonightWorkflowIds.GameDate(Workflow.Info.WorkflowId, input);
        }
        catch (InvalidExportRequestException ex)
        {
            throw new ApplicationFailureException(ex.Message, ExportErrorTypes.InvalidRequest, nonRetryable: true);
        }
    }

    private List<PredictionsCompleteMessage> Accepted(IEnumerable<JsonElement> batch, DateOnly date)
    {
        var accepted = new List<PredictionsCompleteMessage>();
        foreach (var raw in batch)
        {
            try
            {
                var message = PredictionsCompleteMessage.Parse(raw.GetRawText());
                if (message.GameDate != date)
                {
                    throw new InvalidExportRequestException(
                        $"message for game_date {ExportDates.ToText(message.GameDate)} sent to the workflow of {ExportDates.ToText(date)}");
                }
                accepted.Add(message);
            }
            catch (InvalidExportRequestException ex)
            {
                var problem = ex.Message.Length > 300 ? ex.Message[..300] + "…" : ex.Message;
                Workflow.Logger.LogWarning("Refused a predictions-complete message: {Problem}", problem);
                _malformed.Add(problem);
            }
        }
        return accepted;
    }

    /// <summary>How executions recorded before the contract read the signal: the .NET record, PascalCase.</summary>
    private static PredictionsCompleteMessage? RecordedShape(JsonElement raw)
    {
        try
        {
            return raw.Deserialize<PredictionsCompleteMessage>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<TonightRun> RunOnceAsync(DateOnly date, IReadOnlyList<string> types, PredictionsCompleteMessage message, int messages, int number)
    {
        TonightRun Record(string status, string reason, string? childId = null, ExportReport? report = null)
        {
            Workflow.Logger.LogInformation("Tonight run {Number} for {Date}: {Status} ({Reason})", number, ExportDates.ToText(date), status, reason);
            return new TonightRun(number, status, reason, messages, message.CorrelationId, childId, report);
        }

        var messageDecision = PredictionsCompleteGuard.CheckMessage(message);
        if (!messageDecision.Accepted)
        {
            return Record(MessageRunStatus.Rejected, messageDecision.Reason);
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
            return Record(MessageRunStatus.Failed, $"prediction count failed: {ex.InnerException?.Message ?? ex.Message}");
        }
        var dataDecision = PredictionsCompleteGuard.CheckPredictions(active);
        if (!dataDecision.Accepted)
        {
            return Record(MessageRunStatus.Rejected, dataDecision.Reason);
        }

        if (types.Count == 0)
        {
            return Record(MessageRunStatus.Rejected, "no type of the orchestrator's list is enabled (ExportFlows__EnabledTypes)");
        }
        var childId = ExportChild.Id(number);
        var request = new ExportRequest(types, ExportDates.ToText(date), Trigger: "orchestrator", CorrelationId: message.CorrelationId);
        var (report, failure) = await ExportChild.RunAsync(request, new ChildWorkflowOptions
        {
            Id = childId,
            StaticSummary = RunMetadata.Summary(types, ExportDates.ToText(date), "orchestrator"),
            StaticDetails = RunMetadata.Details(("started by", $"tonight workflow {Workflow.Info.WorkflowId}, run {number}"),
                    ("correlation id", message.CorrelationId), ("messages coalesced", messages.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        });
        return failure is null
            ? Record(MessageRunStatus.Exported, $"{messageDecision.Reason}; {dataDecision.Reason}", childId, report)
            : Record(MessageRunStatus.Failed, failure, childId, report);
    }
}

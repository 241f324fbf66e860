using System.Globalization;
using System.Text.Json;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Events;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// One per catalog event and date (id <c>phase6-event-EVENT-YYYY-MM-DD</c>), started by signal-with-start from each
/// message of that event, sent as the signal's argument exactly as its publisher wrote it. Each message is read here
/// with the catalog's event (the reader the push endpoint and <c>trigger</c> use, dates against the time it was
/// received). Messages that arrive while an export runs wait; after it, the messages asking for the same work are
/// coalesced into one run each (Pub/Sub redeliveries are ignored by delivery id; two publishers sending the same request
/// make one run). An entry whose condition is false is reported skipped with the reason. A message that cannot be read,
/// or is for another date, fails the execution with <c>MalformedMessage</c> once the others are handled.
/// </summary>
[Workflow]
public class Phase6EventWorkflow
{
    public const string SignalName = "EventMessage";

    /// <summary>After its last run, the execution stays open this long so a redelivery is recognised by its id.</summary>
    public static readonly TimeSpan RedeliveryWindow = Phase6TonightWorkflow.RedeliveryWindow;

    private readonly List<(JsonElement Message, DateTimeOffset ReceivedAt)> _pending = [];
    private readonly DeliveryLog _deliveries = new(Phase6TonightWorkflow.RememberedDeliveries);
    private readonly List<EventRunRecord> _runs = [];
    private readonly List<string> _refused = [];

    [WorkflowRun]
    public async Task<EventWorkflowResult> RunAsync(EventWorkflowInput? input = null)
    {
        var (eventName, date) = EventAndDate(input);
        Workflow.UpsertTypedSearchAttributes(
            ExportSearchAttributes.ExportDate.ValueSet(ExportDates.ToText(date)),
            ExportSearchAttributes.ExportTrigger.ValueSet(eventName));
        var configuration = await ExportConfiguration.ReadAsync();
        var catalog = configuration.EffectiveCatalog;
        var ev = catalog.FindEvent(eventName) is { RunsOrchestrator: false } found ? found : throw new ApplicationFailureException(
            catalog.FindEvent(eventName) is null
                ? $"the worker's catalog ({catalog.Fingerprint}) has no event '{eventName}'; its events: {string.Join(", ", catalog.Events.Select(e => e.Name))}"
                : $"event '{eventName}' runs the orchestrator's list: send it to the tonight workflow ({TonightWorkflowIds.Prefix}YYYY-MM-DD)",
            ExportErrorTypes.InvalidRequest, nonRetryable: true);
        if (_pending.Count == 0)
        {
            // Started by hand (not by signal-with-start): wait briefly for a message, else finish with no run.
            await Workflow.WaitConditionAsync(() => _pending.Count > 0 || _refused.Count > 0, TimeSpan.FromMinutes(5));
        }
        do
        {
            while (_pending.Count > 0)
            {
                var batch = _pending.ToList();
                _pending.Clear();
                foreach (var (request, messages) in Coalesced(Read(ev, catalog, date, batch)))
                {
                    _runs.Add(await RunOnceAsync(ev, catalog, request, messages, _runs.Count + 1));
                }
            }
        }
        while (_deliveries.Received > 0 && await Workflow.WaitConditionAsync(() => _pending.Count > 0, RedeliveryWindow));
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        var result = new EventWorkflowResult(eventName, ExportDates.ToText(date), _runs, _refused);
        if (_refused.Count > 0)
        {
            throw new ApplicationFailureException($"{_refused.Count} {eventName} message(s) refused for {ExportDates.ToText(date)}; first: {_refused[0]}",
                ExportErrorTypes.MalformedMessage, nonRetryable: true, details: [result]);
        }
        return result;
    }

    /// <summary>
    /// The message as its publisher wrote it (a JSON object, or a Pub/Sub push body around it), the delivery id (a
    /// redelivery is ignored) and when it was received (ISO 8601; <c>today</c>/<c>yesterday</c> are read against it,
    /// default: when the workflow handles the signal).
    /// </summary>
    [WorkflowSignal(SignalName)]
    public Task MessageAsync(JsonElement message, JsonElement? deliveryId = null, JsonElement? receivedAt = null)
    {
        if (!_deliveries.Admit(deliveryId, out var malformed))
        {
            DeliveryLog.NotTaken(deliveryId, malformed, _refused);
            return Task.CompletedTask;
        }
        _pending.Add((message, ReceivedAt(receivedAt)));
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public IReadOnlyList<EventRunRecord> Runs => _runs;

    [WorkflowQuery]
    public MessageDeliveries Deliveries => new(_deliveries.Received, _deliveries.Duplicates);

    /// <summary>The receipt time the signal gives, else (absent, or not an ISO 8601 time: logged) when the workflow handles it.</summary>
    private static DateTimeOffset ReceivedAt(JsonElement? receivedAt)
    {
        if (receivedAt is not { ValueKind: not JsonValueKind.Null } given)
        {
            return Workflow.UtcNow;
        }
        if (given.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(given.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }
        Workflow.Logger.LogWarning("The receipt time (the signal's third argument) {ReceivedAt} is not an ISO 8601 time: dates read against now", given.GetRawText());
        return Workflow.UtcNow;
    }

    private static (string Event, DateOnly Date) EventAndDate(EventWorkflowInput? input)
    {
        var fromId = EventWorkflowIds.Parse(Workflow.Info.WorkflowId);
        if (fromId is { } id && input is not null && (id.Event != input.Event || id.Date != input.Date))
        {
            throw new ApplicationFailureException($"workflow id {Workflow.Info.WorkflowId} names {id.Event} {ExportDates.ToText(id.Date)} but the input says " +
                $"{input.Event} {ExportDates.ToText(input.Date)}", ExportErrorTypes.InvalidRequest, nonRetryable: true);
        }
        return fromId ?? (input is not null ? (input.Event, input.Date) : throw new ApplicationFailureException(
            $"cannot tell the event and date of workflow {Workflow.Info.WorkflowId}: start it with the id {EventWorkflowIds.Prefix}EVENT-YYYY-MM-DD",
            ExportErrorTypes.InvalidRequest, nonRetryable: true));
    }

    private List<EventRequest> Read(CatalogEvent ev, ExportCatalog catalog, DateOnly date, IEnumerable<(JsonElement Message, DateTimeOffset ReceivedAt)> batch)
    {
        var accepted = new List<EventRequest>();
        foreach (var (message, receivedAt) in batch)
        {
            var reading = EventMessageReader.Read(ev, catalog, message.GetRawText(), receivedAt);
            var problem = reading.Refusal?.Reason ?? (reading.Request!.Date != date
                ? $"message for {ExportDates.ToText(reading.Request.Date)} sent to the workflow of {ExportDates.ToText(date)}" : null);
            if (problem is not null)
            {
                problem = problem.Length > 300 ? problem[..300] + "…" : problem;
                Workflow.Logger.LogWarning("Refused a {Event} message: {Problem}", ev.Name, problem);
                _refused.Add(problem);
                continue;
            }
            accepted.Add(reading.Request!);
        }
        return accepted;
    }

    /// <summary>Distinct requests in arrival order, each with how many messages asked for it; the last one's sender is kept.</summary>
    private static IEnumerable<(EventRequest Request, int Messages)> Coalesced(IReadOnlyList<EventRequest> requests) =>
        requests.Select((r, i) => (Key: EventExportRequest.CoalescingKey(r), Index: i, Request: r))
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .OrderBy(g => g.First().Index)
            .Select(g => (g.Last().Request, g.Count()));

    private static async Task<EventRunRecord> RunOnceAsync(CatalogEvent ev, ExportCatalog catalog, EventRequest message, int messages, int number)
    {
        var decisions = EventConditions.Decide(ev, message);
        var request = EventExportRequest.For(ev, catalog, message, decisions);
        var date = ExportDates.ToText(message.Date);
        EventRunRecord Record(string status, string reason, string childId, ExportReport? report)
        {
            Workflow.Logger.LogInformation("{Event} run {Number} for {Date}: {Status} ({Reason})", ev.Name, number, date, status, reason);
            return new EventRunRecord(number, status, reason, messages, message.CorrelationId, childId, decisions, report);
        }

        Workflow.UpsertTypedSearchAttributes(ExportSearchAttributes.ExportTypes.ValueSet(request.Types.ToList()));
        var childId = ExportChild.Id(number);
        var (report, failure) = await ExportChild.RunAsync(request, new ChildWorkflowOptions
        {
            Id = childId,
            StaticSummary = RunMetadata.Summary(request.Types, date, ev.Name),
            StaticDetails = RunMetadata.Details(("started by", $"event workflow {Workflow.Info.WorkflowId}, run {number}"),
                ("correlation id", message.CorrelationId), ("messages coalesced", messages.ToString(CultureInfo.InvariantCulture))),
        });
        return failure is null
            ? Record(MessageRunStatus.Exported, string.Join("; ", decisions.Select(d => $"{d.Name}: {d.Reason}")), childId, report)
            : Record(MessageRunStatus.Failed, failure, childId, report);
    }
}

using System.Text;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;

namespace ExportFlows.Worker.Client;

/// <summary>What other services call: report predictions complete, or run an export, on a Temporal cluster.</summary>
public sealed class Phase6Client(ITemporalClient client, string taskQueue, ExportCatalog catalog)
{
    /// <summary>What starts runs through this client (cli, pubsub-push, trigger, …): named in each run's details in the UI.</summary>
    public string Source { get; init; } = "exportflows";

    /// <summary>The catalog requests and messages are checked with before anything starts.</summary>
    public ExportCatalog Catalog => catalog;

    /// <summary>The store and warehouse are the worker's: the export workflow adds them to its current details once it has read them.</summary>
    private string Details(params (string Key, string? Value)[] extra) => RunMetadata.Details(
        [("started by", Source), .. extra, ("catalog (client)", $"{catalog.Source} ({catalog.Fingerprint})"),
            ("store and warehouse", "the worker's: see the run's current details and its result")]);

    public static string TonightWorkflowId(DateOnly gameDate) => TonightWorkflowIds.For(gameDate);

    /// <summary>
    /// Validates the Phase 5 message (malformed → <see cref="InvalidExportRequestException"/>, nothing started) and
    /// signals the date's tonight workflow with it exactly as given, starting the workflow if it is not running.
    /// </summary>
    public Task<WorkflowHandle<Phase6TonightWorkflow, TonightResult>> PredictionsCompleteAsync(string messageJson) =>
        PredictionsCompleteAsync(PublishedPredictionsComplete.Parse(Encoding.UTF8.GetBytes(messageJson)));

    /// <summary>Signals a message built in .NET: it is sent as <see cref="PredictionsCompleteMessage.ToJson"/> writes it.</summary>
    public Task<WorkflowHandle<Phase6TonightWorkflow, TonightResult>> PredictionsCompleteAsync(
        PredictionsCompleteMessage message, string? deliveryId = null, CancellationToken cancellationToken = default) =>
        PredictionsCompleteAsync(PublishedPredictionsComplete.Parse(Encoding.UTF8.GetBytes(message.ToJson())), deliveryId, cancellationToken);

    /// <param name="published">The validated message; its published bytes are the signal's argument, unchanged.</param>
    /// <param name="deliveryId">The push delivery's id (Pub/Sub messageId): the workflow ignores a delivery it already received.</param>
    public Task<WorkflowHandle<Phase6TonightWorkflow, TonightResult>> PredictionsCompleteAsync(
        PublishedPredictionsComplete published, string? deliveryId = null, CancellationToken cancellationToken = default)
    {
        var options = new WorkflowOptions(TonightWorkflowId(published.Message.GameDate), taskQueue)
        {
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(ExportSearchAttributes.ExportDate, ExportDates.ToText(published.Message.GameDate))
                .Set(ExportSearchAttributes.ExportTypes, catalog.Orchestrator.ToList())
                .Set(ExportSearchAttributes.ExportTrigger, "orchestrator")
                .ToSearchAttributeCollection(),
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
            StaticSummary = RunMetadata.Summary(catalog.Orchestrator.ToList(), ExportDates.ToText(published.Message.GameDate), "predictions-complete"),
            StaticDetails = Details(("correlation id", published.Message.CorrelationId), ("delivery", deliveryId)),
        };
        // The same shapes a client in any language sends: no start input (the id names the date), the message as published.
        var message = published.ToPayload();
        options.SignalWithStart(Phase6TonightWorkflow.SignalName, deliveryId is null ? [message] : [message, deliveryId]);
        return client.StartWorkflowAsync((Phase6TonightWorkflow wf) => wf.RunAsync(null), options);
    }

    /// <summary>
    /// Signals the event workflow of the message's event and date with the message as published, its delivery id and
    /// when it was received, starting the workflow if it is not running. Events that run the orchestrator's list go
    /// to the tonight workflow (<see cref="PredictionsCompleteAsync(PublishedPredictionsComplete, string?, CancellationToken)"/>).
    /// </summary>
    public Task<WorkflowHandle<Phase6EventWorkflow, EventWorkflowResult>> EventAsync(
        PublishedEvent published, string? deliveryId = null, CancellationToken cancellationToken = default)
    {
        var ev = published.Event;
        var date = ExportDates.ToText(published.Request.Date);
        var types = published.Request.Types.ToList();
        var options = new WorkflowOptions(EventWorkflowIds.For(ev.Name, published.Request.Date), taskQueue)
        {
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(ExportSearchAttributes.ExportDate, date)
                .Set(ExportSearchAttributes.ExportTypes, types)
                .Set(ExportSearchAttributes.ExportTrigger, ev.Name)
                .ToSearchAttributeCollection(),
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
            StaticSummary = RunMetadata.Summary(types, date, ev.Name),
            StaticDetails = Details(("event", ev.Name), ("correlation id", published.Request.CorrelationId), ("delivery", deliveryId)),
        };
        var receivedAt = ExportDates.ToTimestamp(published.ReceivedAt);
        options.SignalWithStart(Phase6EventWorkflow.SignalName, [published.ToPayload(), deliveryId, receivedAt]);
        return client.StartWorkflowAsync((Phase6EventWorkflow wf) => wf.RunAsync(null), options);
    }

    /// <summary>Starts <see cref="Phase6ExportWorkflow"/>; the request is validated first so a bad one starts nothing.</summary>
    public Task<WorkflowHandle<Phase6ExportWorkflow, ExportReport>> StartExportAsync(ExportRequest request, DateTimeOffset now)
    {
        var plan = ExportPlanner.Plan(catalog, request, now);
        var id = $"phase6-export-{ExportSearchAttributes.DateOf(plan) ?? "nodate"}-{Guid.NewGuid():N}";
        return client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
            new WorkflowOptions(id, taskQueue)
            {
                TypedSearchAttributes = ExportSearchAttributes.For(plan),
                StaticSummary = RunMetadata.Summary(plan),
                StaticDetails = Details(("trigger", plan.Trigger), ("correlation id", request.CorrelationId)),
            });
    }

    /// <summary>
    /// Starts the durable backfill of a range, or attaches to it: the id is derived from range and types, so a second
    /// start of a running backfill returns the running one. Unless <see cref="BackfillInput.Force"/>, dates the last
    /// completed run of the same id exported successfully are skipped.
    /// </summary>
    public async Task<(WorkflowHandle<Phase6BackfillWorkflow, BackfillReport> Handle, bool Attached)> StartOrAttachBackfillAsync(
        BackfillInput input, CancellationToken cancellationToken = default)
    {
        var from = ExportDates.Parse(input.From, "--from date");
        var to = ExportDates.Parse(input.To, "--to date");
        var types = BackfillPlanner.ValidateTypes(catalog, input.Types, allowFixedPaths: true);
        var id = BackfillSpans.WorkflowId(from, to, types);
        var rpc = new RpcOptions { CancellationToken = cancellationToken };
        var existing = client.GetWorkflowHandle<Phase6BackfillWorkflow, BackfillReport>(id);
        var skip = new List<string>();
        try
        {
            var description = await existing.DescribeAsync(new() { Rpc = rpc });
            if (description.Status == Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Running)
            {
                return (existing, true);
            }
            // A completed run, or one that ended cancelled (failed with its report), leaves its exported dates to skip.
            if (description.Status is Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Completed or Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Failed
                && !input.Force && await PreviousReportAsync(existing, rpc) is { } previous)
            {
                skip.AddRange(previous.AlreadyDone.Concat(previous.Dates.Where(d => d.Succeeded).Select(d => d.Date)));
            }
        }
        catch (Temporalio.Exceptions.RpcException ex) when (ex.Code == Temporalio.Exceptions.RpcException.StatusCode.NotFound)
        {
            // Never run: start it.
        }
        var options = new WorkflowOptions(id, taskQueue)
        {
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(ExportSearchAttributes.ExportDate, input.From)
                .Set(ExportSearchAttributes.ExportTypes, types.ToList())
                .Set(ExportSearchAttributes.ExportTrigger, "backfill")
                .ToSearchAttributeCollection(),
            Rpc = rpc,
            StaticSummary = RunMetadata.Summary(types.ToList(), $"{input.From}..{input.To}", "backfill"),
            StaticDetails = Details(("trigger", "backfill"), ("force", input.Force ? "yes" : null)),
        };
        var start = input with { Types = types, Skip = skip.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() };
        try
        {
            return (await client.StartWorkflowAsync((Phase6BackfillWorkflow wf) => wf.RunAsync(start), options), false);
        }
        catch (Temporalio.Exceptions.WorkflowAlreadyStartedException)
        {
            // Started by someone else between describe and start.
            return (existing, true);
        }
    }

    private static async Task<BackfillReport?> PreviousReportAsync(WorkflowHandle<Phase6BackfillWorkflow, BackfillReport> handle, RpcOptions rpc)
    {
        try
        {
            return await BackfillResults.ReportAsync(handle.GetResultAsync(rpcOptions: rpc));
        }
        catch (Temporalio.Exceptions.WorkflowFailedException)
        {
            return null;
        }
    }
}

using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>What other services call: report predictions complete, or run an export, on a Temporal cluster.</summary>
public sealed class Phase6Client(ITemporalClient client, string taskQueue)
{
    public static string TonightWorkflowId(DateOnly gameDate) => TonightWorkflowIds.For(gameDate);

    /// <summary>
    /// Validates the Phase 5 message (malformed → <see cref="InvalidExportRequestException"/>, nothing started) and
    /// signals the date's tonight workflow, starting it if it is not running.
    /// </summary>
    public Task<WorkflowHandle<Phase6TonightWorkflow, TonightResult>> PredictionsCompleteAsync(string messageJson) =>
        PredictionsCompleteAsync(PredictionsCompleteMessage.Parse(messageJson));

    public Task<WorkflowHandle<Phase6TonightWorkflow, TonightResult>> PredictionsCompleteAsync(PredictionsCompleteMessage message)
    {
        var options = new WorkflowOptions(TonightWorkflowId(message.GameDate), taskQueue)
        {
            TypedSearchAttributes = new Temporalio.Common.SearchAttributeCollection.Builder()
                .Set(ExportSearchAttributes.ExportDate, ExportDates.ToText(message.GameDate))
                .Set(ExportSearchAttributes.ExportTypes, ExportTypeCatalog.TonightTypes.ToList())
                .Set(ExportSearchAttributes.ExportTrigger, "orchestrator")
                .ToSearchAttributeCollection(),
        };
        // The same shapes a client in any language sends: no start input (the id names the date), the message as published.
        options.SignalWithStart((Phase6TonightWorkflow wf) => wf.PredictionsCompleteAsync(message.ToJsonElement()));
        return client.StartWorkflowAsync((Phase6TonightWorkflow wf) => wf.RunAsync(null), options);
    }

    /// <summary>Starts <see cref="Phase6ExportWorkflow"/>; the request is validated first so a bad one starts nothing.</summary>
    public Task<WorkflowHandle<Phase6ExportWorkflow, ExportReport>> StartExportAsync(ExportRequest request, DateTimeOffset now, string? workflowId = null)
    {
        var plan = ExportPlanner.Plan(request, now);
        var id = workflowId ?? $"phase6-export-{ExportSearchAttributes.DateOf(plan) ?? "nodate"}-{Guid.NewGuid():N}";
        return client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
            new WorkflowOptions(id, taskQueue) { TypedSearchAttributes = ExportSearchAttributes.For(plan) });
    }
}

using ExportFlows.Workflows.Contracts;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>The export a message workflow (tonight, event) runs as its child, once per run.</summary>
public static class ExportChild
{
    /// <summary>The child's id: the parent's id, its run and the run's number, so each run of each execution has its own.</summary>
    public static string Id(int number) => $"{Workflow.Info.WorkflowId}-{Workflow.Info.RunId[..8]}-{number}";

    /// <summary>Runs the export as a child: its report, or the failure's message and the report it carries.</summary>
    public static async Task<(ExportReport? Report, string? Failure)> RunAsync(ExportRequest request, ChildWorkflowOptions options)
    {
        try
        {
            return (await Workflow.ExecuteChildWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), options), null);
        }
        catch (ChildWorkflowFailureException ex) when (ex.InnerException is ApplicationFailureException failure)
        {
            return (failure.Details.Count > 0 ? failure.Details.ElementAt<ExportReport>(0) : null, failure.Message);
        }
    }
}

using Temporalio.Worker;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>
/// The workflows ExportFlows runs, registered once: the worker host, the embedded worker, the tests' workers and the
/// replayer of recorded histories all add this list.
/// </summary>
public static class ExportWorkflows
{
    public static IReadOnlyList<Type> All { get; } = [typeof(Phase6ExportWorkflow), typeof(Phase6TonightWorkflow), typeof(Phase6BackfillWorkflow), typeof(Phase6EventWorkflow)];

    public static T AddExportWorkflows<T>(this T options)
        where T : TemporalWorkerOptions
    {
        foreach (var workflow in All)
        {
            options.AddWorkflow(WorkflowDefinition.Create(workflow));
        }
        return options;
    }

    public static WorkflowReplayerOptions AddExportWorkflows(this WorkflowReplayerOptions options)
    {
        foreach (var workflow in All)
        {
            options.AddWorkflow(WorkflowDefinition.Create(workflow));
        }
        return options;
    }
}

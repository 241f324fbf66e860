using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace ExportFlows.Tests.Support;

/// <summary>The task queues of one server test: the export workflows' worker and the stand-in external worker.</summary>
public sealed record ServerQueues(ITemporalClient Client, string Main, string External);

/// <summary>
/// An export run on the test server: the workflows and the fake native activities on a fresh main queue, and the
/// stand-in for the original exporters' worker on a fresh external queue, with bounded waits.
/// </summary>
public static class ServerExportRun
{
    /// <summary>Runs <paramref name="body"/> with the main worker, and the external one unless <paramref name="external"/> is null.</summary>
    public static async Task<T> WithWorkersAsync<T>(FakeExportActivities native, FakeExternalExporters? external, Func<ServerQueues, Task<T>> body)
    {
        var client = TemporalTestServer.Client;
        var queues = new ServerQueues(client, TemporalTestServer.NewTaskQueue(), TemporalTestServer.NewTaskQueue());
        native.ExternalTaskQueue = queues.External;
        using var main = new TemporalWorker(client, new TemporalWorkerOptions(queues.Main).AddAllActivities(native)
            .AddExportWorkflows());
        if (external is null)
        {
            return await main.ExecuteAsync(() => body(queues)).Within();
        }
        using var externalWorker = external.Worker(client, queues.External);
        return await externalWorker.ExecuteAsync(() => main.ExecuteAsync(() => body(queues))).Within(TimeSpan.FromSeconds(90));
    }

    public static Task<ExportReport> RunAsync(ServerQueues queues, ExportRequest request, string? id = null) =>
        queues.Client.ExecuteWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
            new WorkflowOptions(id ?? $"export-{Guid.NewGuid():N}", queues.Main)).Within(TimeSpan.FromSeconds(80));

    /// <summary>The report an <c>ExportsFailed</c> run carries.</summary>
    public static ExportReport FailedReport(WorkflowFailedException failure)
    {
        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.ExportsFailed, application.ErrorType);
        return application.Details.ElementAt<ExportReport>(0);
    }
}

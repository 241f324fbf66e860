using ExportFlows.Worker.Engines;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Temporal;

/// <summary>Runs the request as a <see cref="Phase6ExportWorkflow"/> on a Temporal cluster and waits for its report.</summary>
public sealed class TemporalExportEngine(ITemporalClient client, TemporalSettings settings) : IExportEngine
{
    public string Name => $"temporal {settings.Address}";

    public async Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handle = await new Phase6Client(client, settings.TaskQueue).StartExportAsync(request, now);
        try
        {
            var report = await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
            return report with { WorkflowId = handle.Id, RunId = handle.ResultRunId };
        }
        catch (WorkflowFailedException ex) when (ex.InnerException is ApplicationFailureException { ErrorType: ExportErrorTypes.ExportsFailed } failure)
        {
            return failure.Details.ElementAt<ExportReport>(0) with { WorkflowId = handle.Id };
        }
        catch (WorkflowFailedException ex) when (ex.InnerException is ApplicationFailureException { ErrorType: ExportErrorTypes.InvalidRequest } failure)
        {
            throw new InvalidExportRequestException(failure.Message);
        }
    }
}

using ExportFlows.Worker.Engines;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Client;

/// <summary>
/// Runs the request as a <see cref="Phase6ExportWorkflow"/> on a Temporal cluster and waits for its report. Says the
/// workflow id as soon as it starts, notes when no worker picks the run up, and on interrupt cancels or leaves the
/// workflow as <paramref name="shouldCancelOnInterrupt"/> decides.
/// </summary>
public sealed class TemporalExportEngine(
    ITemporalClient client, TemporalSettings settings, ExportCatalog catalog, TextWriter notices, Func<bool> shouldCancelOnInterrupt) : IExportEngine
{
    private static readonly TimeSpan CancelPatience = TimeSpan.FromSeconds(30);

    public string Name => $"temporal {settings.Address}";

    public async Task<ExportReport> RunAsync(ExportRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var handle = await new Phase6Client(client, settings.TaskQueue, catalog) { Source = "exportflows export" }.StartExportAsync(request, now);
        await notices.WriteLineAsync($"started workflow {handle.Id} on task queue {settings.TaskQueue}" +
            (settings.WorkflowLink(handle.Id) is { } link ? $" ({link})" : ""));
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pickup = new WorkflowPickupWatch(handle, settings.TaskQueue, notices).RunAsync(settings.PickupPatience, watching.Token);
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
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw await InterruptedAsync(handle);
        }
        finally
        {
            await watching.CancelAsync();
            await pickup;
        }
    }

    private async Task<RunInterruptedException> InterruptedAsync(WorkflowHandle handle)
    {
        if (!shouldCancelOnInterrupt())
        {
            return new RunInterruptedException($"interrupted: workflow {handle.Id} keeps running on task queue {settings.TaskQueue}; " +
                $"follow it in the UI or with 'temporal workflow show --workflow-id {handle.Id}', cancel it with 'temporal workflow cancel --workflow-id {handle.Id}'");
        }
        using var patience = new CancellationTokenSource(CancelPatience);
        try
        {
            await handle.CancelAsync(new() { Rpc = new() { CancellationToken = patience.Token } });
            var description = await WaitClosedAsync(handle, patience.Token);
            return new RunInterruptedException($"interrupted: workflow {handle.Id} was cancelled ({description}); documents it had written stay published");
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            return new RunInterruptedException($"interrupted: asked workflow {handle.Id} to cancel but could not confirm it within {CancelPatience.TotalSeconds:0} s " +
                $"({ex.Message.Split('\n')[0]}); check it with 'temporal workflow describe --workflow-id {handle.Id}'");
        }
    }

    private static async Task<string> WaitClosedAsync(WorkflowHandle handle, CancellationToken cancellationToken)
    {
        try
        {
            await handle.GetResultAsync<ExportReport>(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
            return "it had already completed";
        }
        catch (WorkflowFailedException ex) when (ex.InnerException is CanceledFailureException)
        {
            return "closed as cancelled";
        }
        catch (WorkflowFailedException ex)
        {
            return $"closed: {ex.InnerException?.Message ?? ex.Message}";
        }
    }
}

using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Client;

/// <summary>
/// Tells the user when a started run has not been picked up by any worker within a few seconds (no worker polls its
/// task queue, or all are busy), and again once one picks it up, instead of waiting silently.
/// </summary>
public sealed class WorkflowPickupWatch(WorkflowHandle handle, string taskQueue, TextWriter notices)
{
    public async Task RunAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(patience, cancellationToken);
            if (await PickedUpAsync(cancellationToken))
            {
                return;
            }
            await notices.WriteLineAsync($"note: no worker has picked up workflow {handle.Id} after {patience.TotalSeconds:0} s: is a worker " +
                $"('exportflows worker') polling task queue '{taskQueue}' on this namespace? Still waiting; Ctrl-C to stop waiting.");
            while (!await PickedUpAsync(cancellationToken))
            {
                await Task.Delay(patience, cancellationToken);
            }
            await notices.WriteLineAsync($"note: a worker picked up workflow {handle.Id}");
        }
        catch (OperationCanceledException)
        {
            // The run finished or the wait was interrupted.
        }
        catch (RpcException)
        {
            // The history could not be read; the result wait reports real trouble itself.
        }
    }

    /// <summary>Whether a worker has started a workflow task of the run (a started task is the first sign of a worker).</summary>
    private async Task<bool> PickedUpAsync(CancellationToken cancellationToken)
    {
        var history = await handle.FetchHistoryAsync(new() { Rpc = new() { CancellationToken = cancellationToken } });
        return history.Events.Any(e => e.EventType is EventType.WorkflowTaskStarted or EventType.WorkflowExecutionCompleted
            or EventType.WorkflowExecutionFailed or EventType.WorkflowExecutionTerminated or EventType.WorkflowExecutionCanceled);
    }
}

using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Backfill;

/// <summary>
/// Follows a running backfill workflow from the CLI: progress from its query, the report from its result. The handle
/// carries no run id, so it follows the workflow across continue-as-new.
/// </summary>
public sealed class BackfillFollower(WorkflowHandle<Phase6BackfillWorkflow, BackfillReport> handle)
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <returns>The report, or null when <paramref name="cancellationToken"/> fired first (the workflow keeps running).</returns>
    public async Task<BackfillReport?> FollowAsync(Action<BackfillProgress, BackfillDateOutcome?> update, CancellationToken cancellationToken)
    {
        var result = handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = cancellationToken });
        while (true)
        {
            try
            {
                var progress = await handle.QueryAsync(wf => wf.Progress(), new() { Rpc = new() { CancellationToken = cancellationToken } });
                update(progress, null);
            }
            catch (Exception ex) when (ex is WorkflowQueryFailedException or RpcException && !cancellationToken.IsCancellationRequested)
            {
                // Between runs (continue-as-new) or before the first workflow task: the next poll answers.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            try
            {
                await Task.WhenAny(result, Task.Delay(PollInterval, cancellationToken));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            if (result.IsCompleted)
            {
                try
                {
                    return await result;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return null;
                }
            }
            if (cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    /// <summary>Asks the workflow to cancel and waits (bounded) for its report of what was written.</summary>
    public async Task<BackfillReport> CancelAsync(TimeSpan within)
    {
        await handle.CancelAsync();
        using var timeout = new CancellationTokenSource(within);
        return await handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = timeout.Token });
    }
}

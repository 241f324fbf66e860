using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Client;

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
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                update(await handle.QueryAsync(wf => wf.Progress(), new() { Rpc = new() { CancellationToken = cancellationToken } }), null);
            }
            catch (Exception ex) when (ex is WorkflowQueryFailedException or RpcException or OperationCanceledException)
            {
                // Between runs (continue-as-new) or before the first workflow task the next poll answers; cancelled, the loop ends.
            }
            // WhenAny never throws: a cancelled delay just ends the wait.
            await Task.WhenAny(result, Task.Delay(PollInterval, cancellationToken));
            if (result.IsCompleted && !cancellationToken.IsCancellationRequested)
            {
                return await BackfillResults.ReportAsync(result);
            }
        }
        return null;
    }

    /// <summary>Asks the workflow to cancel and waits (bounded) for its report of what was written.</summary>
    public async Task<BackfillReport> CancelAsync(TimeSpan within)
    {
        await handle.CancelAsync();
        using var timeout = new CancellationTokenSource(within);
        return await BackfillResults.ReportAsync(handle.GetResultAsync(rpcOptions: new RpcOptions { CancellationToken = timeout.Token }));
    }
}

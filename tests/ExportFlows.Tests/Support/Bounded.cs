namespace ExportFlows.Tests.Support;

/// <summary>Every wait in a server test is bounded: a failure fails the test, it never hangs the run.</summary>
public static class Bounded
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds (checked every 100 ms), failing after the limit; a check that itself
    /// does not answer (an RPC to a stuck server, say) is cut off at the same deadline.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? Patience);
        try
        {
            while (!await condition().WaitAsync(deadline.Token))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"gave up waiting for {what} after {limit ?? Patience}");
        }
    }

    /// <summary>
    /// A workflow query inside a polling condition: a workflow that cannot answer yet (no workflow task completed, or
    /// between runs) counts as "not yet", so the wait goes on until its deadline instead of failing at once.
    /// </summary>
    public static async Task<T?> QueryOrDefaultAsync<T>(Func<Task<T>> query)
    {
        try
        {
            return await query();
        }
        catch (Exception ex) when (ex is Temporalio.Exceptions.WorkflowQueryFailedException or Temporalio.Exceptions.RpcException)
        {
            return default;
        }
    }
}

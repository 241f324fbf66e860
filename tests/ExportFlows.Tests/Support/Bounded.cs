namespace ExportFlows.Tests.Support;

/// <summary>Every wait in a server test is bounded: a failure fails the test, it never hangs the run.</summary>
public static class Bounded
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 100 ms), failing after the limit.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null)
    {
        using var deadline = new CancellationTokenSource(limit ?? Patience);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"gave up waiting for {what} after {limit ?? Patience}");
            }
        }
    }
}

namespace ExportFlows.Tests.Support;

/// <summary>Every wait in a server test is bounded: a failure fails the test, it never hangs the run.</summary>
public static class Bounded
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null) => task.WaitAsync(limit ?? Patience);
}

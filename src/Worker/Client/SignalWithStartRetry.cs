using System.Diagnostics;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Client;

/// <summary>
/// Signal-with-start, tried again on the server's "workflow execution already started" conflict. Concurrent
/// signal-with-start calls for one workflow id can meet a run of that id that is starting or completing; the server
/// then answers that conflict although it is available, and the next try signals the run (or starts a new one).
/// Any other failure is not retried here: it is classified for the caller.
/// </summary>
public sealed class SignalWithStartRetry(ConflictRetryPolicy policy, Func<TimeSpan, CancellationToken, Task>? delay = null, Random? random = null)
{
    public static SignalWithStartRetry Default { get; } = new(ConflictRetryPolicy.Default);

    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>The call's result and how many conflicts it took.</summary>
    /// <exception cref="StartConflictExhaustedException">Every try met the conflict, or the budget ran out.</exception>
    public async Task<(T Value, int Conflicts)> RunAsync<T>(Func<CancellationToken, Task<T>> signalWithStart, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await signalWithStart(cancellationToken), attempt - 1);
            }
            catch (Exception ex) when (Classify(ex) == TemporalFailureKind.StartConflict)
            {
                var pause = policy.DelayBefore(attempt + 1, _random.NextDouble());
                if (attempt >= policy.MaxAttempts || watch.Elapsed + pause > policy.Budget)
                {
                    throw new StartConflictExhaustedException(attempt, watch.Elapsed, ex);
                }
                await _delay(pause, cancellationToken);
            }
        }
    }

    public static TemporalFailureKind Classify(Exception exception) => exception switch
    {
        WorkflowAlreadyStartedException => TemporalFailureKind.StartConflict,
        RpcException { Code: RpcException.StatusCode.AlreadyExists } => TemporalFailureKind.StartConflict,
        RpcException
        {
            Code: RpcException.StatusCode.Unavailable or RpcException.StatusCode.DeadlineExceeded or RpcException.StatusCode.ResourceExhausted
            or RpcException.StatusCode.Aborted or RpcException.StatusCode.Cancelled or RpcException.StatusCode.Unknown,
        } => TemporalFailureKind.Unavailable,
        RpcException => TemporalFailureKind.Refused,
        // The lazy connection failing to connect, or a call timing out on the client side.
        InvalidOperationException or TimeoutException or OperationCanceledException => TemporalFailureKind.Unavailable,
        _ => TemporalFailureKind.Refused,
    };
}

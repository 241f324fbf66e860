using System.Diagnostics;
using ExportFlows.Activities;
using ExportFlows.Workflows.Planning;
using Temporalio.Exceptions;

namespace ExportFlows.Worker.Engines;

/// <summary>The outcome of <see cref="PolicyAttempts.RunAsync{T}"/>: the value, or the failure that ended the attempts.</summary>
public sealed record Attempted<T>(T? Value, ApplicationFailureException? Failure, int Attempts, TimeSpan Elapsed);

/// <summary>
/// Runs an operation in process the way Temporal runs an activity with <see cref="ExportActivityPolicy"/>: each attempt
/// limited to the start-to-close timeout, the policy's backoff between attempts, until success, a non-retryable failure,
/// or the policy's attempts or schedule-to-close budget run out. Cancellation stops everything.
/// </summary>
public static class PolicyAttempts
{
    /// <param name="attempt">One attempt: its number (1-based) and its cancellation.</param>
    /// <param name="delay">Waits between attempts (tests replace it).</param>
    /// <param name="onRetry">Called before each retry with the failed attempt's number, its failure and the delay.</param>
    public static async Task<Attempted<T>> RunAsync<T>(ExportActivityPolicy policy, Func<int, CancellationToken, Task<T>> attempt,
        Func<TimeSpan, CancellationToken, Task> delay, Action<int, ApplicationFailureException, TimeSpan> onRetry, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var number = 1; ; number++)
        {
            ApplicationFailureException failure;
            using (var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptCancellation.CancelAfter(policy.StartToClose);
                try
                {
                    return new Attempted<T>(await attempt(number, attemptCancellation.Token), null, number, watch.Elapsed);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failure = ex as ApplicationFailureException
                        ?? new ApplicationFailureException(ex.Message, ex, ExportActivities.Classify(ex), nonRetryable: false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new ApplicationFailureException($"attempt {number} did not finish within its start-to-close timeout of {policy.StartToClose}", "StartToCloseTimeout");
                }
            }
            if (!policy.MayRetry(number, watch.Elapsed, failure.ErrorType, failure.NonRetryable))
            {
                return new Attempted<T>(default, failure, number, watch.Elapsed);
            }
            var wait = policy.RetryDelay(number);
            onRetry(number, failure, wait);
            await delay(wait, cancellationToken);
        }
    }
}

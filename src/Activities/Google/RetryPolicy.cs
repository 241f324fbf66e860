namespace ExportFlows.Activities.Google;

/// <summary>Attempts and backoff bounds of Google API retries (the Polly pipelines of <see cref="GoogleApiResilience"/> apply them).</summary>
public sealed record RetryPolicy(int MaxAttempts = 5, TimeSpan? InitialDelay = null, TimeSpan? MaxDelay = null)
{
    public TimeSpan Initial => InitialDelay ?? TimeSpan.FromSeconds(1);
    public TimeSpan Max => MaxDelay ?? TimeSpan.FromSeconds(32);

    /// <summary>Retryable: 429, 5xx, and the BigQuery/GCS reasons that mean "try again".</summary>
    public static bool IsRetryable(int statusCode, string? reason) =>
        statusCode is 408 or 429 || statusCode >= 500 ||
        reason is "rateLimitExceeded" or "backendError" or "internalError" or "userRateLimitExceeded";
}

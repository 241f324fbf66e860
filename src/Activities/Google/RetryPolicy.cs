namespace ExportFlows.Activities.Google;

/// <summary>Exponential backoff with full jitter for Google API calls.</summary>
public sealed record RetryPolicy(int MaxAttempts = 5, TimeSpan? InitialDelay = null, TimeSpan? MaxDelay = null)
{
    public TimeSpan Initial => InitialDelay ?? TimeSpan.FromSeconds(1);
    public TimeSpan Max => MaxDelay ?? TimeSpan.FromSeconds(32);

    /// <summary>Delay before retry number <paramref name="attempt"/> (1 = the first retry): uniform in [0, min(max, initial·2^(attempt-1))].</summary>
    public TimeSpan DelayBefore(int attempt, Random random)
    {
        var ceiling = Math.Min(Max.TotalMilliseconds, Initial.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }

    /// <summary>Retryable: 429, 5xx, and the BigQuery/GCS reasons that mean "try again".</summary>
    public static bool IsRetryable(int statusCode, string? reason) =>
        statusCode is 408 or 429 || statusCode >= 500 ||
        reason is "rateLimitExceeded" or "backendError" or "internalError" or "userRateLimitExceeded";
}

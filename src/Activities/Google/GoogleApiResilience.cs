using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace ExportFlows.Activities.Google;

/// <summary>
/// Google's retry guidance as Polly pipelines: 408, 429, 5xx, connection failures, and errors whose reason says "try
/// again" (<c>rateLimitExceeded</c>, <c>backendError</c>, … even on a 403), retried with exponential backoff and full
/// jitter up to <see cref="RetryPolicy.MaxAttempts"/> attempts. The HTTP pipeline sits in the API's HttpClient (from
/// IHttpClientFactory in the services); the answered-error pipeline retries errors an API reports inside a successful
/// answer (a BigQuery job's <c>errors[]</c>).
/// </summary>
public static class GoogleApiResilience
{
    public static void ConfigureHttp(ResiliencePipelineBuilder<HttpResponseMessage> builder, RetryPolicy retry, TimeSpan attemptTimeout, ILogger logger) => builder
        .AddRetry(Timed<HttpRetryStrategyOptions, HttpResponseMessage>(new HttpRetryStrategyOptions
        {
            ShouldHandle = args => args.Outcome switch
            {
                { Exception: HttpRequestException or Polly.Timeout.TimeoutRejectedException } => ValueTask.FromResult(true),
                { Result: { } response } => IsRetryableAsync(response),
                _ => ValueTask.FromResult(false),
            },
            OnRetry = args =>
            {
                logger.LogWarning("Google API request failed ({Status}); retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms",
                    args.Outcome.Result?.StatusCode.ToString() ?? args.Outcome.Exception?.Message, args.AttemptNumber + 1, retry.MaxAttempts - 1, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }, retry))
        .AddTimeout(attemptTimeout);

    public static ResiliencePipeline<HttpResponseMessage> Http(RetryPolicy retry, TimeSpan attemptTimeout, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        ConfigureHttp(builder, retry, attemptTimeout, logger);
        return builder.Build();
    }

    /// <summary>An HttpClient with the HTTP pipeline, for code built without the service container (tests, tools).</summary>
    public static HttpClient HttpClient(RetryPolicy retry, TimeSpan attemptTimeout, ILogger logger) =>
        new(new ResilienceHandler(Http(retry, attemptTimeout, logger)) { InnerHandler = new SocketsHttpHandler() });

    /// <summary>
    /// Retries an operation that failed with a <see cref="GoogleApiException"/> matching <paramref name="retryable"/>:
    /// a BigQuery job error answered inside a 200, or a conditional GCS upload (which the storage library does not retry).
    /// </summary>
    public static ResiliencePipeline Errors(RetryPolicy retry, ILogger logger, Func<GoogleApiException, bool> retryable) => new ResiliencePipelineBuilder()
        .AddRetry(Timed<RetryStrategyOptions, object>(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle(retryable),
            OnRetry = args =>
            {
                logger.LogWarning("Google API reported a retryable error ({Error}); retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms",
                    args.Outcome.Exception?.Message, args.AttemptNumber + 1, retry.MaxAttempts - 1, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }, retry))
        .Build();

    /// <summary>Google's backoff on any retry strategy: exponential with jitter, <see cref="RetryPolicy"/>'s attempts and bounds.</summary>
    private static TOptions Timed<TOptions, TResult>(TOptions options, RetryPolicy retry) where TOptions : RetryStrategyOptions<TResult>
    {
        options.MaxRetryAttempts = retry.MaxAttempts - 1;
        options.BackoffType = DelayBackoffType.Exponential;
        options.UseJitter = true;
        options.Delay = retry.Initial;
        options.MaxDelay = retry.Max;
        return options;
    }

    private static async ValueTask<bool> IsRetryableAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        if (RetryPolicy.IsRetryable(status, null))
        {
            return true;
        }
        // A 4xx is retryable only when its reason says so (BigQuery answers a rate limit with 403 rateLimitExceeded).
        await response.Content.LoadIntoBufferAsync();
        return RetryPolicy.IsRetryable(status, GoogleErrorBody.Parse(await response.Content.ReadAsStringAsync()).Reason);
    }
}

/// <summary>Google's JSON error body, <c>{"error": {"message": …, "errors": [{"reason": …}]}}</c>; both null when the body is not one.</summary>
public sealed record GoogleErrorBody(string? Message, string? Reason)
{
    public static GoogleErrorBody Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return new(null, null);
            }
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            var reason = error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 &&
                errors[0].TryGetProperty("reason", out var r) ? r.GetString() : null;
            return new(message, reason);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not a JSON error body (a proxy's HTML page, say), or one whose fields are no text (a number, a lone surrogate).
            return new(null, null);
        }
    }
}

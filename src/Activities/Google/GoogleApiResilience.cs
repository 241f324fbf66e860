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
        .AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = retry.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retry.Initial,
            MaxDelay = retry.Max,
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
        })
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

    public static ResiliencePipeline AnsweredErrors(RetryPolicy retry, ILogger logger) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = retry.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = retry.Initial,
            MaxDelay = retry.Max,
            ShouldHandle = new PredicateBuilder().Handle<GoogleApiException>(ex => ex.Retryable && ex.StatusCode is >= 200 and < 300),
            OnRetry = args =>
            {
                logger.LogWarning("Google API reported a retryable error ({Error}); retry {Attempt} of {MaxRetries} in {DelayMs:F0} ms",
                    args.Outcome.Exception?.Message, args.AttemptNumber + 1, retry.MaxAttempts - 1, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

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
        return RetryPolicy.IsRetryable(status, ReasonOf(await response.Content.ReadAsStringAsync()));
    }

    public static string? ReasonOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 &&
                errors[0].TryGetProperty("reason", out var reason) ? reason.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

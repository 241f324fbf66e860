using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Google;

/// <summary>
/// Sends authenticated requests to a Google JSON API and turns error bodies into <see cref="GoogleApiException"/>. The
/// retries live in Polly pipelines (<see cref="GoogleApiResilience"/>): HTTP failures in the HttpClient's handler,
/// errors reported inside a successful answer in <see cref="RetryAnsweredErrorsAsync{T}"/>.
/// </summary>
public sealed class GoogleApiClient(string api, HttpClient http, IAccessTokenSource tokens, RetryPolicy retry, ILogger logger)
{
    private readonly Polly.ResiliencePipeline _answered = GoogleApiResilience.Errors(retry, logger, ex => ex.Retryable && ex.StatusCode is >= 200 and < 300);

    /// <summary>Sends the request built by <paramref name="build"/> and returns the successful response.</summary>
    /// <param name="notFoundIsNull">Return null for a 404 instead of throwing.</param>
    public async Task<HttpResponseMessage?> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        using var request = build();
        var token = await tokens.GetAccessTokenAsync(cancellationToken);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new GoogleApiException(api, 0, "connectionFailed", $"{request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {ex.Message}", retryable: true);
        }
        catch (Exception ex) when (ex is TaskCanceledException or Polly.Timeout.TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new GoogleApiException(api, 0, "timeout", ex.Message, retryable: true);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (notFoundIsNull && (int)response.StatusCode == 404)
            {
                return null;
            }
            throw await ToExceptionAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> again, with the same backoff, when it fails with a retryable error that an API
    /// reported inside a successful HTTP answer (a BigQuery job's <c>errors[]</c>): HTTP errors are already retried per request.
    /// </summary>
    public async Task<T> RetryAnsweredErrorsAsync<T>(Func<Task<T>> operation, CancellationToken cancellationToken) =>
        await _answered.ExecuteAsync(async _ => await operation(), cancellationToken);

    public async Task<JsonDocument> SendJsonAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        using var response = (await SendAsync(build, cancellationToken))!;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            // A success that is not JSON (a proxy's page, a truncated body): no retry makes it an answer.
            throw new GoogleApiException(api, (int)response.StatusCode, "malformedAnswer",
                $"the answer to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} is not JSON ({ex.Message})", retryable: false);
        }
    }

    private async Task<GoogleApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var (bodyMessage, reason) = GoogleErrorBody.Parse(body);
        // Not a JSON error body (a proxy's HTML page, say): keep the raw text.
        var message = bodyMessage ?? (body.Length > 500 ? body[..500] : body);
        if (string.IsNullOrWhiteSpace(message))
        {
            message = response.ReasonPhrase ?? "no message";
        }
        return new GoogleApiException(api, status, reason, message, RetryPolicy.IsRetryable(status, reason));
    }
}

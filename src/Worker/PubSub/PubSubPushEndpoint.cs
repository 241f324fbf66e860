using System.Diagnostics;
using System.Diagnostics.Metrics;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.PubSub;

/// <summary>What the push endpoint did, for logs, tests and metrics.</summary>
public sealed class PushCounters
{
    private static readonly Meter Meter = new("ExportFlows.PubSub");
    private static readonly Counter<long> Pushes = Meter.CreateCounter<long>("exportflows.pubsub.pushes", description: "push requests by outcome");
    private long _signalled, _rejected, _unauthorized, _unavailable;

    public long Signalled => Interlocked.Read(ref _signalled);

    public long Rejected => Interlocked.Read(ref _rejected);

    public long Unauthorized => Interlocked.Read(ref _unauthorized);

    public long Unavailable => Interlocked.Read(ref _unavailable);

    public void Count(string outcome)
    {
        Pushes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        _ = outcome switch
        {
            "signalled" => Interlocked.Increment(ref _signalled),
            "rejected" => Interlocked.Increment(ref _rejected),
            "unauthorized" or "forbidden" => Interlocked.Increment(ref _unauthorized),
            "unavailable" => Interlocked.Increment(ref _unavailable),
            _ => 0,
        };
    }
}

/// <summary>
/// <c>POST /pubsub/predictions-complete</c>: the Pub/Sub push subscription of the Phase 5 topic. Verifies the OIDC
/// token, validates the message with the parser <c>trigger</c> uses, and signals-with-start the date's tonight workflow
/// with the messageId as delivery id (a redelivery exports nothing). Answers follow push semantics: 200 only once
/// Temporal accepted the signal; 503 when Temporal is unreachable (Pub/Sub retries with backoff); 200 with
/// <c>"status": "rejected"</c> for a message that can never be valid (logged and counted, so it does not loop).
/// </summary>
public static class PubSubPushEndpoint
{
    public const string Path = "/pubsub/predictions-complete";

    public static IEndpointRouteBuilder MapPubSubPush(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, HandleAsync);
        return routes;
    }

    public static async Task<IResult> HandleAsync(HttpContext context, PubSubPushOptions options, GoogleOidcTokenVerifier verifier, Phase6Client phase6,
        PushCounters counters, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ExportFlows.PubSub");
        var watch = Stopwatch.StartNew();
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Answer(counters, "unsupported", Results.Json(new { error = "Content-Type must be application/json" }, statusCode: 415));
        }
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return Answer(counters, "too-large", Results.Json(new { error = $"body over {options.MaxBodyBytes} bytes" }, statusCode: 413));
        }
        if (options.InsecureNoAuth)
        {
            logger.LogWarning("Accepting an unauthenticated push (--insecure-no-auth): never use this where the endpoint is reachable by others");
        }
        else
        {
            var check = await verifier.VerifyAsync(context.Request.Headers.Authorization.ToString(), cancellationToken);
            if (!check.Accepted)
            {
                logger.LogWarning("Refused a push from {Remote}: {Reason}", context.Connection.RemoteIpAddress, check.Reason);
                return Answer(counters, check.Status == 401 ? "unauthorized" : "forbidden", Results.Json(new { error = check.Reason }, statusCode: check.Status));
            }
        }
        var body = await ReadBodyAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Answer(counters, "too-large", Results.Json(new { error = $"body over {options.MaxBodyBytes} bytes" }, statusCode: 413));
        }
        if (PushEnvelope.TryParse(body, out var problem) is not { } envelope)
        {
            return Answer(counters, "bad-request", Results.Json(new { error = problem }, statusCode: 400));
        }
        PredictionsCompleteMessage message;
        try
        {
            message = PredictionsCompleteMessage.Parse(envelope.DecodeData());
        }
        catch (InvalidExportRequestException ex)
        {
            // Acknowledged: redelivering a message that can never be valid would loop until the dead-letter topic.
            logger.LogWarning("Rejected push message {MessageId} from {Subscription}: {Problem}", envelope.MessageId, envelope.Subscription, ex.Message);
            return Answer(counters, "rejected", Results.Json(new { status = "rejected", messageId = envelope.MessageId, reason = ex.Message }));
        }
        try
        {
            var handle = await phase6.PredictionsCompleteAsync(message, envelope.MessageId, cancellationToken);
            logger.LogInformation("Push {MessageId} for {GameDate} signalled {WorkflowId} in {ElapsedMs} ms",
                envelope.MessageId, ExportDates.ToText(message.GameDate), handle.Id, watch.ElapsedMilliseconds);
            return Answer(counters, "signalled", Results.Json(new { status = "signalled", messageId = envelope.MessageId, workflowId = handle.Id }));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not handed to Temporal (unreachable, refused, connection failed): answer a retryable status, never 2xx.
            logger.LogError("Temporal did not accept push {MessageId} ({ErrorType}: {Error}); Pub/Sub will redeliver", envelope.MessageId, ex.GetType().Name, ex.Message);
            context.Response.Headers.RetryAfter = "10";
            return Answer(counters, "unavailable", Results.Json(new { error = $"Temporal unavailable: {ex.Message}" }, statusCode: 503));
        }
    }

    private static IResult Answer(PushCounters counters, string outcome, IResult result)
    {
        counters.Count(outcome);
        return result;
    }

    /// <summary>The body, or null when it is larger than the limit (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}

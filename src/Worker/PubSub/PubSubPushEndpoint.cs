using System.Diagnostics;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// <c>POST /pubsub/predictions-complete</c>: the Pub/Sub push subscription of the Phase 5 topic. Verifies the OIDC
/// token, validates the message with the parser <c>trigger</c> uses, and signals-with-start the date's tonight workflow
/// with the message as published and the messageId as delivery id (a redelivery exports nothing). Answers follow push
/// semantics: 200 only once Temporal accepted the signal; 200 with <c>"status": "rejected"</c> for a message that can
/// never be valid (logged and counted, so it does not loop); 4xx with a reason for a request that is not a valid push;
/// 409 when a start conflict outlasted its retries and 503 when Temporal (or Google's signing keys) cannot be reached:
/// Pub/Sub redelivers both. Nothing the caller sends produces another 5xx.
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
        if (PushContentType.Problem(context.Request.ContentType) is { } typeProblem)
        {
            return Answer(counters, PushOutcome.Unsupported, Error(typeProblem, 415));
        }
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return Answer(counters, PushOutcome.TooLarge, Error($"body over {options.MaxBodyBytes} bytes", 413));
        }
        if (options.InsecureNoAuth)
        {
            logger.LogWarning("Accepting an unauthenticated push (--insecure-no-auth): never use this where the endpoint is reachable by others");
        }
        else
        {
            var check = await verifier.VerifyAsync(context.Request.Headers.Authorization.ToString(), cancellationToken);
            if (check.Status == 503)
            {
                logger.LogWarning("Could not check the token of a push: {Reason}; answered 503, Pub/Sub will redeliver", check.Reason);
                return Answer(counters, PushOutcome.KeysUnavailable, RetryLater(context, check.Reason, 503));
            }
            if (!check.Accepted)
            {
                logger.LogWarning("Refused a push from {Remote}: {Reason}", context.Connection.RemoteIpAddress, check.Reason);
                return Answer(counters, check.Status == 401 ? PushOutcome.Unauthorized : PushOutcome.Forbidden, Error(check.Reason, check.Status));
            }
        }
        var body = await ReadBodyAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return Answer(counters, PushOutcome.TooLarge, Error($"body over {options.MaxBodyBytes} bytes", 413));
        }
        if (PushEnvelope.TryParse(body, out var problem) is not { } envelope)
        {
            return Answer(counters, PushOutcome.BadRequest, Error(problem, 400));
        }
        PublishedPredictionsComplete published;
        try
        {
            published = PublishedPredictionsComplete.Parse(envelope.DecodeDataBytes());
        }
        catch (InvalidExportRequestException ex)
        {
            // Acknowledged: redelivering a message that can never be valid would loop until the dead-letter topic.
            logger.LogWarning("Rejected push message {MessageId} from {Subscription}: {Problem}", envelope.MessageId, envelope.Subscription, ex.Message);
            return Answer(counters, PushOutcome.Rejected, Results.Json(new { status = "rejected", messageId = envelope.MessageId, reason = ex.Message }));
        }
        return await SignalAsync(context, phase6, counters, logger, envelope, published, watch, cancellationToken);
    }

    private static async Task<IResult> SignalAsync(HttpContext context, Phase6Client phase6, PushCounters counters, ILogger logger, PushEnvelope envelope,
        PublishedPredictionsComplete published, Stopwatch watch, CancellationToken cancellationToken)
    {
        var retry = context.RequestServices.GetService<SignalWithStartRetry>() ?? SignalWithStartRetry.Default;
        var gameDate = ExportDates.ToText(published.Message.GameDate);
        var workflowId = Phase6Client.TonightWorkflowId(published.Message.GameDate);
        try
        {
            var (handle, conflicts) = await retry.RunAsync(token => phase6.PredictionsCompleteAsync(published, envelope.MessageId, token), cancellationToken);
            if (conflicts > 0)
            {
                logger.LogInformation("Push {MessageId} for {GameDate} signalled {WorkflowId} on try {Attempt}: the workflow was starting or closing " +
                    "(signal-with-start conflict) on the {Conflicts} earlier try(s); resolved by trying again, {ElapsedMs} ms",
                    envelope.MessageId, gameDate, handle.Id, conflicts + 1, conflicts, watch.ElapsedMilliseconds);
            }
            else
            {
                logger.LogInformation("Push {MessageId} for {GameDate} signalled {WorkflowId} in {ElapsedMs} ms", envelope.MessageId, gameDate, handle.Id, watch.ElapsedMilliseconds);
            }
            return Answer(counters, conflicts > 0 ? PushOutcome.ConflictResolved : PushOutcome.Signalled,
                Results.Json(new { status = "signalled", messageId = envelope.MessageId, workflowId = handle.Id }));
        }
        catch (StartConflictExhaustedException ex)
        {
            logger.LogWarning("Push {MessageId}: {WorkflowId} {Problem}; Temporal is reachable, answered 409 so Pub/Sub redelivers", envelope.MessageId, workflowId, ex.Message);
            return Answer(counters, PushOutcome.ConflictExhausted, RetryLater(context, $"{workflowId}: {ex.Message}; redeliver", 409));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Not handed to Temporal: answer a retryable status, never 2xx, so the message is not lost.
            if (SignalWithStartRetry.Classify(ex) == TemporalFailureKind.Unavailable)
            {
                logger.LogError("Temporal is unavailable for push {MessageId} ({ErrorType}: {Error}); answered 503, Pub/Sub will redeliver", envelope.MessageId, ex.GetType().Name, ex.Message);
                return Answer(counters, PushOutcome.Unavailable, RetryLater(context, $"Temporal unavailable: {ex.Message}", 503));
            }
            logger.LogError("Temporal refused push {MessageId} for {WorkflowId} ({ErrorType}: {Error}); check the worker's Temporal settings " +
                "(namespace, permissions, search attributes); answered 503, Pub/Sub will redeliver", envelope.MessageId, workflowId, ex.GetType().Name, ex.Message);
            return Answer(counters, PushOutcome.TemporalRefused, RetryLater(context, $"Temporal refused the signal: {ex.Message}", 503));
        }
    }

    private static IResult Error(string reason, int status) => Results.Json(new { error = reason }, statusCode: status);

    private static IResult RetryLater(HttpContext context, string reason, int status)
    {
        context.Response.Headers.RetryAfter = status == 409 ? "1" : "10";
        return Error(reason, status);
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

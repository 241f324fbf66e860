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
        routes.MapPost(EventPushEndpoint.Route, EventPushEndpoint.HandleAsync);
        return routes;
    }

    public static async Task<IResult> HandleAsync(HttpContext context, PubSubPushOptions options, GoogleOidcTokenVerifier verifier, Phase6Client phase6,
        PushCounters counters, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("ExportFlows.PubSub");
        var watch = Stopwatch.StartNew();
        var (envelope, refused) = await AdmitAsync(context, options, verifier, counters, logger, cancellationToken);
        if (envelope is null)
        {
            return refused!;
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
        var gameDate = ExportDates.ToText(published.Message.GameDate);
        return await SignalAsync(context, counters, logger, envelope, $"for {gameDate}", Phase6Client.TonightWorkflowId(published.Message.GameDate),
            async token => (await phase6.PredictionsCompleteAsync(published, envelope.MessageId, token)).Id, watch, cancellationToken);
    }

    /// <summary>
    /// Everything a push must pass before its message is read: content type, size, the OIDC token, a push envelope.
    /// Returns the envelope, or the answer that refuses the request.
    /// </summary>
    internal static async Task<(PushEnvelope? Envelope, IResult? Refused)> AdmitAsync(HttpContext context, PubSubPushOptions options,
        GoogleOidcTokenVerifier verifier, PushCounters counters, ILogger logger, CancellationToken cancellationToken)
    {
        if (PushContentType.Problem(context.Request.ContentType) is { } typeProblem)
        {
            return (null, Answer(counters, PushOutcome.Unsupported, Error(typeProblem, 415)));
        }
        if (context.Request.ContentLength > options.MaxBodyBytes)
        {
            return (null, Answer(counters, PushOutcome.TooLarge, Error($"body over {options.MaxBodyBytes} bytes", 413)));
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
                return (null, Answer(counters, PushOutcome.KeysUnavailable, RetryLater(context, check.Reason, 503)));
            }
            if (!check.Accepted)
            {
                logger.LogWarning("Refused a push from {Remote}: {Reason}", context.Connection.RemoteIpAddress, check.Reason);
                return (null, Answer(counters, check.Status == 401 ? PushOutcome.Unauthorized : PushOutcome.Forbidden, Error(check.Reason, check.Status)));
            }
        }
        var body = await ReadBodyAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return (null, Answer(counters, PushOutcome.TooLarge, Error($"body over {options.MaxBodyBytes} bytes", 413)));
        }
        if (PushEnvelope.TryParse(body, out var problem) is not { } envelope)
        {
            return (null, Answer(counters, PushOutcome.BadRequest, Error(problem, 400)));
        }
        return (envelope, null);
    }

    /// <summary>
    /// Hands a read message to Temporal (signal-with-start, tried again on a start conflict) and answers as push
    /// semantics want: 200 once accepted, 409 when the conflict outlasted its retries, 503 when Temporal is unreachable
    /// or refused the call; Pub/Sub redelivers both.
    /// </summary>
    internal static async Task<IResult> SignalAsync(HttpContext context, PushCounters counters, ILogger logger, PushEnvelope envelope, string what,
        string workflowId, Func<CancellationToken, Task<string>> signalWithStart, Stopwatch watch, CancellationToken cancellationToken)
    {
        var retry = context.RequestServices.GetService<SignalWithStartRetry>() ?? SignalWithStartRetry.Default;
        try
        {
            var (signalled, conflicts) = await retry.RunAsync(signalWithStart, cancellationToken);
            if (conflicts > 0)
            {
                logger.LogInformation("Push {MessageId} {What} signalled {WorkflowId} on try {Attempt}: the workflow was starting or closing " +
                    "(signal-with-start conflict) on the {Conflicts} earlier try(s); resolved by trying again, {ElapsedMs} ms",
                    envelope.MessageId, what, signalled, conflicts + 1, conflicts, watch.ElapsedMilliseconds);
            }
            else
            {
                logger.LogInformation("Push {MessageId} {What} signalled {WorkflowId} in {ElapsedMs} ms", envelope.MessageId, what, signalled, watch.ElapsedMilliseconds);
            }
            return Answer(counters, conflicts > 0 ? PushOutcome.ConflictResolved : PushOutcome.Signalled,
                Results.Json(new { status = "signalled", messageId = envelope.MessageId, workflowId = signalled }));
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

    internal static IResult Error(string reason, int status) => Results.Json(new { error = reason }, statusCode: status);

    private static IResult RetryLater(HttpContext context, string reason, int status)
    {
        context.Response.Headers.RetryAfter = status == 409 ? "1" : "10";
        return Error(reason, status);
    }

    internal static IResult Answer(PushCounters counters, string outcome, IResult result)
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

using System.Diagnostics;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Planning;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Worker.PubSub;

/// <summary>
/// <c>POST /pubsub/NAME</c>: the push path of each catalog event (<c>[events.NAME] path</c>), found in the catalog the
/// client signals with, so an event added to the catalog is served without code. The push is admitted as on the
/// predictions-complete path (content type, size, OIDC token, envelope), the message is read with its event when it
/// arrives, and the event workflow of its date is signalled-with-start (messageId as delivery id). A message that can
/// never run is answered 422 naming the field (counted <c>rejected</c>; nothing is started): give the subscription a
/// dead-letter topic so Pub/Sub stops redelivering it. 503 only when Temporal is unreachable; 409 on an exhausted start
/// conflict; 404 for a path that is no event's.
/// </summary>
public static class EventPushEndpoint
{
    public const string Route = "/pubsub/{name}";

    public static async Task<IResult> HandleAsync(string name, HttpContext context, PubSubPushOptions options, GoogleOidcTokenVerifier verifier,
        Phase6Client phase6, PushCounters counters, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var path = $"/pubsub/{name}";
        if (phase6.Catalog.Events.FirstOrDefault(e => e.Path == path) is not { } ev)
        {
            var served = phase6.Catalog.Events.Select(e => e.Path).Append(PubSubPushEndpoint.Path).Distinct();
            return PubSubPushEndpoint.Error($"no event of the catalog ({phase6.Catalog.Fingerprint}) is pushed to {path}; its push paths: {string.Join(", ", served)}", 404);
        }
        if (ev.RunsOrchestrator)
        {
            return await PubSubPushEndpoint.HandleAsync(context, options, verifier, phase6, counters, loggers, cancellationToken);
        }
        var logger = loggers.CreateLogger("ExportFlows.PubSub");
        var watch = Stopwatch.StartNew();
        var (envelope, refused) = await PubSubPushEndpoint.AdmitAsync(context, options, verifier, counters, logger, cancellationToken);
        if (envelope is null)
        {
            return refused!;
        }
        var now = (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        PublishedEvent published;
        try
        {
            published = PublishedEvent.Read(ev, phase6.Catalog, envelope.DecodeDataBytes(), now);
        }
        catch (EventMessageRefusedException ex)
        {
            logger.LogWarning("Refused {Event} push message {MessageId} from {Subscription}: {Field}: {Problem}",
                ev.Name, envelope.MessageId, envelope.Subscription, ex.Refusal.Field, ex.Refusal.Reason);
            return PubSubPushEndpoint.Answer(counters, PushOutcome.Rejected, Results.Json(
                new { status = "rejected", @event = ev.Name, messageId = envelope.MessageId, field = ex.Refusal.Field, error = ex.Refusal.Reason },
                statusCode: StatusCodes.Status422UnprocessableEntity));
        }
        var date = published.Request.Date;
        return await PubSubPushEndpoint.SignalAsync(context, counters, logger, envelope, $"{ev.Name} for {ExportDates.ToText(date)}",
            Workflows.Orchestration.EventWorkflowIds.For(ev.Name, date),
            async token => (await phase6.EventAsync(published, envelope.MessageId, token)).Id, watch, cancellationToken);
    }
}

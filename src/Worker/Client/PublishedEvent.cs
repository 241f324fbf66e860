using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Events;
using Temporalio.Converters;

namespace ExportFlows.Worker.Client;

/// <summary>
/// A message of a catalog event, read by <see cref="EventMessageReader"/> when it was received, with the UTF-8 bytes it
/// was published as: the event workflow receives those bytes unchanged (a <c>json/plain</c> payload) and reads them
/// again with the same reader and the same receipt time.
/// </summary>
public sealed class PublishedEvent
{
    private PublishedEvent(CatalogEvent ev, EventRequest request, byte[] utf8, DateTimeOffset receivedAt) =>
        (Event, Request, Utf8, ReceivedAt) = (ev, request, utf8, receivedAt);

    public CatalogEvent Event { get; }

    public EventRequest Request { get; }

    public byte[] Utf8 { get; }

    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Reads the message; a message that can never run is an <see cref="EventMessageRefusedException"/> naming its field.</summary>
    public static PublishedEvent Read(CatalogEvent ev, ExportCatalog catalog, ReadOnlySpan<byte> utf8, DateTimeOffset receivedAt)
    {
        utf8 = PublishedBytes.WithoutBom(utf8);
        var text = PublishedBytes.Text(utf8) ?? throw new EventMessageRefusedException(ev.Name,
            new EventRefusal(EventRefusal.WholeMessage, $"{EventRefusal.WholeMessage} is not UTF-8 text"));
        var reading = EventMessageReader.Read(ev, catalog, text, receivedAt);
        return reading.Request is { } request
            ? new PublishedEvent(ev, request, utf8.ToArray(), receivedAt)
            : throw new EventMessageRefusedException(ev.Name, reading.Refusal!);
    }

    /// <summary>The signal's message argument: the published bytes as a JSON payload, not re-serialised.</summary>
    public RawValue ToPayload() => PublishedBytes.Payload(Utf8);
}

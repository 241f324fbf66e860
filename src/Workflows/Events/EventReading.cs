namespace ExportFlows.Workflows.Events;

/// <summary>A message read for its event: a request, or a refusal naming the field (never both).</summary>
public sealed record EventReading(EventRequest? Request, EventRefusal? Refusal)
{
    public bool Accepted => Request is not null;

    public static EventReading Accept(EventRequest request) => new(request, null);

    public static EventReading Refuse(string field, string reason) => new(null, new EventRefusal(field, reason));
}

using ExportFlows.Workflows.Events;

namespace ExportFlows.Worker.Client;

/// <summary>A message its event can never run, with the field at fault; nothing was started.</summary>
public sealed class EventMessageRefusedException(string eventName, EventRefusal refusal)
    : Exception($"{eventName} message refused: {refusal.Reason}")
{
    public string Event { get; } = eventName;

    public EventRefusal Refusal { get; } = refusal;
}

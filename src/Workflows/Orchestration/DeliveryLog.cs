using System.Text.Json;
using Microsoft.Extensions.Logging;
using Temporalio.Workflows;

namespace ExportFlows.Workflows.Orchestration;

/// <summary>The delivery ids seen, bounded: the oldest is forgotten once <paramref name="capacity"/> are remembered.</summary>
public sealed class DeliveryLog(int capacity)
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Received { get; private set; }

    public int Duplicates { get; private set; }

    /// <summary>True for a delivery not seen before (remembered from now on); false for a redelivery.</summary>
    public bool TryAdd(string deliveryId)
    {
        if (!_ids.Add(deliveryId))
        {
            Duplicates++;
            return false;
        }
        Received++;
        _order.Enqueue(deliveryId);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }
        return true;
    }

    /// <summary>
    /// Whether to take a signalled message, by its delivery id as a client in any language sent it: true with no id or a
    /// new one; false for a redelivery, or for an id that is not a string (<paramref name="malformed"/> says so, and the
    /// message is refused rather than taken without the protection an id gives).
    /// </summary>
    public bool Admit(JsonElement? deliveryId, out string? malformed)
    {
        malformed = null;
        if (deliveryId is not { ValueKind: not JsonValueKind.Null } id)
        {
            return true;
        }
        if (id.ValueKind != JsonValueKind.String)
        {
            malformed = $"the delivery id (the signal's second argument) must be a string, got {id.ValueKind}: the message was not taken";
            return false;
        }
        return TryAdd(id.GetString()!);
    }

    /// <summary>In a workflow, a message <see cref="Admit"/> did not take: a redelivery is logged; a malformed delivery id is refused like a malformed message.</summary>
    public static void NotTaken(JsonElement? deliveryId, string? malformed, List<string> refused)
    {
        if (malformed is null)
        {
            Workflow.Logger.LogInformation("Ignored redelivery {DeliveryId}", deliveryId?.GetString());
            return;
        }
        Workflow.Logger.LogWarning("Refused a message: {Problem}", malformed);
        refused.Add(malformed);
    }
}

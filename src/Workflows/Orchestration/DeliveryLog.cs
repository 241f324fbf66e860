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
}

using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Activities.Warehouse;

/// <summary>
/// Sums the cost of the queries run while it is current. The warehouses report every query they answer to the meter
/// of the calling async flow (<see cref="Record"/>), so exports running side by side on one warehouse each count only
/// their own queries, and no query method needs an extra argument. Dispose it in the method that started it.
/// </summary>
public sealed class ExportCostMeter : IDisposable
{
    private static readonly AsyncLocal<ExportCostMeter?> CurrentMeter = new();

    private readonly ExportCostMeter? _outer;
    private readonly object _gate = new();
    private ExportCost _total = ExportCost.Nothing;

    private ExportCostMeter(ExportCostMeter? outer) => _outer = outer;

    /// <summary>Starts a meter for the current async flow (and the calls it makes), inside any meter already running.</summary>
    public static ExportCostMeter Start()
    {
        var meter = new ExportCostMeter(CurrentMeter.Value);
        CurrentMeter.Value = meter;
        return meter;
    }

    /// <summary>What the queries counted so far spent.</summary>
    public ExportCost Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Adds one query's cost to the current meter and every meter around it; nothing when none is running.</summary>
    public static void Record(ExportCost query)
    {
        for (var meter = CurrentMeter.Value; meter is not null; meter = meter._outer)
        {
            lock (meter._gate)
            {
                meter._total = meter._total.Add(query);
            }
        }
    }

    public void Dispose() => CurrentMeter.Value = _outer;
}

using ExportFlows.Activities;
using ExportFlows.Activities.Sample;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// The embedded sample is one fixed season: "today" lies after it, and a performance document as of today would have no
/// data. A run that reads the sample itself (in process, or on the embedded dev server with this process's worker) and
/// names no <c>--as-of</c> takes the sample's last day instead, and says so in one note line. Never on a configured
/// Temporal cluster: there the worker's warehouse decides, which this process does not know.
/// </summary>
public static class SampleAsOfDefault
{
    public static DateOnly SampleEnd => SampleDataOptions.Default.To;

    /// <summary>The request to run, and the note to print when the default was applied.</summary>
    public static (ExportRequest Request, string? Note) Apply(ExportRequest request, ExportPlan plan, ExportFlowsOptions options, bool readsOwnWarehouse)
    {
        if (!readsOwnWarehouse || request.AsOf is not null || !string.IsNullOrWhiteSpace(options.Warehouse) || plan.AsOfDate is not { } asOf || asOf <= SampleEnd)
        {
            return (request, null);
        }
        var end = ExportDates.ToText(SampleEnd);
        return (request with { AsOf = end },
            $"note: the embedded sample season ends on {end}, so the as-of date is {end}, not {ExportDates.ToText(asOf)} (--as-of chooses another)");
    }
}

using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// <c>export --dry-run</c>: the plan as a run would make it, in order (dependencies before their first dependent), each
/// row with what it waits for and the values it takes. Nothing runs and nothing is written.
/// </summary>
public static class ExportPlanPrinter
{
    public static void Print(ExportCatalog catalog, ExportPlan plan, TextWriter output)
    {
        var date = plan.TargetDate is { } t ? ExportDates.ToText(t) : plan.AsOfDate is { } a ? $"as of {ExportDates.ToText(a)}" : "no date";
        output.WriteLine($"plan for {date} (catalog {catalog.Source}, {catalog.Fingerprint}): {plan.Requested.Count} row(s), {plan.Dependencies.Count} brought in as dependencies");
        var rows = plan.Requested.Select(name =>
        {
            var row = catalog.Get(name);
            var state = plan.NotEnabledTypes.Contains(name) ? "not enabled" : plan.DisabledTypes.Contains(name) ? "disabled" : "runs";
            var waits = CatalogGraphPrinter.Waits(row);
            var takes = CatalogGraphPrinter.Takes(row);
            return new[]
            {
                name, row.IsStep ? "step" : CatalogPrinter.Kind(row), plan.Dependencies.Contains(name) ? "dependency" : "requested", state,
                waits.Count == 0 ? "-" : string.Join(", ", waits), takes.Count == 0 ? "-" : string.Join(", ", takes),
            };
        }).ToList();
        ReportPrinter.WriteTable(output, ["ROW", "KIND", "WHY", "STATE", "AFTER", "TAKES"], rows);
        output.WriteLine("dry run: nothing was run or written");
    }
}

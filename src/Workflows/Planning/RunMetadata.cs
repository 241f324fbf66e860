using System.Text;

namespace ExportFlows.Workflows.Planning;

/// <summary>
/// What a run shows in the Temporal Web UI (the SDK's user metadata): a one-line summary such as
/// "subset-picks, daily-signals · 2026-02-03 · orchestrator" and markdown details naming where it writes and reads and
/// what started it. Every workflow ExportFlows starts carries both; the export workflow's current details add the
/// worker's own store, warehouse and catalog once it knows them.
/// </summary>
public static class RunMetadata
{
    private const int MaxTypesShown = 6;

    public static string Summary(IReadOnlyCollection<string> types, string? date, string trigger)
    {
        var shown = types.Count <= MaxTypesShown ? string.Join(", ", types) : $"{string.Join(", ", types.Take(MaxTypesShown))} +{types.Count - MaxTypesShown}";
        return string.Join(" · ", new[] { shown, date ?? "no date", trigger }.Where(p => p.Length > 0));
    }

    /// <summary>Markdown lines "**key**: value" for the values that are known.</summary>
    public static string Details(params (string Key, string? Value)[] lines)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in lines.Where(l => !string.IsNullOrWhiteSpace(l.Value)))
        {
            text.Append("**").Append(key).Append("**: ").Append(value).Append('\n');
        }
        return text.ToString().TrimEnd('\n');
    }

    public static string Summary(ExportPlan plan) => Summary(plan.Types, ExportSearchAttributes.DateOf(plan), plan.Trigger);
}

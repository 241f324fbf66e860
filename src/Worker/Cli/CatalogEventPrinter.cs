using System.Text;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Worker.Cli;

/// <summary>The events of <c>catalog show</c>: each message that starts Phase 6, its path and verb, date, fields and what it runs.</summary>
public static class CatalogEventPrinter
{
    public static string Text(ExportCatalog catalog)
    {
        var text = new StringBuilder("\nevents\n");
        if (catalog.Events.Count == 0)
        {
            text.Append("  none declared: predictions-complete is served on its path all the same\n");
        }
        foreach (var ev in catalog.Events)
        {
            text.Append($"  {ev.Name}  POST {ev.Path}; exportflows trigger {ev.Verb}\n");
            text.Append($"    date      {string.Join(" or ", ev.Date.Fields)}{(ev.Date.Default is { } d ? $", else {d}" : ", required")}\n");
            if (ev.Fields.Count > 0)
            {
                text.Append($"    fields    {string.Join("; ", ev.Fields.Select(f => Field(f.Key, f.Value)))}\n");
            }
            if (ev.Sport is { } sport)
            {
                text.Append($"    sport     {sport} (a message naming another is refused)\n");
            }
            foreach (var (line, i) in Runs(ev).Select((l, i) => (l, i)))
            {
                text.Append($"    {(i == 0 ? "runs" : ""),-9} {line}\n");
            }
            if (ev.Flag is { } flag)
            {
                text.Append($"    flag      {flag.Field} = true runs {string.Join(", ", flag.Runs)}" +
                    $"{(flag.Options.Count > 0 ? $" (options {string.Join(", ", flag.Options)})" : "")}\n");
            }
            if (ev.Note.Length > 0)
            {
                text.Append($"    note      {ev.Note}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>What the event runs, one line per entry.</summary>
    public static IReadOnlyList<string> Runs(CatalogEvent ev) =>
        ev.RunsOrchestrator ? ["the orchestrator's list, through the tonight workflow's guards"]
        : ev.RunsFrom is { } field ? [$"the types the message lists in {field}"]
        : ev.Runs.Select(r => r.ToString()).ToList();

    public static string Field(string name, EventField field) =>
        $"{name} {EventField.TypeName(field.Type)}{(field.DefaultJson is { } d ? $" = {d}" : "")}";
}

using System.Text;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Worker.Cli;

/// <summary>The dependencies between rows: a text section of <c>catalog show</c>, and a Mermaid flowchart (<c>--mermaid</c>).</summary>
public static class CatalogGraphPrinter
{
    /// <summary>One line per row that depends on others; empty when no row does.</summary>
    public static string Text(ExportCatalog catalog)
    {
        var dependents = catalog.Types.Where(t => t.DependsOn.Any()).ToList();
        if (dependents.Count == 0)
        {
            return "";
        }
        var text = new StringBuilder("\ngraph (each row starts when these ended; requires: only if they succeeded)\n");
        foreach (var row in dependents)
        {
            var values = Takes(row);
            text.Append($"  {row.Name} ← {string.Join(", ", Waits(row))}{(values.Count > 0 ? $"; takes {string.Join(", ", values)}" : "")}\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// A Mermaid flowchart of the rows: steps as rounded nodes, exports as boxes, <c>after</c> as a dotted arrow,
    /// <c>requires</c> as a solid one, labelled with the values the dependent takes.
    /// </summary>
    public static string Mermaid(ExportCatalog catalog)
    {
        var text = new StringBuilder("flowchart LR\n");
        foreach (var row in catalog.Types)
        {
            var id = Id(row.Name);
            text.Append(row.IsStep ? $"    {id}([\"{row.Name}\"])\n" : $"    {id}[\"{row.Name}\"]\n");
        }
        foreach (var row in catalog.Types)
        {
            foreach (var dependency in row.DependsOn)
            {
                var values = row.TakenValues().Where(p => p.Row == dependency).Select(p => p.Name).Distinct().ToList();
                var arrow = row.Requires.Contains(dependency, StringComparer.Ordinal) ? "-->" : "-.->";
                var label = values.Count > 0 ? $"|{string.Join(", ", values)}|" : "";
                text.Append($"    {Id(dependency)} {arrow}{label} {Id(row.Name)}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>What a row waits for, as the reports show it: a hard dependency marked <c>(requires)</c>.</summary>
    public static IReadOnlyList<string> Waits(ExportTypeRow row) =>
        row.DependsOn.Select(d => row.Requires.Contains(d, StringComparer.Ordinal) ? $"{d} (requires)" : d).ToList();

    /// <summary>The other rows' values a row takes, as <c>row.name</c>.</summary>
    public static IReadOnlyList<string> Takes(ExportTypeRow row) => row.TakenValues().Select(p => $"{p.Row}.{p.Name}").Distinct().ToList();

    private static string Id(string name) => name.Replace('-', '_');
}

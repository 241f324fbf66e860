using System.Security.Cryptography;
using System.Text;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Workflows.Planning;

/// <summary>The checks of a backfill request: its types and its range.</summary>
public static class BackfillPlanner
{
    public const int MaxDays = 3660;

    /// <summary>What a backfill exports unless told: the catalog's native types with a dated object (picks and signals).</summary>
    public static IReadOnlyList<string> DefaultTypes(ExportCatalog catalog) =>
        catalog.Types.Where(t => !t.IsExternal && t.DateKeyedObject).Select(t => t.Name).ToList();

    /// <summary>
    /// Expands and checks the types. Types that write a fixed-path object (performance, definitions) would overwrite the
    /// live file with an old date's view (the original's P31), so they need <paramref name="allowFixedPaths"/>.
    /// </summary>
    public static IReadOnlyList<string> ValidateTypes(ExportCatalog catalog, IEnumerable<string>? names, bool allowFixedPaths)
    {
        var types = ExportPlanner.ExpandTypes(catalog, names is null || !names.Any() ? DefaultTypes(catalog) : names);
        if (types.Where(catalog.IsExternal).ToList() is { Count: > 0 } external)
        {
            throw new InvalidExportRequestException($"{string.Join(", ", external)}: external types are not backfilled by ExportFlows (span activities run the native exporters only); backfill them with the original's daily_export.py");
        }
        if (types.Where(t => catalog.Get(t).DependsOn.Any() || catalog.Get(t).IsStep).ToList() is { Count: > 0 } graph)
        {
            throw new InvalidExportRequestException($"{string.Join(", ", graph)}: a step or a row with dependencies is not backfilled in spans (a span exports each type " +
                "for many dates in one activity, without its dependencies); run `exportflows export --temporal … --date D` per date, which runs the graph");
        }
        var fixedPath = types.Where(t => !catalog.Get(t).DateKeyedObject).ToList();
        if (fixedPath.Count > 0 && !allowFixedPaths)
        {
            throw new InvalidExportRequestException(
                $"{string.Join(", ", fixedPath)} write(s) a fixed-path object that a backfill would overwrite with an old date's view; pass --allow-fixed-paths if that is what you want");
        }
        return types;
    }

    public static IReadOnlyList<DateOnly> Dates(DateOnly from, DateOnly to)
    {
        if (to < from)
        {
            throw new InvalidExportRequestException($"--to {ExportDates.ToText(to)} is before --from {ExportDates.ToText(from)}");
        }
        var days = to.DayNumber - from.DayNumber + 1;
        if (days > MaxDays)
        {
            throw new InvalidExportRequestException($"a backfill covers at most {MaxDays} dates; {days} requested");
        }
        return Enumerable.Range(0, days).Select(from.AddDays).ToList();
    }

    /// <summary>A key for a set of types, independent of order: part of the backfill workflow id.</summary>
    public static string TypesKey(IEnumerable<string> types) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", types.Order(StringComparer.Ordinal)))))[..10];
}

using System.Security.Cryptography;
using System.Text;

namespace ExportFlows.Workflows.Planning;

public sealed record BackfillPlan(IReadOnlyList<string> Types, IReadOnlyList<DateOnly> ToRun, IReadOnlyList<DateOnly> AlreadySucceeded);

/// <summary>Which dates a backfill runs: every date of the range, less those whose last run of the same types succeeded.</summary>
public static class BackfillPlanner
{
    public const int MaxDays = 3660;

    public static readonly IReadOnlyList<string> DefaultTypes = [ExportTypeCatalog.SubsetPicks, ExportTypeCatalog.DailySignals];

    /// <summary>
    /// Expands and checks the types. Types that write a fixed-path object (performance, definitions) would overwrite the
    /// live file with an old date's view (the original's P31), so they need <paramref name="allowFixedPaths"/>.
    /// </summary>
    public static IReadOnlyList<string> ValidateTypes(IEnumerable<string>? names, bool allowFixedPaths)
    {
        var types = ExportPlanner.ExpandTypes(names is null || !names.Any() ? DefaultTypes : names);
        var fixedPath = types.Where(t => !ExportTypeCatalog.GetImplemented(t).DateKeyedObject).ToList();
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

    public static BackfillPlan Plan(DateOnly from, DateOnly to, IReadOnlyList<string> types, IReadOnlySet<DateOnly> succeeded, bool force)
    {
        var dates = Dates(from, to);
        var done = force ? [] : dates.Where(succeeded.Contains).ToList();
        return new BackfillPlan(types, dates.Except(done).ToList(), done);
    }

    /// <summary>A key for a set of types, independent of order: part of the backfill workflow id.</summary>
    public static string TypesKey(IEnumerable<string> types) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", types.Order(StringComparer.Ordinal)))))[..10];

    /// <summary>One workflow id per (date, types): rerunning a date reuses it, so its last run tells whether it succeeded.</summary>
    public static string WorkflowId(DateOnly date, IEnumerable<string> types) => $"phase6-backfill-{ExportDates.ToText(date)}-{TypesKey(types)}";
}

using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>
/// The calendar of the catalog's schedules (<c>[schedules.ID]</c>, America/New_York): when an entry fires, and which
/// entries have an enabled type. today/yesterday are resolved in America/New_York against each run's scheduled time.
/// </summary>
public static class ExportScheduleCatalog
{
    public const string TimeZone = "America/New_York";

    /// <summary>Marks the entries none of whose types is enabled: <c>schedules sync</c> reports them and does not create them.</summary>
    public static IReadOnlyList<ExportScheduleEntry> MarkEnabled(ExportCatalog catalog, IReadOnlySet<string> enabledTypes) =>
        catalog.Schedules.Select(e => e with { NotEnabled = !ExportPlanner.ExpandTypes(catalog, e.Types).Any(enabledTypes.Contains) }).ToList();

    /// <summary>
    /// The instants an entry fires on <paramref name="day"/> (an America/New_York calendar date). A wall time that does
    /// not exist (spring forward) fires at the same instant one hour later on the clock, as the Temporal server does;
    /// a wall time that occurs twice (fall back) fires once, at its first occurrence.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> FireTimes(ExportScheduleEntry entry, DateOnly day) => !entry.FiresOn(day) ? []
        : entry.Hours.Order().SelectMany(hour => entry.Minutes.Select(minute => ToInstant(day.ToDateTime(new TimeOnly(hour, minute)))))
            .Distinct().Order().ToList();

    /// <summary>The next <paramref name="count"/> fire times strictly after <paramref name="after"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> NextFireTimes(ExportScheduleEntry entry, DateTimeOffset after, int count)
    {
        var result = new List<DateTimeOffset>(count);
        for (var day = ExportDates.EasternDate(after).AddDays(-1); result.Count < count && day < ExportDates.EasternDate(after).AddDays(400); day = day.AddDays(1))
        {
            result.AddRange(FireTimes(entry, day).Where(t => t > after).Take(count - result.Count));
        }
        return result;
    }

    /// <summary>The latest fire time at or before <paramref name="at"/>, if any within the last <paramref name="days"/> days.</summary>
    public static DateTimeOffset? LastFireTime(ExportScheduleEntry entry, DateTimeOffset at, int days = 2)
    {
        var today = ExportDates.EasternDate(at);
        return Enumerable.Range(0, days + 1).Select(i => today.AddDays(i - days))
            .SelectMany(d => FireTimes(entry, d)).Where(t => t <= at).Select(t => (DateTimeOffset?)t).LastOrDefault();
    }

    private static DateTimeOffset ToInstant(DateTime wallClock)
    {
        var zone = ExportDates.Eastern;
        if (zone.IsInvalidTime(wallClock))
        {
            // In the spring-forward gap: the instant is the wall time read with the offset before the change.
            var before = zone.GetUtcOffset(wallClock.AddHours(-3));
            return new DateTimeOffset(wallClock, before).ToUniversalTime();
        }
        var offset = zone.IsAmbiguousTime(wallClock) ? zone.GetAmbiguousTimeOffsets(wallClock).Max() : zone.GetUtcOffset(wallClock);
        return new DateTimeOffset(wallClock, offset).ToUniversalTime();
    }
}

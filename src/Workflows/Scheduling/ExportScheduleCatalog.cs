using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>
/// The push strategy as Temporal Schedules, in one place (it replaces the original's Cloud Scheduler jobs, whose
/// definitions had drifted apart, P24). Configuration can override or add entries (see <see cref="ScheduleOverride"/>).
/// </summary>
public static class ExportScheduleCatalog
{
    public const string TimeZone = "America/New_York";

    public static IReadOnlyList<ExportScheduleEntry> Default { get; } =
    [
        new("phase6-hourly-performance", Enumerable.Range(6, 18).ToList(), 0, [ExportTypeCatalog.SubsetPerformance], null, "today",
            ScheduleOverlap.Skip, TimeSpan.FromMinutes(30),
            "Hourly 6 AM–11 PM ET: subsets/performance.json picks up results as they are graded. Skip on overlap: the next hour refreshes the same file; a catch-up older than 30 min is pointless."),
        new("phase6-postgame-performance", [2], 0, [ExportTypeCatalog.SubsetPerformance], null, "today",
            ScheduleOverlap.Skip, TimeSpan.FromHours(3),
            "2 AM ET post-game refresh after late games are graded. Skip on overlap; catch up within 3 h (before the 6 AM hourly run takes over)."),
        new("phase6-daily-definitions", [5], 0, [ExportTypeCatalog.SubsetDefinitions], "yesterday", null,
            ScheduleOverlap.BufferOne, TimeSpan.FromHours(12),
            "Daily 5 AM ET batch (the original phase6-daily-results): systems/subsets.json. Buffer one: the daily file must not be lost; catch up within 12 h."),
        new("phase6-tonight-reexport", [13], 0, ExportTypeCatalog.TonightTypes, "today", null,
            ScheduleOverlap.BufferOne, TimeSpan.FromHours(4),
            "1 PM ET re-export of tonight's picks and signals (the original phase6-tonight-picks), after late-morning prediction batches. Buffer one; catch up within 4 h."),
    ];

    /// <summary>The default catalog with configuration applied: an override replaces the fields it sets; a new id adds an entry; Enabled=false removes one.</summary>
    public static IReadOnlyList<ExportScheduleEntry> With(IEnumerable<ScheduleOverride>? overrides)
    {
        var entries = Default.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var order = Default.Select(e => e.Id).ToList();
        foreach (var o in overrides ?? [])
        {
            if (string.IsNullOrWhiteSpace(o.Id))
            {
                throw new InvalidExportRequestException("a schedule override needs an Id");
            }
            if (o.Enabled == false)
            {
                entries.Remove(o.Id);
                continue;
            }
            if (!entries.TryGetValue(o.Id, out var entry))
            {
                if (o.Hours is null || o.Types is null)
                {
                    throw new InvalidExportRequestException($"new schedule '{o.Id}' needs Hours and Types");
                }
                entry = new ExportScheduleEntry(o.Id, o.Hours, 0, o.Types, null, null, ScheduleOverlap.Skip, TimeSpan.FromHours(1), "from configuration");
                order.Add(o.Id);
            }
            entries[o.Id] = Validate(entry with
            {
                Hours = o.Hours ?? entry.Hours,
                Minute = o.Minute ?? entry.Minute,
                Types = o.Types ?? entry.Types,
                TargetDate = o.TargetDate ?? entry.TargetDate,
                AsOf = o.AsOf ?? entry.AsOf,
                Overlap = o.Overlap ?? entry.Overlap,
                CatchupWindow = o.CatchupWindow ?? entry.CatchupWindow,
                Note = o.Note ?? entry.Note,
            });
        }
        return order.Where(entries.ContainsKey).Select(id => entries[id]).ToList();
    }

    private static ExportScheduleEntry Validate(ExportScheduleEntry entry)
    {
        if (entry.Hours.Count == 0 || entry.Hours.Any(h => h is < 0 or > 23) || entry.Minute is < 0 or > 59)
        {
            throw new InvalidExportRequestException($"schedule '{entry.Id}': hours must be 0–23 and minute 0–59");
        }
        ExportPlanner.ExpandTypes(entry.Types);
        // Dates are words resolved at run time; a fixed date here would be a mistake.
        ExportPlanner.Plan(entry.Request, DateTimeOffset.UnixEpoch);
        return entry;
    }

    /// <summary>
    /// The instants an entry fires on <paramref name="day"/> (an America/New_York calendar date). A wall time that does
    /// not exist (spring forward) fires at the same instant one hour later on the clock, as the Temporal server does;
    /// a wall time that occurs twice (fall back) fires once, at its first occurrence.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> FireTimes(ExportScheduleEntry entry, DateOnly day) =>
        entry.Hours.Order().Select(hour => ToInstant(day.ToDateTime(new TimeOnly(hour, entry.Minute)))).Distinct().Order().ToList();

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

    /// <summary>The latest fire time at or before <paramref name="at"/>, if any within the last two days.</summary>
    public static DateTimeOffset? LastFireTime(ExportScheduleEntry entry, DateTimeOffset at)
    {
        var today = ExportDates.EasternDate(at);
        return new[] { today.AddDays(-2), today.AddDays(-1), today }
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

/// <summary>Configuration override of a catalog entry (section <c>Schedules</c>, a list); unset fields keep the default.</summary>
public sealed record ScheduleOverride
{
    public string Id { get; init; } = "";
    public bool? Enabled { get; init; }
    public List<int>? Hours { get; init; }
    public int? Minute { get; init; }
    public List<string>? Types { get; init; }
    public string? TargetDate { get; init; }
    public string? AsOf { get; init; }
    public ScheduleOverlap? Overlap { get; init; }
    public TimeSpan? CatchupWindow { get; init; }
    public string? Note { get; init; }
}

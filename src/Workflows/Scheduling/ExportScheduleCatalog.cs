using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>
/// The push strategy as Temporal Schedules, in one place: the original's complete Cloud Scheduler job list with its
/// bodies (which had drifted apart, P24), plus the post-game performance run it only proposed. Not copied: the
/// original's <c>season-subsets</c> (not an export type) and its UTC "today" (P11); today/yesterday are resolved in
/// America/New_York against each run's scheduled time. Configuration can override or add entries (see <see cref="ScheduleOverride"/>).
/// </summary>
public static class ExportScheduleCatalog
{
    public const string TimeZone = "America/New_York";

    private static readonly List<int> Hourly = Enumerable.Range(6, 18).ToList();

    /// <summary>The morning, 1 PM and pre-game list: the orchestrator's list (the original's also named season-subsets, which is no type).</summary>
    private static IReadOnlyList<string> TonightPicks => ExportTypeCatalog.OrchestratorTypes;

    public static IReadOnlyList<ExportScheduleEntry> Default { get; } =
    [
        new("phase6-daily-results", [5], 0, ["results", "performance", "best-bets", ExportTypeCatalog.SubsetDefinitions], "yesterday", null,
            ScheduleOverlap.BufferOne, TimeSpan.FromHours(12),
            "Daily 5 AM ET (phase6-daily-results): yesterday's results, system performance, best bets, systems/subsets.json. Buffer one: the daily files must not be lost; catch up within 12 h."),
        new("phase6-hourly-trends", Hourly, 0, ["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays", ExportTypeCatalog.SubsetPerformance], "today", null,
            ScheduleOverlap.Skip, TimeSpan.FromMinutes(30),
            "Hourly 6 AM–11 PM ET (phase6-hourly-trends): trends and subsets/performance.json pick up results as they are graded. Skip on overlap: the next hour refreshes the same files; a catch-up older than 30 min is pointless."),
        new("phase6-tonight-picks", [13], 0, TonightPicks, "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(4),
            "1 PM ET (phase6-tonight-picks): tonight's documents after late-morning prediction batches. Buffer one; catch up within 4 h.") { UpdateLatest = true },
        new("phase6-player-profiles", [6], 0, [ExportTypeCatalog.PlayerProfiles], "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(12),
            "Sunday 6 AM ET (phase6-player-profiles): players/index.json and one profile per player with at least 5 games. Buffer one; catch up within 12 h.")
        { DaysOfWeek = [DayOfWeek.Sunday], MinGames = ExportTypeCatalog.DefaultMinGames },
        new("phase6-trends-daily", [6], 0, ["trends-hot-cold", "trends-bounce-back"], "today", null, ScheduleOverlap.Skip, TimeSpan.FromHours(1),
            "Daily 6 AM ET (trends-daily): who's hot/cold and bounce-back. Skip on overlap: the hourly run refreshes them too.") { UpdateLatest = true },
        new("phase6-trends-weekly-mon", [6], 0, ["trends-what-matters", "trends-team"], "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(12),
            "Monday 6 AM ET (trends-weekly-mon): what matters, team tendencies. Buffer one; catch up within 12 h.") { DaysOfWeek = [DayOfWeek.Monday] },
        new("phase6-trends-weekly-wed", [8], 0, ["trends-quick-hits"], "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(12),
            "Wednesday 8 AM ET (trends-weekly-wed): quick hits. Buffer one; catch up within 12 h.") { DaysOfWeek = [DayOfWeek.Wednesday] },
        new("phase6-trends-monthly", [6], 0, ["trends-deep-dive"], "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(24),
            "1st of the month 6 AM ET (trends-monthly): the deep dive. Buffer one; catch up within 24 h.") { DaysOfMonth = [1] },
        new("phase6-live-evening", [19, 20, 21, 22, 23], 0, ["live"], "today", null, ScheduleOverlap.Skip, TimeSpan.FromMinutes(3),
            "Every 3 min 7–11:57 PM ET (live-export): tonight's live scores. Skip on overlap; never caught up: the next run is 3 min away.") { MinuteStep = 3 },
        new("phase6-live-late", [0, 1], 0, ["live"], "yesterday", null, ScheduleOverlap.Skip, TimeSpan.FromMinutes(3),
            "Every 3 min 0–1:57 AM ET (live-export): the evening's games, which began the calendar day before. Skip on overlap; never caught up.") { MinuteStep = 3 },
        new("phase6-tonight-picks-morning", [11], 0, TonightPicks, "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(2),
            "11 AM ET (phase6-tonight-picks-morning): tonight's documents after the morning prediction batch. Buffer one; catch up within 2 h.") { UpdateLatest = true },
        new("phase6-tonight-picks-pregame", [17], 0, TonightPicks, "today", null, ScheduleOverlap.BufferOne, TimeSpan.FromHours(2),
            "5 PM ET (phase6-tonight-picks-pregame): tonight's documents before tip-off. Buffer one; catch up within 2 h.") { UpdateLatest = true },
        new("phase6-postgame-performance", [2], 0, [ExportTypeCatalog.SubsetPerformance], null, "today",
            ScheduleOverlap.Skip, TimeSpan.FromHours(3),
            "2 AM ET post-game refresh after late games are graded. Skip on overlap; catch up within 3 h (before the 6 AM hourly run takes over)."),
    ];

    /// <summary>Marks the entries none of whose types is enabled: <c>schedules sync</c> reports them and does not create them.</summary>
    public static IReadOnlyList<ExportScheduleEntry> MarkEnabled(IReadOnlyList<ExportScheduleEntry> entries, IReadOnlySet<string> enabledTypes) =>
        entries.Select(e => e with { NotEnabled = !ExportPlanner.ExpandTypes(e.Types).Any(enabledTypes.Contains) }).ToList();

    /// <summary>
    /// The default catalog with configuration applied: an override replaces the fields it sets; a new id adds an entry;
    /// Enabled=false removes one. With <paramref name="enabledTypes"/>, entries with no enabled type are marked (<see cref="MarkEnabled"/>).
    /// </summary>
    public static IReadOnlyList<ExportScheduleEntry> With(IEnumerable<ScheduleOverride>? overrides, IReadOnlySet<string>? enabledTypes = null)
    {
        var entries = Apply(overrides);
        return enabledTypes is null ? entries : MarkEnabled(entries, enabledTypes);
    }

    private static IReadOnlyList<ExportScheduleEntry> Apply(IEnumerable<ScheduleOverride>? overrides)
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
                MinuteStep = o.MinuteStep ?? entry.MinuteStep,
                DaysOfWeek = o.DaysOfWeek ?? entry.DaysOfWeek,
                DaysOfMonth = o.DaysOfMonth ?? entry.DaysOfMonth,
                UpdateLatest = o.UpdateLatest ?? entry.UpdateLatest,
                MinGames = o.MinGames ?? entry.MinGames,
            });
        }
        return order.Where(entries.ContainsKey).Select(id => entries[id]).ToList();
    }

    private static ExportScheduleEntry Validate(ExportScheduleEntry entry)
    {
        if (entry.Hours.Count == 0 || entry.Hours.Any(h => h is < 0 or > 23) || entry.Minute is < 0 or > 59 || entry.MinuteStep is < 0 or > 59)
        {
            throw new InvalidExportRequestException($"schedule '{entry.Id}': hours must be 0–23, minute 0–59 and the minute step 0–59");
        }
        if (entry.DaysOfMonth?.Any(d => d is < 1 or > 31) == true || entry.DaysOfMonth is { Count: 0 } || entry.DaysOfWeek is { Count: 0 })
        {
            throw new InvalidExportRequestException($"schedule '{entry.Id}': days of the month must be 1–31, and day lists may not be empty");
        }
        ExportPlanner.ExpandTypes(entry.Types);
        // Dates are words resolved at run time; a fixed date here would be a mistake. Any clock in range checks them.
        ExportPlanner.Plan(entry.Request, ExportDates.LatestClock);
        return entry;
    }

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
    public int? MinuteStep { get; init; }
    public List<DayOfWeek>? DaysOfWeek { get; init; }
    public List<int>? DaysOfMonth { get; init; }
    public bool? UpdateLatest { get; init; }
    public int? MinGames { get; init; }
}

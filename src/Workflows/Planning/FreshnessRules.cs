namespace ExportFlows.Workflows.Planning;

public enum Freshness
{
    Fresh,
    Stale,
    Missing,

    /// <summary>Enabled, but no schedule, event or orchestrator list refreshes it: whatever is published only ages.</summary>
    NeverRefreshed,
}

public sealed record FreshnessVerdict(Freshness State, string Detail);

/// <summary>The freshness targets of <c>exportflows status</c>, with a grace period for a run in flight.</summary>
public static class FreshnessRules
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    /// <summary>The word <c>status</c> prints: fresh, stale, missing, never-refreshed.</summary>
    public static string Word(Freshness state) => state == Freshness.NeverRefreshed ? "never-refreshed" : state.ToString().ToLowerInvariant();

    public static FreshnessVerdict NeverRefreshed(DateTimeOffset? updated, DateTimeOffset now) => new(Freshness.NeverRefreshed,
        (updated is { } written ? $"{Age(now - written)} old" : "not written") +
        "; no schedule, event or orchestrator list refreshes it: " + Scheduling.ExportRefreshers.NothingRefreshesAdvice);

    /// <summary>
    /// An object refreshed only by events without a clock (an event's runs or flag: <paramref name="events"/>; or a
    /// message listing it: <paramref name="listedBy"/>): nothing says when it was due, so it is never stale; its age is
    /// reported, and missing while never written. Refreshed only by a listing message, its freshness is whatever that
    /// message's publisher makes it.
    /// </summary>
    public static FreshnessVerdict ByEventsOnly(DateTimeOffset? updated, IReadOnlyList<string> events, IReadOnlyList<string> listedBy, DateTimeOffset now)
    {
        var by = events.Count > 0
            ? $"refreshed by event{(events.Count == 1 ? "" : "s")} {string.Join(", ", events)}"
            : $"refreshed only when a message of event {string.Join(" or ", listedBy)} lists it: its freshness depends on the message's publisher";
        return updated is { } written
            ? new(Freshness.Fresh, $"{Age(now - written)} old; {by}")
            : new(Freshness.Missing, $"not written yet; {by}");
    }

    /// <summary>picks/{D} and signals/{D}: written after the date's last predictions-complete message.</summary>
    public static FreshnessVerdict DateKeyed(DateTimeOffset? updated, DateTimeOffset? lastPredictionsComplete, DateTimeOffset now)
    {
        if (updated is not { } written)
        {
            return new(Freshness.Missing, "not written yet");
        }
        if (lastPredictionsComplete is not { } complete)
        {
            return new(Freshness.Fresh, "no predictions-complete message known for the date");
        }
        return written >= complete || now - complete <= Grace
            ? new(Freshness.Fresh, $"written after the last predictions-complete ({complete:yyyy-MM-dd HH:mm}Z)")
            : new(Freshness.Stale, $"written before the last predictions-complete ({complete:yyyy-MM-dd HH:mm}Z)");
    }

    /// <summary>subsets/performance.json: at most 1 h old between 6 AM and midnight ET; overnight, written since the 11 PM run.</summary>
    public static FreshnessVerdict Performance(DateTimeOffset? updated, DateTimeOffset now)
    {
        if (updated is not { } written)
        {
            return new(Freshness.Missing, "not written yet");
        }
        var local = ExportDates.EasternDateTime(now);
        if (local.Hour >= 6)
        {
            var age = now - written;
            return age <= TimeSpan.FromHours(1) + Grace
                ? new(Freshness.Fresh, $"{Age(age)} old (target ≤ 1 h from 6 AM to midnight ET)")
                : new(Freshness.Stale, $"{Age(age)} old (target ≤ 1 h from 6 AM to midnight ET)");
        }
        var lastHourly = ExportDates.EasternDate(now).AddDays(-1).ToDateTime(new TimeOnly(23, 0));
        var lastHourlyInstant = new DateTimeOffset(lastHourly, ExportDates.Eastern.GetUtcOffset(lastHourly));
        return written >= lastHourlyInstant - Grace
            ? new(Freshness.Fresh, "written since the 11 PM ET run")
            : new(Freshness.Stale, $"not written since the 11 PM ET run ({Age(now - written)} old)");
    }

    /// <summary>systems/subsets.json: at most 24 h old.</summary>
    public static FreshnessVerdict Definitions(DateTimeOffset? updated, DateTimeOffset now)
    {
        if (updated is not { } written)
        {
            return new(Freshness.Missing, "not written yet");
        }
        var age = now - written;
        return age <= TimeSpan.FromHours(24) + Grace
            ? new(Freshness.Fresh, $"{Age(age)} old (target ≤ 24 h)")
            : new(Freshness.Stale, $"{Age(age)} old (target ≤ 24 h)");
    }

    /// <summary>
    /// An object refreshed by schedules or events: fresh when written at or after the last refresh that was due
    /// (<paramref name="lastDue"/>), or while that run may still be in flight (the grace period).
    /// </summary>
    public static FreshnessVerdict Scheduled(DateTimeOffset? updated, DateTimeOffset? lastDue, DateTimeOffset now)
    {
        if (lastDue is not { } due)
        {
            return updated is null
                ? new(Freshness.Fresh, "not written yet; no refresh was due")
                : new(Freshness.Fresh, $"{Age(now - updated.Value)} old; no refresh was due since");
        }
        var dueText = $"{ExportDates.EasternDateTime(due):yyyy-MM-dd HH:mm} ET";
        if (updated is not { } written)
        {
            return now - due <= Grace ? new(Freshness.Fresh, $"not written yet; the {dueText} run may still be running") : new(Freshness.Missing, $"not written by the {dueText} run");
        }
        return written >= due || now - due <= Grace
            ? new(Freshness.Fresh, $"written since the last due refresh ({dueText})")
            : new(Freshness.Stale, $"not written since the {dueText} refresh ({Age(now - written)} old)");
    }

    /// <summary>
    /// The last instant at or before <paramref name="now"/> (minus nothing: the grace is applied by the rule) when
    /// an enabled schedule exporting <paramref name="type"/> fired; for a date-keyed object only fires whose
    /// today/yesterday resolves to <paramref name="objectDate"/> count.
    /// </summary>
    public static DateTimeOffset? LastDue(Catalog.ExportCatalog catalog, IEnumerable<Scheduling.ExportScheduleEntry> schedules, string type, DateOnly? objectDate, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        var today = ExportDates.EasternDate(now);
        foreach (var entry in schedules.Where(e => e.Exports(catalog, type)))
        {
            var days = objectDate is { } d ? [d.AddDays(-1), d, d.AddDays(1)] : Enumerable.Range(0, 33).Select(i => today.AddDays(i - 32));
            foreach (var fire in days.SelectMany(day => Scheduling.ExportScheduleCatalog.FireTimes(entry, day)).Where(f => f <= now))
            {
                if (objectDate is { } date && ExportDates.Resolve(entry.TargetDate ?? entry.AsOf ?? "today", fire, "date") != date)
                {
                    continue;
                }
                last = last is null || fire > last ? fire : last;
            }
        }
        return last;
    }

    private static string Age(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min" : $"{Math.Max(0, (int)age.TotalMinutes)} min";
}

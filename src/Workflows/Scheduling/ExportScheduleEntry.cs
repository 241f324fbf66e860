using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>What a schedule does when two of its runs would overlap.</summary>
public enum ScheduleOverlap
{
    /// <summary>Drop the new run: a later run will refresh the same documents anyway.</summary>
    Skip,

    /// <summary>Keep at most one run waiting behind the running one: the run must not be lost.</summary>
    BufferOne,
}

/// <summary>
/// One Temporal Schedule of the push strategy: fires at <paramref name="Minute"/> past each of <paramref name="Hours"/>
/// in America/New_York (every <see cref="MinuteStep"/> minutes from there when set; only on <see cref="DaysOfWeek"/>
/// or <see cref="DaysOfMonth"/> when set) and starts <c>Phase6ExportWorkflow</c> with the request of
/// <see cref="Request"/>. <paramref name="TargetDate"/> and <paramref name="AsOf"/> are words ("today", "yesterday")
/// resolved when the workflow runs, against the schedule's scheduled time.
/// </summary>
public sealed record ExportScheduleEntry(
    string Id,
    IReadOnlyList<int> Hours,
    int Minute,
    IReadOnlyList<string> Types,
    string? TargetDate,
    string? AsOf,
    ScheduleOverlap Overlap,
    TimeSpan CatchupWindow,
    string Note)
{
    /// <summary>0: once an hour at <see cref="Minute"/>; n: at Minute, Minute + n, … within the hour (the original's <c>*/3</c>).</summary>
    public int MinuteStep { get; init; }

    /// <summary>null: every day.</summary>
    public IReadOnlyList<DayOfWeek>? DaysOfWeek { get; init; }

    /// <summary>null: every day of the month.</summary>
    public IReadOnlyList<int>? DaysOfMonth { get; init; }

    /// <summary>The body's <c>update_latest</c>; null = the default (true).</summary>
    public bool? UpdateLatest { get; init; }

    /// <summary>Options of its types (e.g. player-profiles' <c>min_games</c>); null: the types' defaults.</summary>
    public IReadOnlyDictionary<string, long>? Options { get; init; }

    /// <summary>Set when none of the entry's types is enabled (ExportFlows__EnabledTypes): sync does not create it.</summary>
    public bool NotEnabled { get; init; }

    /// <summary>The minutes past the hour it fires.</summary>
    public IReadOnlyList<int> Minutes => MinuteStep > 0
        ? Enumerable.Range(0, ((59 - Minute) / MinuteStep) + 1).Select(i => Minute + (i * MinuteStep)).ToList()
        : [Minute];

    public ExportRequest Request => new(Types, TargetDate, AsOf, Trigger: $"schedule:{Id}", UpdateLatest: UpdateLatest, Options: Options);

    /// <summary>Whether the entry is created and runs <paramref name="type"/> (directly or through a group).</summary>
    /// <summary>Whether a run of the entry exports <paramref name="type"/>: one of its types, or a row one of them depends on.</summary>
    public bool Exports(ExportCatalog catalog, string type) => !NotEnabled && ExportGraph.Close(catalog, ExportPlanner.ExpandTypes(catalog, Types)).Contains(type);

    /// <summary>Whether the entry fires on an America/New_York calendar date.</summary>
    public bool FiresOn(DateOnly day) =>
        (DaysOfWeek is null || DaysOfWeek.Contains(day.DayOfWeek)) && (DaysOfMonth is null || DaysOfMonth.Contains(day.Day));
}

using ExportFlows.Workflows.Contracts;

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
/// in America/New_York and starts <c>Phase6ExportWorkflow</c> with the request of <see cref="Request"/>.
/// <paramref name="TargetDate"/> and <paramref name="AsOf"/> are words ("today", "yesterday") resolved when the
/// workflow runs, against the schedule's scheduled time.
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
    public ExportRequest Request => new(Types, TargetDate, AsOf, Trigger: $"schedule:{Id}");
}

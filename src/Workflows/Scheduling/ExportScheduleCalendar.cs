using Temporalio.Client.Schedules;

namespace ExportFlows.Workflows.Scheduling;

/// <summary>The Temporal calendar spec of a catalog entry (seconds 0; hours, minutes, days as the entry says).</summary>
public static class ExportScheduleCalendar
{
    public static ScheduleCalendarSpec For(ExportScheduleEntry entry)
    {
        var spec = new ScheduleCalendarSpec
        {
            Hour = entry.Hours.Order().Select(h => new ScheduleRange(h)).ToList(),
            Minute = entry.MinuteStep > 0 ? [new ScheduleRange(entry.Minute, 59, entry.MinuteStep)] : [new ScheduleRange(entry.Minute)],
            Second = [new ScheduleRange(0)],
            Comment = entry.Note,
        };
        if (entry.DaysOfWeek is { } days)
        {
            spec = spec with { DayOfWeek = days.Order().Select(d => new ScheduleRange((int)d)).ToList() };
        }
        if (entry.DaysOfMonth is { } dates)
        {
            spec = spec with { DayOfMonth = dates.Order().Select(d => new ScheduleRange(d)).ToList() };
        }
        return spec;
    }
}

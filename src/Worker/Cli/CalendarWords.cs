using System.Globalization;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Worker.Cli;

/// <summary>
/// A schedule's calendar in words, America/New_York: "daily 5:00 ET", "hourly 6–23 at :00 ET", "Sunday 6:00 ET",
/// "every 3 min 19:00–23:57 ET", "1st of the month 6:00 ET".
/// </summary>
public static class CalendarWords
{
    public static string Describe(ExportScheduleEntry entry)
    {
        var hours = entry.Hours.Distinct().Order().ToList();
        var days = Days(entry);
        string time;
        if (entry.MinuteStep > 0)
        {
            var last = entry.Minutes[^1];
            time = $"every {entry.MinuteStep} min " + (Contiguous(hours)
                ? $"{Clock(hours[0], entry.Minute)}–{Clock(hours[^1], last)}"
                : string.Join(", ", hours.Select(h => $"{Clock(h, entry.Minute)}–{Clock(h, last)}")));
        }
        else if (hours.Count > 1 && Contiguous(hours))
        {
            time = $"hourly {hours[0]}–{hours[^1]} at :{entry.Minute:00}";
        }
        else
        {
            time = (days is null ? "daily " : "") + string.Join(", ", hours.Select(h => Clock(h, entry.Minute)));
        }
        return (days is null ? "" : days + " ") + time + " ET";
    }

    private static string? Days(ExportScheduleEntry entry)
    {
        var parts = new List<string>();
        if (entry.DaysOfWeek is { Count: > 0 } week)
        {
            parts.Add(string.Join(", ", week.Order().Select(d => d.ToString())));
        }
        if (entry.DaysOfMonth is { Count: > 0 } month)
        {
            parts.Add(string.Join(", ", month.Order().Select(Ordinal)) + " of the month");
        }
        return parts.Count == 0 ? null : string.Join(" and ", parts);
    }

    private static bool Contiguous(IReadOnlyList<int> hours) => hours.Count > 1 && hours[^1] - hours[0] == hours.Count - 1;

    private static string Clock(int hour, int minute) => string.Create(CultureInfo.InvariantCulture, $"{hour}:{minute:00}");

    private static string Ordinal(int day) => day + (day is 11 or 12 or 13 ? "th" : (day % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}

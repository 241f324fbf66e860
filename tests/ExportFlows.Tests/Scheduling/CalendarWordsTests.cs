using ExportFlows.Worker.Cli;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

/// <summary>A schedule's calendar in words (America/New_York), as <c>schedules sync</c> and <c>catalog show</c> print it.</summary>
public sealed class CalendarWordsTests
{
    [Theory]
    [InlineData("phase6-daily-results", "daily 5:00 ET")]
    [InlineData("phase6-hourly-trends", "hourly 6–23 at :00 ET")]
    [InlineData("phase6-player-profiles", "Sunday 6:00 ET")]
    [InlineData("phase6-trends-weekly-wed", "Wednesday 8:00 ET")]
    [InlineData("phase6-trends-monthly", "1st of the month 6:00 ET")]
    [InlineData("phase6-live-evening", "every 3 min 19:00–23:57 ET")]
    [InlineData("phase6-live-late", "every 3 min 0:00–1:57 ET")]
    [InlineData("phase6-tonight-picks-pregame", "daily 17:00 ET")]
    public void Describe_ShippedSchedule_Words(string id, string expected)
    {
        Assert.Equal(expected, CalendarWords.Describe(ExportCatalog.Shipped.Schedules.Single(s => s.Id == id)));
    }

    [Fact]
    public void Describe_HoursApart_EachTimeListed()
    {
        Assert.Equal("daily 6:30, 13:30 ET", CalendarWords.Describe(Entry([13, 6], 30)));
        Assert.Equal("Sunday 6:05, 13:05 ET", CalendarWords.Describe(Entry([6, 13], 5) with { DaysOfWeek = [DayOfWeek.Sunday] }));
    }

    [Fact]
    public void Describe_StepInHoursApart_EachHourItsRange()
    {
        Assert.Equal("every 20 min 1:05–1:45, 5:05–5:45 ET", CalendarWords.Describe(Entry([1, 5], 5) with { MinuteStep = 20 }));
    }

    [Fact]
    public void Describe_DaysOfWeekAndMonth_BothNamed()
    {
        var entry = Entry([8, 9, 10], 15) with { DaysOfWeek = [DayOfWeek.Friday, DayOfWeek.Monday], DaysOfMonth = [2, 11, 23] };

        Assert.Equal("Monday, Friday and 2nd, 11th, 23rd of the month hourly 8–10 at :15 ET", CalendarWords.Describe(entry));
    }

    private static ExportScheduleEntry Entry(IReadOnlyList<int> hours, int minute) =>
        new("x", hours, minute, ["subset-definitions"], null, null, ScheduleOverlap.Skip, TimeSpan.FromHours(1), "");
}

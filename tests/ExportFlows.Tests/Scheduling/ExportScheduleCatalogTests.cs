using System.Globalization;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

public sealed class ExportScheduleCatalogTests
{
    private static ExportScheduleEntry Entry(string id) => ExportScheduleCatalog.Default.Single(e => e.Id == id);

    private static string[] Utc(IEnumerable<DateTimeOffset> times) =>
        times.Select(t => t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).ToArray();

    private static string[] Eastern(IEnumerable<DateTimeOffset> times) =>
        times.Select(t => ExportDates.EasternDateTime(t).ToString("HH:mm", CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Default_PushStrategy_FourSchedules()
    {
        Assert.Equal(["phase6-hourly-performance", "phase6-postgame-performance", "phase6-daily-definitions", "phase6-tonight-reexport"],
            ExportScheduleCatalog.Default.Select(e => e.Id));
        Assert.Equal((ScheduleOverlap.Skip, ScheduleOverlap.Skip, ScheduleOverlap.BufferOne, ScheduleOverlap.BufferOne),
            (Entry("phase6-hourly-performance").Overlap, Entry("phase6-postgame-performance").Overlap, Entry("phase6-daily-definitions").Overlap, Entry("phase6-tonight-reexport").Overlap));
        Assert.Equal(["subset-picks", "daily-signals"], Entry("phase6-tonight-reexport").Types);
    }

    [Fact]
    public void FireTimes_NormalWinterDay_EasternTimesAndUtc()
    {
        var day = new DateOnly(2026, 2, 3);
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-performance"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal(Enumerable.Range(6, 18).Select(h => $"{h:00}:00"), Eastern(hourly));
        Assert.Equal("02-03 11:00", Utc(hourly)[0]);
        Assert.Equal("02-04 04:00", Utc(hourly)[^1]);
        Assert.Equal(["02-03 07:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["02-03 10:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-definitions"), day)));
        Assert.Equal(["02-03 18:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-reexport"), day)));
    }

    [Fact]
    public void FireTimes_SpringForward2026_HourlyUnchangedPostgameAtThreeEdt()
    {
        var day = new DateOnly(2026, 3, 8); // 2:00 EST → 3:00 EDT
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-performance"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal(Enumerable.Range(6, 18).Select(h => $"{h:00}:00"), Eastern(hourly));
        Assert.Equal("03-08 10:00", Utc(hourly)[0]);
        Assert.All(hourly.Zip(hourly.Skip(1)), p => Assert.Equal(TimeSpan.FromHours(1), p.Second - p.First));
        var postgame = ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day);
        // 2:00 does not exist that night: the run fires once, at 3:00 EDT (07:00 UTC, the instant 2:00 EST would have been).
        Assert.Equal(["03-08 07:00"], Utc(postgame));
        Assert.Equal(["03:00"], Eastern(postgame));
        Assert.Equal(["03-08 09:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-definitions"), day)));
        Assert.Equal(["03-08 17:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-reexport"), day)));
    }

    [Fact]
    public void FireTimes_FallBack2026_OneRunPerWallTime()
    {
        var day = new DateOnly(2026, 11, 1); // 2:00 EDT → 1:00 EST
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-performance"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal("11-01 11:00", Utc(hourly)[0]);
        Assert.Equal("11-02 04:00", Utc(hourly)[^1]);
        Assert.Equal(["11-01 07:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["02:00"], Eastern(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["11-01 10:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-definitions"), day)));
        Assert.Equal(["11-01 18:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-reexport"), day)));
        // The day before (EDT) for contrast.
        Assert.Equal(["10-31 06:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), new DateOnly(2026, 10, 31))));
    }

    [Fact]
    public void NextFireTimes_LateEvening_CrossesMidnightInEastern()
    {
        var at = new DateTimeOffset(2026, 2, 4, 3, 30, 0, TimeSpan.Zero); // 22:30 EST on 02-03
        var next = ExportScheduleCatalog.NextFireTimes(Entry("phase6-hourly-performance"), at, 5);
        Assert.Equal(["02-04 04:00", "02-04 11:00", "02-04 12:00", "02-04 13:00", "02-04 14:00"], Utc(next));
        Assert.Equal(new DateTimeOffset(2026, 2, 4, 3, 0, 0, TimeSpan.Zero), ExportScheduleCatalog.LastFireTime(Entry("phase6-hourly-performance"), at));
    }

    [Theory]
    [InlineData("2026-02-04T05:30:00Z", "2026-02-04")] // 00:30 EST
    [InlineData("2026-02-05T04:30:00Z", "2026-02-04")] // 23:30 EST (already 02-05 in UTC: the original's P11)
    [InlineData("2026-07-01T04:30:00Z", "2026-07-01")] // 00:30 EDT
    [InlineData("2026-07-01T03:30:00Z", "2026-06-30")] // 23:30 EDT
    public void Request_TodayAtScheduledTime_EasternDate(string scheduled, string expected)
    {
        var at = DateTimeOffset.Parse(scheduled, CultureInfo.InvariantCulture);
        var tonight = ExportPlanner.Plan(Entry("phase6-tonight-reexport").Request, at);
        var hourly = ExportPlanner.Plan(Entry("phase6-hourly-performance").Request, at);
        Assert.Equal(expected, ExportDates.ToText(tonight.TargetDate!.Value));
        Assert.Equal(expected, ExportDates.ToText(hourly.AsOfDate!.Value));
        Assert.Equal("schedule:phase6-tonight-reexport", tonight.Trigger);
    }

    [Fact]
    public void Request_YesterdayAt0030_PreviousEasternDate()
    {
        var entry = Entry("phase6-daily-definitions") with { Types = ["subset-picks"] };
        var plan = ExportPlanner.Plan(entry.Request, DateTimeOffset.Parse("2026-02-04T05:30:00Z", CultureInfo.InvariantCulture));
        Assert.Equal(new DateOnly(2026, 2, 3), plan.TargetDate);
    }

    [Fact]
    public void Request_CaughtUpLate_ResolvedAgainstScheduledTimeNotRunTime()
    {
        var scheduled = DateTimeOffset.Parse("2026-02-05T04:00:00Z", CultureInfo.InvariantCulture); // 23:00 EST 02-04
        var ranAt = scheduled.AddMinutes(75);                                                              // 00:15 EST 02-05
        var plan = ExportPlanner.Plan(Entry("phase6-hourly-performance").Request, ranAt, datesAt: scheduled);
        Assert.Equal(new DateOnly(2026, 2, 4), plan.AsOfDate);
        Assert.Equal(ranAt, plan.Jobs[0].GeneratedAt);
    }

    [Fact]
    public void With_Overrides_ReplaceRemoveAdd()
    {
        var catalog = ExportScheduleCatalog.With(
        [
            new ScheduleOverride { Id = "phase6-hourly-performance", Hours = [7, 8], Minute = 15 },
            new ScheduleOverride { Id = "phase6-postgame-performance", Enabled = false },
            new ScheduleOverride { Id = "phase6-evening-picks", Hours = [18], Types = ["subset-picks"], TargetDate = "today" },
        ]);
        Assert.Equal(["phase6-hourly-performance", "phase6-daily-definitions", "phase6-tonight-reexport", "phase6-evening-picks"], catalog.Select(e => e.Id));
        Assert.Equal([7, 8], catalog[0].Hours);
        Assert.Equal(15, catalog[0].Minute);
        Assert.Equal(["subset-performance"], catalog[0].Types);
    }

    [Theory]
    [InlineData(24, "subset-performance")]
    [InlineData(6, "results")]
    [InlineData(6, "nonsense")]
    public void With_InvalidOverride_Rejected(int hour, string type)
    {
        Assert.Throws<InvalidExportRequestException>(() => ExportScheduleCatalog.With(
            [new ScheduleOverride { Id = "phase6-hourly-performance", Hours = [hour], Types = [type] }]));
    }
}

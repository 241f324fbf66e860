using System.Globalization;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

public sealed class ExportScheduleCatalogTests
{
    private static ExportScheduleEntry Entry(string id) => ExportCatalog.Shipped.Schedules.Single(e => e.Id == id);

    private static string[] Utc(IEnumerable<DateTimeOffset> times) =>
        times.Select(t => t.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).ToArray();

    private static string[] Eastern(IEnumerable<DateTimeOffset> times) =>
        times.Select(t => ExportDates.EasternDateTime(t).ToString("HH:mm", CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public void Default_OriginalJobList_SixteenSchedulesInOrder()
    {
        Assert.Equal(
        [
            "phase6-daily-results", "phase6-hourly-trends", "phase6-tonight-picks", "phase6-player-profiles", "phase6-season-game-counts",
            "phase6-clv-reexport", "phase6-clv-reexport-late", "phase6-trends-daily", "phase6-trends-weekly-mon", "phase6-trends-weekly-wed",
            "phase6-trends-monthly", "phase6-live-evening", "phase6-live-late", "phase6-tonight-picks-morning", "phase6-tonight-picks-pregame",
            "phase6-postgame-performance",
        ], ExportCatalog.Shipped.Schedules.Select(e => e.Id));
        Assert.All(ExportCatalog.Shipped.Schedules, e => ExportPlanner.ExpandTypes(ExportCatalog.Shipped, e.Types));
        // The original's morning/pre-game body names season-subsets, an export type since the catalog follows 18f6ecfe.
        Assert.Contains("season-subsets", ExportCatalog.Shipped.Schedules.Single(e => e.Id == "phase6-tonight-picks-morning").Types);
    }

    [Theory]
    [InlineData("phase6-daily-results", "5", "0", 0, null, null, true, null)]
    [InlineData("phase6-hourly-trends", "6-23", "0", 0, null, null, null, null)]
    [InlineData("phase6-tonight-picks", "13", "0", 0, null, null, true, null)]
    [InlineData("phase6-player-profiles", "6", "0", 0, DayOfWeek.Sunday, null, null, 5)]
    [InlineData("phase6-trends-daily", "6", "0", 0, null, null, true, null)]
    [InlineData("phase6-trends-weekly-mon", "6", "0", 0, DayOfWeek.Monday, null, null, null)]
    [InlineData("phase6-trends-weekly-wed", "8", "0", 0, DayOfWeek.Wednesday, null, null, null)]
    [InlineData("phase6-trends-monthly", "6", "0", 0, null, 1, null, null)]
    [InlineData("phase6-live-evening", "19-23", "0", 3, null, null, null, null)]
    [InlineData("phase6-live-late", "0-1", "0", 3, null, null, null, null)]
    [InlineData("phase6-tonight-picks-morning", "11", "0", 0, null, null, true, null)]
    [InlineData("phase6-tonight-picks-pregame", "17", "0", 0, null, null, true, null)]
    [InlineData("phase6-postgame-performance", "2", "0", 0, null, null, null, null)]
    public void Default_Entry_WhenAndBodyFieldByField(string id, string hours, string minute, int step, DayOfWeek? weekday, int? monthDay, bool? updateLatest, int? minGames)
    {
        var entry = Entry(id);
        var range = hours.Split('-').Select(h => int.Parse(h, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(Enumerable.Range(range[0], range[^1] - range[0] + 1), entry.Hours);
        Assert.Equal(int.Parse(minute, CultureInfo.InvariantCulture), entry.Minute);
        Assert.Equal(step, entry.MinuteStep);
        Assert.Equal(weekday is { } d ? [d] : null, entry.DaysOfWeek);
        Assert.Equal(monthDay is { } m ? [m] : null, entry.DaysOfMonth);
        Assert.Equal((updateLatest, minGames), (entry.Request.UpdateLatest, (int?)entry.Request.Options?["min_games"]));
        Assert.Equal($"schedule:{id}", entry.Request.Trigger);
    }

    [Fact]
    public void FireTimes_NormalWinterDay_EasternTimesAndUtc()
    {
        var day = new DateOnly(2026, 2, 3);
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-trends"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal(Enumerable.Range(6, 18).Select(h => $"{h:00}:00"), Eastern(hourly));
        Assert.Equal("02-03 11:00", Utc(hourly)[0]);
        Assert.Equal("02-04 04:00", Utc(hourly)[^1]);
        Assert.Equal(["02-03 07:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["02-03 10:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-results"), day)));
        Assert.Equal(["02-03 16:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-picks-morning"), day)));
        Assert.Equal(["02-03 18:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-picks"), day)));
        Assert.Equal(["02-03 22:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-picks-pregame"), day)));
        Assert.Equal(["02-03 11:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-daily"), day)));
    }

    [Fact]
    public void FireTimes_WeeklyAndMonthly_OnlyOnTheirDays()
    {
        // 2026-02-08 is a Sunday, 02-09 a Monday, 02-11 a Wednesday.
        Assert.Equal(["02-08 11:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-player-profiles"), new DateOnly(2026, 2, 8))));
        Assert.Empty(ExportScheduleCatalog.FireTimes(Entry("phase6-player-profiles"), new DateOnly(2026, 2, 9)));
        Assert.Equal(["02-09 11:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-weekly-mon"), new DateOnly(2026, 2, 9))));
        Assert.Empty(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-weekly-mon"), new DateOnly(2026, 2, 10)));
        Assert.Equal(["02-11 13:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-weekly-wed"), new DateOnly(2026, 2, 11))));
        Assert.Equal(["03-01 11:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-monthly"), new DateOnly(2026, 3, 1))));
        Assert.Empty(ExportScheduleCatalog.FireTimes(Entry("phase6-trends-monthly"), new DateOnly(2026, 3, 2)));
        var next = ExportScheduleCatalog.NextFireTimes(Entry("phase6-trends-monthly"), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), 2);
        Assert.Equal(["04-01 10:00", "05-01 10:00"], Utc(next)); // EDT from March 8
    }

    [Fact]
    public void FireTimes_Live_EveryThreeMinutesFromSevenPmToOneFiftySeven()
    {
        var day = new DateOnly(2026, 2, 10);
        var evening = ExportScheduleCatalog.FireTimes(Entry("phase6-live-evening"), day);
        var late = ExportScheduleCatalog.FireTimes(Entry("phase6-live-late"), day.AddDays(1));
        Assert.Equal(100, evening.Count);
        Assert.Equal(40, late.Count);
        Assert.Equal(("19:00", "19:03", "23:57"), (Eastern(evening)[0], Eastern(evening)[1], Eastern(evening)[^1]));
        Assert.Equal(("00:00", "01:57"), (Eastern(late)[0], Eastern(late)[^1]));
        Assert.All(evening.Concat(late).Zip(evening.Concat(late).Skip(1)).Where(p => p.Second - p.First < TimeSpan.FromHours(1)),
            p => Assert.Equal(TimeSpan.FromMinutes(3), p.Second - p.First));
    }

    [Fact]
    public void Request_LiveAfterMidnight_ExportsTheEveningsGameDate()
    {
        var at = DateTimeOffset.Parse("2026-02-11T05:30:00Z", CultureInfo.InvariantCulture); // 00:30 EST on 02-11
        Assert.Equal(new DateOnly(2026, 2, 10), ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-live-late").Request, at).TargetDate);
        var evening = DateTimeOffset.Parse("2026-02-11T04:57:00Z", CultureInfo.InvariantCulture); // 23:57 EST on 02-10 (already 02-11 in UTC: P11)
        Assert.Equal(new DateOnly(2026, 2, 10), ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-live-evening").Request, evening).TargetDate);
    }

    [Fact]
    public void Request_PlayerProfiles_MinGamesFiveInTheContract()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-player-profiles").Request, DateTimeOffset.Parse("2026-02-08T11:00:00Z", CultureInfo.InvariantCulture));
        var input = ExportPlanner.Input(ExportCatalog.Shipped.Get(plan.Jobs.Single().Type), plan, plan.Jobs.Single(), "phase6-player-profiles-2026-02-08T11:00:00Z");
        Assert.Equal((5, "schedule", "2026-02-08"), (input.Options["min_games"].GetInt32(), input.Trigger, input.TargetDate));
    }

    [Fact]
    public void MarkEnabled_NativeTypesOnly_EntriesWithoutANativeTypeNotEnabled()
    {
        var marked = ExportScheduleCatalog.MarkEnabled(ExportCatalog.Shipped, ExportPlanner.EnabledTypes(ExportCatalog.Shipped, null));
        Assert.Equal(
            ["phase6-tonight-picks", "phase6-player-profiles", "phase6-season-game-counts", "phase6-clv-reexport", "phase6-clv-reexport-late", "phase6-trends-daily",
                "phase6-trends-weekly-mon", "phase6-trends-weekly-wed", "phase6-trends-monthly", "phase6-live-evening", "phase6-live-late"],
            marked.Where(e => e.NotEnabled).Select(e => e.Id));
        var withLive = ExportScheduleCatalog.MarkEnabled(ExportCatalog.Shipped, ExportPlanner.EnabledTypes(ExportCatalog.Shipped, "subset-all,live"));
        Assert.False(withLive.Single(e => e.Id == "phase6-live-late").NotEnabled);
    }

    [Fact]
    public void FireTimes_SpringForward2026_HourlyUnchangedPostgameAtThreeEdt()
    {
        var day = new DateOnly(2026, 3, 8); // 2:00 EST → 3:00 EDT
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-trends"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal(Enumerable.Range(6, 18).Select(h => $"{h:00}:00"), Eastern(hourly));
        Assert.Equal("03-08 10:00", Utc(hourly)[0]);
        Assert.All(hourly.Zip(hourly.Skip(1)), p => Assert.Equal(TimeSpan.FromHours(1), p.Second - p.First));
        var postgame = ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day);
        // 2:00 does not exist that night: the run fires once, at 3:00 EDT (07:00 UTC, the instant 2:00 EST would have been).
        Assert.Equal(["03-08 07:00"], Utc(postgame));
        Assert.Equal(["03:00"], Eastern(postgame));
        Assert.Equal(["03-08 09:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-results"), day)));
        Assert.Equal(["03-08 17:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-picks"), day)));
    }

    [Fact]
    public void FireTimes_FallBack2026_OneRunPerWallTime()
    {
        var day = new DateOnly(2026, 11, 1); // 2:00 EDT → 1:00 EST
        var hourly = ExportScheduleCatalog.FireTimes(Entry("phase6-hourly-trends"), day);
        Assert.Equal(18, hourly.Count);
        Assert.Equal("11-01 11:00", Utc(hourly)[0]);
        Assert.Equal("11-02 04:00", Utc(hourly)[^1]);
        Assert.Equal(["11-01 07:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["02:00"], Eastern(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), day)));
        Assert.Equal(["11-01 10:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-daily-results"), day)));
        Assert.Equal(["11-01 18:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-tonight-picks"), day)));
        // The 1:00–1:57 live runs happen once each, at the first (EDT) occurrence.
        Assert.Equal(40, ExportScheduleCatalog.FireTimes(Entry("phase6-live-late"), day).Count);
        // The day before (EDT) for contrast.
        Assert.Equal(["10-31 06:00"], Utc(ExportScheduleCatalog.FireTimes(Entry("phase6-postgame-performance"), new DateOnly(2026, 10, 31))));
    }

    [Fact]
    public void NextFireTimes_LateEvening_CrossesMidnightInEastern()
    {
        var at = new DateTimeOffset(2026, 2, 4, 3, 30, 0, TimeSpan.Zero); // 22:30 EST on 02-03
        var next = ExportScheduleCatalog.NextFireTimes(Entry("phase6-hourly-trends"), at, 5);
        Assert.Equal(["02-04 04:00", "02-04 11:00", "02-04 12:00", "02-04 13:00", "02-04 14:00"], Utc(next));
        Assert.Equal(new DateTimeOffset(2026, 2, 4, 3, 0, 0, TimeSpan.Zero), ExportScheduleCatalog.LastFireTime(Entry("phase6-hourly-trends"), at));
    }

    [Theory]
    [InlineData("2026-02-04T05:30:00Z", "2026-02-04")] // 00:30 EST
    [InlineData("2026-02-05T04:30:00Z", "2026-02-04")] // 23:30 EST (already 02-05 in UTC: the original's P11)
    [InlineData("2026-07-01T04:30:00Z", "2026-07-01")] // 00:30 EDT
    [InlineData("2026-07-01T03:30:00Z", "2026-06-30")] // 23:30 EDT
    public void Request_TodayAtScheduledTime_EasternDate(string scheduled, string expected)
    {
        var at = DateTimeOffset.Parse(scheduled, CultureInfo.InvariantCulture);
        var tonight = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-tonight-picks").Request, at);
        var hourly = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-hourly-trends").Request, at);
        var postgame = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-postgame-performance").Request, at);
        Assert.Equal(expected, ExportDates.ToText(tonight.TargetDate!.Value));
        Assert.Equal(expected, ExportDates.ToText(hourly.TargetDate!.Value));
        Assert.Equal(expected, ExportDates.ToText(hourly.AsOfDate!.Value));
        Assert.Equal(expected, ExportDates.ToText(postgame.AsOfDate!.Value));
        Assert.Equal("schedule:phase6-tonight-picks", tonight.Trigger);
    }

    [Fact]
    public void Request_YesterdayAt0030_PreviousEasternDate()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-daily-results").Request, DateTimeOffset.Parse("2026-02-04T05:30:00Z", CultureInfo.InvariantCulture));
        Assert.Equal(new DateOnly(2026, 2, 3), plan.TargetDate);
        Assert.All(plan.Jobs.Where(j => j.Type != "subset-definitions"), j => Assert.Equal(new DateOnly(2026, 2, 3), j.TargetDate));
    }

    [Fact]
    public void Request_CaughtUpLate_ResolvedAgainstScheduledTimeNotRunTime()
    {
        var scheduled = DateTimeOffset.Parse("2026-02-05T04:00:00Z", CultureInfo.InvariantCulture); // 23:00 EST 02-04
        var ranAt = scheduled.AddMinutes(75);                                                              // 00:15 EST 02-05
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, Entry("phase6-hourly-trends").Request, ranAt, datesAt: scheduled);
        Assert.Equal(new DateOnly(2026, 2, 4), plan.AsOfDate);
        Assert.Equal(ranAt, plan.Jobs[0].GeneratedAt);
    }
}

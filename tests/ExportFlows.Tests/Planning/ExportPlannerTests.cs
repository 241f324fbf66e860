using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Planning;

public sealed class ExportPlannerTests
{
    // 2026-02-04 03:30 UTC is still 2026-02-03 in New York (EST, UTC−5).
    private static readonly DateTimeOffset LateEvening = new(2026, 2, 4, 3, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Plan_Group_ExpandsDeduplicatesKeepsOrder()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["daily-signals", "subset-all", "daily-signals"], "2026-02-03"), LateEvening);
        Assert.Equal(["daily-signals", "subset-picks", "subset-performance", "subset-definitions"], plan.Jobs.Select(j => j.Type));
    }

    [Fact]
    public void Plan_NoDates_TodayIsNewYorkDate()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-all"]), LateEvening);
        Assert.Equal(new DateOnly(2026, 2, 3), plan.TargetDate);
        Assert.Equal(new DateOnly(2026, 2, 3), plan.AsOfDate);
        Assert.Equal(LateEvening, plan.Jobs[0].GeneratedAt);
        Assert.Null(plan.Jobs.Single(j => j.Type == "subset-definitions").TargetDate);
        Assert.Equal(new DateOnly(2026, 2, 3), plan.Jobs.Single(j => j.Type == "subset-performance").AsOfDate);
        Assert.Null(plan.Jobs.Single(j => j.Type == "subset-performance").TargetDate);
    }

    [Theory]
    [InlineData("2026-11-24T05:30:00Z", "today", "2026-11-24")]      // 00:30 EST
    [InlineData("2026-11-24T05:30:00Z", "yesterday", "2026-11-23")]
    [InlineData("2026-11-25T04:30:00Z", "today", "2026-11-24")]      // 23:30 EST
    [InlineData("2026-07-01T03:59:00Z", "today", "2026-06-30")]      // 23:59 EDT
    [InlineData("2026-07-01T04:00:00Z", "today", "2026-07-01")]      // 00:00 EDT
    public void Resolve_TodayYesterday_NewYorkCalendar(string now, string word, string expected) =>
        Assert.Equal(expected, ExportDates.ToText(ExportDates.Resolve(word, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), "date")));

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("2026-02-30")]
    [InlineData("../x")]
    [InlineData("2026-2-3")]
    [InlineData("20260203")]
    [InlineData("")]
    public void Plan_InvalidDate_NamesValue(string date)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-picks"], date), LateEvening));
        Assert.StartsWith($"invalid date '{date}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("today", "2000-01-01T03:00:00Z", "1999-12-31")] // 22:00 on 31 December in New York
    [InlineData("yesterday", "2000-01-01T12:00:00Z", "1999-12-31")]
    public void Plan_WordResolvedOutsideTheRange_RejectedNamingWordAndDate(string word, string now, string resolved)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);

        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-picks", "daily-signals"], word), at));

        Assert.Equal($"invalid date '{word}' ({resolved} in America/New_York at {now}): dates must lie between 2000-01-01 and 2099-12-31", error.Message);
    }

    [Fact]
    public void Plan_TodayOnTheLastClock_LastDate()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-picks"], "today"), ExportDates.LatestClock);

        Assert.Equal(new DateOnly(2099, 12, 31), plan.TargetDate);
    }

    [Theory]
    [InlineData("today", "2100-06-01T12:00:00Z")]
    [InlineData("today", "9999-12-31T23:59:59Z")]
    [InlineData("yesterday", "0001-01-01T00:00:00Z")]
    [InlineData("today", "0001-01-01T00:00:00Z")]
    public void Plan_WordOnAClockOutsideTheRange_RejectedNamingTheClockNotArithmetic(string word, string now)
    {
        var at = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-picks"], word), at));

        Assert.Equal($"invalid date '{word}': it is resolved at {now}, and the clock must lie between 2000-01-01T00:00:00Z and 2099-12-31T23:59:59Z", error.Message);
    }

    [Theory]
    [InlineData("2000-01-01T04:00:00Z", "invalid as-of date 'today' (1999-12-31 in America/New_York at 2000-01-01T04:00:00Z): dates must lie between")]
    [InlineData("2100-01-01T15:00:00Z", "invalid as-of date 'today': it is resolved at 2100-01-01T15:00:00Z, and the clock must lie between")]
    public void Plan_ScheduledTimeOutsideTheRange_RejectedBeforeAnyJob(string scheduled, string expected)
    {
        var at = DateTimeOffset.Parse(scheduled, System.Globalization.CultureInfo.InvariantCulture);

        var error = Assert.Throws<InvalidExportRequestException>(() =>
            ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-performance"], AsOf: "today"), LateEvening, datesAt: at));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownType_ListsValidNames()
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-pick"]), LateEvening));
        Assert.Contains("unknown export type 'subset-pick'", error.Message, StringComparison.Ordinal);
        Assert.Contains("subset-definitions", error.Message, StringComparison.Ordinal);
        Assert.Contains("trends-all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ExternalGroup_ExpandsToExternalJobsWithTargetDate()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["trends-daily", "subset-picks"], "2026-02-03"), LateEvening);
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays", "trends-tonight", "subset-picks"], plan.Jobs.Select(j => j.Type));
        Assert.All(plan.Jobs, j => Assert.Equal(new DateOnly(2026, 2, 3), j.TargetDate));
        Assert.True(plan.UpdateLatest);
    }

    [Fact]
    public void Plan_TypeNotEnabled_DroppedAndReportedNotEnabled()
    {
        var enabled = ExportPlanner.EnabledTypes(ExportCatalog.Shipped, null);
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["results", "best-bets", "subset-picks"], "2026-02-03"), LateEvening, enabledTypes: enabled);

        Assert.Equal(["subset-picks"], plan.Jobs.Select(j => j.Type));
        Assert.Equal(["results", "best-bets"], plan.NotEnabledTypes);
        Assert.Equal(["subset-picks"], plan.Types);
        var report = ExportReportBuilder.Build(plan, [new ExportOutcome("subset-picks", ExportStatus.Succeeded, "v1/picks/2026-02-03.json", 10, 1, 0.1)]);
        Assert.Equal(["results", "best-bets", "subset-picks"], report.Exports.Select(e => e.Type));
        Assert.Equal([ExportStatus.NotEnabled, ExportStatus.NotEnabled, ExportStatus.Succeeded], report.Exports.Select(e => e.Status));
        Assert.True(report.Succeeded);
        Assert.Equal("1 of 1 exports written; not enabled: results, best-bets", report.Summary());
    }

    [Fact]
    public void EnabledTypes_GroupsAndDefault_ExpandedTypoRejected()
    {
        Assert.Equal(ExportCatalog.Shipped.NativeTypes.Order(), ExportPlanner.EnabledTypes(ExportCatalog.Shipped, " ").Order());
        Assert.Equal(["daily-signals", "results", "subset-definitions", "subset-performance", "subset-picks", "tonight-trend-plays", "trends-bounce-back", "trends-hot-cold", "trends-tonight"],
            ExportPlanner.EnabledTypes(ExportCatalog.Shipped, "subset-all, results,trends-daily").Order());
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.EnabledTypes(ExportCatalog.Shipped, "subset-all,resluts"));
        Assert.StartsWith("ExportFlows__EnabledTypes: unknown export type 'resluts'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("schedule:phase6-daily-results", "schedule")]
    [InlineData("orchestrator", "orchestrator")]
    [InlineData("CLI", "cli")]
    [InlineData("", "manual")]
    [InlineData("9lives", "manual")]
    public void TriggerWord_ReducedToContractWord(string trigger, string expected) => Assert.Equal(expected, ExportPlanner.TriggerWord(trigger));

    [Fact]
    public void ExternalInput_FromPlan_ContractFields()
    {
        var at = new DateTimeOffset(2026, 2, 11, 10, 0, 0, TimeSpan.Zero);
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["results", "player-profiles"], "yesterday", Trigger: "schedule:phase6-daily-results", UpdateLatest: false, MinGames: 7), at);
        var results = ExportPlanner.Input(ExportCatalog.Shipped.Get(plan.Jobs[0].Type), plan, plan.Jobs[0], "phase6-daily-results-2026-02-11T10:00:00Z");
        var profiles = ExportPlanner.Input(ExportCatalog.Shipped.Get(plan.Jobs[1].Type), plan, plan.Jobs[1], "x");

        Assert.Equal(new ExportActivityInput("results", "2026-02-10", false, "2026-02-11T10:00:00.000000+00:00", "phase6-daily-results-2026-02-11T10:00:00Z", "schedule", results.Options), results);
        Assert.Empty(results.Options);
        Assert.Equal(7, profiles.Options["min_games"].GetInt32());
        var cid = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["results"], "2026-02-10", CorrelationId: "batch-1"), at);
        Assert.Equal("batch-1", ExportPlanner.Input(ExportCatalog.Shipped.Get(cid.Jobs[0].Type), cid, cid.Jobs[0], "fallback").CorrelationId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(83)]
    public void Plan_MinGamesOutOfRange_Rejected(int minGames)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["player-profiles"], MinGames: minGames), LateEvening));
        Assert.StartsWith($"invalid min_games {minGames}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownType_RefusedNamingIt()
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["season-subset"]), LateEvening));
        Assert.StartsWith("unknown export type 'season-subset'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoTypes_Rejected()
    {
        Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest([" ", ""]), LateEvening));
    }

    [Fact]
    public void Plan_DisabledType_SkippedNotRun()
    {
        var plan = ExportPlanner.Plan(ExportCatalog.Shipped, new ExportRequest(["subset-all"], "2026-02-03"), LateEvening, new HashSet<string> { "subset-performance" });
        Assert.DoesNotContain(plan.Jobs, j => j.Type == "subset-performance");
        var report = ExportReportBuilder.Build(plan, []);
        Assert.Equal(ExportStatus.Skipped, report.Exports.Single(e => e.Type == "subset-performance").Status);
    }

    [Fact]
    public void Catalog_KnowsEveryOriginalTypeAndGroup()
    {
        Assert.Equal(43, ExportCatalog.Shipped.TypeNames.Count());
        Assert.Equal(["trends-daily", "trends-weekly", "trends-all", "subset-all"], ExportCatalog.Shipped.Groups.Keys);
        Assert.Equal(4, ExportCatalog.Shipped.NativeTypes.Count());
        Assert.Equal(39, ExportCatalog.Shipped.Types.Where(t => t.IsExternal).Select(t => t.Name).Count());
        Assert.Equal(10, ExportCatalog.Shipped.Types.Count(t => t.IsStep));
    }
}

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
        var plan = ExportPlanner.Plan(new ExportRequest(["daily-signals", "subset-all", "daily-signals"], "2026-02-03"), LateEvening);
        Assert.Equal(["daily-signals", "subset-picks", "subset-performance", "subset-definitions"], plan.Jobs.Select(j => j.Type));
    }

    [Fact]
    public void Plan_NoDates_TodayIsNewYorkDate()
    {
        var plan = ExportPlanner.Plan(new ExportRequest(["subset-all"]), LateEvening);
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
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(new ExportRequest(["subset-picks"], date), LateEvening));
        Assert.StartsWith($"invalid date '{date}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownType_ListsValidNames()
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(new ExportRequest(["subset-pick"]), LateEvening));
        Assert.Contains("unknown export type 'subset-pick'", error.Message, StringComparison.Ordinal);
        Assert.Contains("subset-definitions", error.Message, StringComparison.Ordinal);
        Assert.Contains("trends-all", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("results")]
    [InlineData("trends-daily")]
    public void Plan_KnownButNotImplemented_ListsImplemented(string type)
    {
        var error = Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(new ExportRequest([type]), LateEvening));
        Assert.Contains("not implemented yet; implemented types: subset-picks, daily-signals, subset-performance, subset-definitions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_NoTypes_Rejected()
    {
        Assert.Throws<InvalidExportRequestException>(() => ExportPlanner.Plan(new ExportRequest([" ", ""]), LateEvening));
    }

    [Fact]
    public void Plan_DisabledType_SkippedNotRun()
    {
        var plan = ExportPlanner.Plan(new ExportRequest(["subset-all"], "2026-02-03"), LateEvening, new HashSet<string> { "subset-performance" });
        Assert.DoesNotContain(plan.Jobs, j => j.Type == "subset-performance");
        var report = ExportReportBuilder.Build(plan, []);
        Assert.Equal(ExportStatus.Skipped, report.Exports.Single(e => e.Type == "subset-performance").Status);
    }

    [Fact]
    public void Catalog_KnowsEveryOriginalTypeAndGroup()
    {
        Assert.Equal(20, ExportTypeCatalog.KnownTypes.Count);
        Assert.Equal(["trends-daily", "trends-weekly", "trends-all", "subset-all"], ExportTypeCatalog.Groups.Keys);
        Assert.Equal(4, ExportTypeCatalog.ImplementedTypes.Count);
    }
}

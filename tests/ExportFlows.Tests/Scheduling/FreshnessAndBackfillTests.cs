using System.Globalization;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Scheduling;

public sealed class FreshnessAndBackfillTests
{
    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture);

    [Fact]
    public void DateKeyed_WrittenAfterLastPredictionsComplete_Fresh()
    {
        var complete = At("2026-02-03T16:30:00Z");
        Assert.Equal(Freshness.Fresh, FreshnessRules.DateKeyed(At("2026-02-03T16:31:00Z"), complete, At("2026-02-03T20:00:00Z")).State);
        Assert.Equal(Freshness.Stale, FreshnessRules.DateKeyed(At("2026-02-03T12:00:00Z"), complete, At("2026-02-03T20:00:00Z")).State);
        // Within the grace period the export of the new batch may still be running.
        Assert.Equal(Freshness.Fresh, FreshnessRules.DateKeyed(At("2026-02-03T12:00:00Z"), complete, At("2026-02-03T16:40:00Z")).State);
        Assert.Equal(Freshness.Missing, FreshnessRules.DateKeyed(null, complete, At("2026-02-03T20:00:00Z")).State);
    }

    [Theory]
    [InlineData("2026-02-03T19:10:00Z", "2026-02-03T20:00:00Z", Freshness.Fresh)]  // 15:00 ET, 50 min old
    [InlineData("2026-02-03T18:30:00Z", "2026-02-03T20:00:00Z", Freshness.Stale)]  // 1 h 30 old in the daytime
    [InlineData("2026-02-04T04:05:00Z", "2026-02-04T08:00:00Z", Freshness.Fresh)]  // 03:00 ET, written by the 23:00 run
    [InlineData("2026-02-04T02:00:00Z", "2026-02-04T08:00:00Z", Freshness.Stale)]  // 03:00 ET, last written 21:00
    [InlineData("2026-02-04T04:05:00Z", "2026-02-04T11:20:00Z", Freshness.Stale)]  // 06:20 ET, the 6 AM run did not write
    public void Performance_HourlyTargetBetweenSixAndMidnight(string updated, string now, Freshness expected) =>
        Assert.Equal(expected, FreshnessRules.Performance(At(updated), At(now)).State);

    [Fact]
    public void Definitions_Within24Hours()
    {
        Assert.Equal(Freshness.Fresh, FreshnessRules.Definitions(At("2026-02-02T10:05:00Z"), At("2026-02-03T09:00:00Z")).State);
        Assert.Equal(Freshness.Stale, FreshnessRules.Definitions(At("2026-02-02T05:00:00Z"), At("2026-02-03T09:00:00Z")).State);
        Assert.Equal(Freshness.Missing, FreshnessRules.Definitions(null, At("2026-02-03T09:00:00Z")).State);
    }

    [Fact]
    public void Dates_InvalidRanges_Rejected()
    {
        Assert.Throws<InvalidExportRequestException>(() => BackfillPlanner.Dates(new DateOnly(2026, 2, 2), new DateOnly(2026, 2, 1)));
        Assert.Throws<InvalidExportRequestException>(() => BackfillPlanner.Dates(new DateOnly(2000, 1, 1), new DateOnly(2026, 1, 1)));
        Assert.Single(BackfillPlanner.Dates(new DateOnly(2026, 2, 2), new DateOnly(2026, 2, 2)));
    }

    [Fact]
    public void ValidateTypes_FixedPathTypes_NeedFlag()
    {
        Assert.Equal(["subset-picks", "daily-signals"], BackfillPlanner.ValidateTypes(ExportCatalog.Shipped, null, allowFixedPaths: false));
        var error = Assert.Throws<InvalidExportRequestException>(() => BackfillPlanner.ValidateTypes(ExportCatalog.Shipped, ["subset-all"], allowFixedPaths: false));
        Assert.Contains("subset-performance, subset-definitions", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, BackfillPlanner.ValidateTypes(ExportCatalog.Shipped, ["subset-all"], allowFixedPaths: true).Count);
    }
}

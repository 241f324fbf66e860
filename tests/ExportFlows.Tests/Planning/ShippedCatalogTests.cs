using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Planning;

public sealed class ShippedCatalogTests
{
    [Theory]
    [InlineData("subset-picks", "ExportSubsetPicks", ExporterKind.Native, ExportDateKind.TargetDate, true)]
    [InlineData("daily-signals", "ExportDailySignals", ExporterKind.Native, ExportDateKind.TargetDate, true)]
    [InlineData("subset-performance", "ExportSubsetPerformance", ExporterKind.Native, ExportDateKind.AsOfDate, false)]
    [InlineData("subset-definitions", "ExportSubsetDefinitions", ExporterKind.Native, ExportDateKind.None, false)]
    [InlineData("results", "ExportResults", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("performance", "ExportPerformance", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("best-bets", "ExportBestBets", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("predictions", "ExportPredictions", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("tonight", "ExportTonight", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("tonight-players", "ExportTonightPlayers", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("streaks", "ExportStreaks", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-hot-cold", "ExportTrendsHotCold", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-bounce-back", "ExportTrendsBounceBack", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-what-matters", "ExportTrendsWhatMatters", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-team", "ExportTrendsTeam", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-quick-hits", "ExportTrendsQuickHits", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-deep-dive", "ExportTrendsDeepDive", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("tonight-trend-plays", "ExportTonightTrendPlays", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("live", "ExportLive", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("live-grading", "ExportLiveGrading", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("player-profiles", "ExportPlayerProfiles", ExporterKind.External, ExportDateKind.TargetDate, false)]
    public void GetImplemented_EveryType_ActivityKindAndDates(string type, string activity, ExporterKind kind, ExportDateKind dates, bool dateKeyed)
    {
        var info = ExportCatalog.Shipped.Get(type);
        Assert.Equal((activity, kind, dates, dateKeyed), (info.Activity, info.Kind, info.DateKind, info.DateKeyedObject));
        Assert.Equal(activity, ExportCatalogParser.DefaultActivity(type));
    }

    [Fact]
    public void Groups_AsInTheOriginal()
    {
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"], ExportCatalog.Shipped.Groups["trends-daily"]);
        Assert.Equal(["trends-what-matters", "trends-team", "trends-quick-hits"], ExportCatalog.Shipped.Groups["trends-weekly"]);
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays"],
            ExportCatalog.Shipped.Groups["trends-all"]);
    }

    [Fact]
    public void OrchestratorTypes_TheOriginalList_DefaultEnabledTheNativeFour()
    {
        Assert.Equal(["tonight", "tonight-players", "predictions", "best-bets", "streaks", "subset-picks", "daily-signals"], ExportCatalog.Shipped.Orchestrator);
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions"], ExportCatalog.Shipped.NativeTypes);
        Assert.Equal(["subset-picks", "daily-signals"], ExportCatalog.Shipped.Orchestrator.Where(t => !ExportCatalog.Shipped.IsExternal(t)));
    }

    [Theory]
    [InlineData("results", new[] { "v1/results/2026-02-10.json", "v1/results/latest.json" })]
    [InlineData("predictions", new[] { "v1/predictions/2026-02-10.json", "v1/predictions/today.json" })]
    [InlineData("tonight-players", new[] { "v1/tonight/player/" })]
    [InlineData("player-profiles", new[] { "v1/players/index.json", "v1/players/" })]
    [InlineData("trends-hot-cold", new[] { "v1/trends/whos-hot-v2.json" })]
    [InlineData("subset-performance", new[] { "v1/subsets/performance.json" })]
    public void ExportObjects_OriginalPaths(string type, string[] names) =>
        Assert.Equal(names, ExportCatalog.Shipped.Get(type).Objects.Select(o => o.Name(new DateOnly(2026, 2, 10))));

    [Fact]
    public void ExportObjects_EveryTypeHasObjects() =>
        Assert.All(ExportCatalog.Shipped.TypeNames, t => Assert.NotEmpty(ExportCatalog.Shipped.Get(t).Objects));
}

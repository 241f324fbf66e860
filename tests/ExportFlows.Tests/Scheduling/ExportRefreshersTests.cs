using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;

namespace ExportFlows.Tests.Scheduling;

/// <summary>What refreshes a type: its schedules, then the events that run it (with their conditions and forms), then the listing events.</summary>
public sealed class ExportRefreshersTests
{
    /// <summary>With every schedule created, or only those with one of <paramref name="enabledTypes"/>.</summary>
    private static IReadOnlyList<string> Texts(ExportCatalog catalog, string type, string? enabledTypes = null) =>
        new ExportRefreshers(catalog, enabledTypes is null ? catalog.Schedules : ExportScheduleCatalog.MarkEnabled(catalog, ExportPlanner.EnabledTypes(catalog, enabledTypes)))
            .For(type).Select(r => r.ToString()).ToList();

    private static readonly ExportCatalog Shipped = ExportCatalog.Shipped;

    private static IReadOnlyList<string> ShippedTexts(string type) => Texts(Shipped, type);

    [Fact]
    public void For_ShippedBestBetsRecord_GradingCompleteAlwaysThenTheListingEvent() =>
        Assert.Equal(["event: grading-complete", "event: export-request (when a message lists it)"], ShippedTexts("best-bets-record"));

    [Fact]
    public void For_ShippedPlayerProfiles_ScheduleThenTheFlagFormThenTheListingEvent() =>
        Assert.Equal(["phase6-player-profiles", "event: export-request (players = true)", "event: export-request (when a message lists it)"],
            ShippedTexts("player-profiles"));

    [Fact]
    public void For_ShippedStepTheOrchestratorListDependsOn_RefreshedThroughTheClosure()
    {
        // discover-models is not in the orchestrator's list: signal-best-bets, which is, depends on it.
        Assert.DoesNotContain("discover-models", Shipped.Orchestrator);
        Assert.Contains("event: predictions-complete", ShippedTexts("discover-models"));
    }

    [Fact]
    public void For_ShippedSeasonSubsets_TheGradingConditionShown() =>
        Assert.Contains("event: grading-complete (when status == \"success\" and graded_count > 0)", ShippedTexts("season-subsets"));

    [Fact]
    public void For_RowReachedWithAndWithoutCondition_UnconditionalWins()
    {
        // signal-best-bets (under a condition) depends on discover-models, which the event also runs unconditionally.
        var catalog = ExportCatalogParser.ParseOrThrow(CatalogFiles.Shipped + """

            [events.test-run]
            path = "/pubsub/test-run"
            verb = "test-run"
            date = { fields = ["game_date"] }
            fields = { status = "string" }
            runs = [{ row = "signal-best-bets", when = [{ field = "status", equals = "success" }] }, "discover-models"]

            """, "test-run.toml");

        Assert.Contains("event: test-run", Texts(catalog, "discover-models"));
        Assert.Contains("event: test-run (when status == \"success\")", Texts(catalog, "materialize-subsets"));
        Assert.DoesNotContain(Texts(catalog, "results"), t => t.StartsWith("event: test-run", StringComparison.Ordinal));
    }

    [Fact]
    public void For_CatalogWithoutEvents_TheOrchestratorListByTheBuiltInPredictionsComplete()
    {
        var catalog = ExportCatalogParser.ParseOrThrow(CatalogFiles.FirstShipped, "first.toml");

        Assert.Empty(catalog.Events);
        Assert.Equal(["phase6-tonight-picks", "phase6-tonight-picks-morning", "phase6-tonight-picks-pregame", "event: predictions-complete"], Texts(catalog, "subset-picks"));
    }

    [Fact]
    public void For_TypeNothingRefreshes_Empty()
    {
        var catalog = ExportCatalogParser.ParseOrThrow(CatalogFiles.FirstShipped + CatalogFiles.CalendarRow, "calendar.toml");

        Assert.Empty(Texts(catalog, "calendar"));
        Assert.Empty(new ExportRefreshers(catalog, catalog.Schedules).SchedulesOf("calendar"));
    }

    [Fact]
    public void For_ScheduleOfNoEnabledType_NotARefresher()
    {
        var catalog = ExportCatalogParser.ParseOrThrow(CatalogFiles.WithCalendar, "calendar.toml");

        Assert.Empty(Texts(catalog, "calendar", "subset-all"));
        Assert.Equal(["phase6-calendar"], Texts(catalog, "calendar", "subset-all,calendar"));
    }
}

using ExportFlows.Worker.PubSub;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Events;

namespace ExportFlows.Tests.Events;

/// <summary>The shipped catalog's three events, and the original's own messages read through them unchanged.</summary>
public sealed class ShippedEventsTests
{
    private static readonly ExportCatalog Shipped = ExportCatalog.Shipped;

    private static EventReading Read(string eventName, string json) =>
        EventMessageReader.Read(Shipped.FindEvent(eventName)!, Shipped, json, EventMessageReaderTests.Now);

    [Fact]
    public void Shipped_ThreeEvents_PathsAndVerbs()
    {
        Assert.Equal(
            [
                ("predictions-complete", "/pubsub/predictions-complete", "predictions-complete"),
                ("export-request", "/pubsub/export-request", "export-request"),
                ("grading-complete", "/pubsub/grading-complete", "grading-complete"),
            ],
            Shipped.Events.Select(e => (e.Name, e.Path, e.Verb)));
    }

    [Fact]
    public void Shipped_PredictionsComplete_DescribesTodaysEndpoint()
    {
        var ev = Shipped.FindEvent("predictions-complete")!;

        Assert.Equal(PubSubPushEndpoint.Path, ev.Path);
        Assert.True(ev.RunsOrchestrator);
        Assert.Equal(["game_date"], ev.Date.Fields);
        Assert.Null(ev.Date.Default);
        Assert.Equal(Shipped.Orchestrator, Read("predictions-complete", File.ReadAllText(Path.Combine(Support.RepositoryFiles.Root, "examples", "predictions-complete.json"))).Request!.Types);
    }

    [Theory]
    [InlineData("""{"export_types": ["results", "performance", "best-bets", "predictions", "admin-dashboard", "admin-picks"], "target_date": "yesterday", "update_latest": true}""", "2026-02-09", 6)]
    [InlineData("""{"export_types": ["tonight", "tonight-players", "best-bets-all", "best-bets-today"], "target_date": "today"}""", "2026-02-10", 4)]
    [InlineData("""{"export_types": ["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"], "target_date": "today"}""", "2026-02-10", 3)]
    [InlineData("""{"export_types": ["season-game-counts"]}""", "2026-02-09", 1)]
    [InlineData("""{"export_types": ["signal-best-bets"], "target_date": "today"}""", "2026-02-10", 1)]
    public void Read_OriginalSchedulerMessages_AcceptedUnchanged(string json, string date, int types)
    {
        var request = Read("export-request", json).Request!;

        Assert.Equal((date, types, true), (request.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), request.Types.Count, request.UpdateLatest));
        Assert.Equal("scheduled", request.CorrelationId);
    }

    [Fact]
    public void Read_OriginalPlayersMessage_RunsPlayerProfiles()
    {
        var request = Read("export-request", """{"players": true, "min_games": 5}""").Request!;
        Assert.Equal(["player-profiles"], request.Types);
        Assert.Equal(5, request.Options["min_games"]);
    }

    [Fact]
    public void Read_MlbMessage_RefusedNamingTheSport()
    {
        var refusal = Read("export-request", """{"sport": "mlb", "export_types": ["best-bets", "pitchers"], "target_date": "today"}""").Refusal!;
        Assert.Equal(("sport", "sport 'mlb' has no rows in this catalog (its rows serve nba): the message is refused, never run as nba"), (refusal.Field, refusal.Reason));
    }

    [Fact]
    public void Decide_GradingFailed_SkipsThePicksReExportsRunsTheAnalyticsAndHistoryFiles()
    {
        var ev = Shipped.FindEvent("grading-complete")!;
        var request = Read("grading-complete", """{"target_date": "2026-02-09", "status": "failed", "graded_count": 120, "correlation_id": "g-1"}""").Request!;

        var decisions = EventConditions.Decide(ev, request);

        Assert.Equal(["compute-signal-health", "compute-model-performance", "compute-model-profiles", "compute-league-macro", "best-bets-all", "best-bets-record"],
            decisions.Where(d => d.Runs).Select(d => d.Name));
        Assert.Equal("skipped: condition status == \"success\" is false (status = \"failed\")", decisions.Single(d => d.Name == "subset-picks").Reason);
        Assert.Equal(("g-1", "\"post-grading\""), (request.CorrelationId, request.Values["trigger_source"]));
    }

    [Fact]
    public void Decide_GradingSucceededWithDeprecatedKey_RunsEverything()
    {
        var ev = Shipped.FindEvent("grading-complete")!;
        var request = Read("grading-complete", """{"graded_date": "2026-02-09", "status": "success", "graded_count": 120}""").Request!;

        Assert.All(EventConditions.Decide(ev, request), d => Assert.True(d.Runs, d.Reason));
        Assert.Equal(new DateOnly(2026, 2, 9), request.Date);
    }
}

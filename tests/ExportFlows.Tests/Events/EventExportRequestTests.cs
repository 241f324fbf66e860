using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Events;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Events;

/// <summary>What one read message runs: every entry, a false condition skipped with its reason, the event's order, the trigger.</summary>
public sealed class EventExportRequestTests
{
    private static readonly ExportCatalog Shipped = ExportCatalog.Shipped;
    private static readonly string[] Analytics = ["compute-signal-health", "compute-model-performance", "compute-model-profiles", "compute-league-macro"];
    private static readonly string[] PicksExports = ["subset-picks", "season-subsets", "backfill-signal-best-bets", "backfill-filtered-picks", "tonight"];

    private static EventRequest Read(string eventName, string json) =>
        EventMessageReader.Read(Shipped.FindEvent(eventName)!, Shipped, json, EventMessageReaderTests.Now).Request!;

    private static Workflows.Contracts.ExportRequest Grading(string json) =>
        EventExportRequest.For(Shipped.FindEvent("grading-complete")!, Shipped, Read("grading-complete", json));

    [Fact]
    public void For_GradingSucceeded_RunsEveryEntryInOrderAfterTheBackfills()
    {
        var request = Grading("""{"target_date": "2026-02-10", "status": "success", "graded_count": 120, "correlation_id": "g-1"}""");

        Assert.Equal(Shipped.FindEvent("grading-complete")!.Runs.Select(r => r.Name), request.Types);
        Assert.Null(request.SkipReasons);
        string[] backfills = ["backfill-signal-best-bets", "backfill-filtered-picks"];
        Assert.Equal([.. backfills, .. Analytics], request.RunAfter!["best-bets-all"]);
        Assert.Equal([.. backfills, .. Analytics], request.RunAfter["best-bets-record"]);
        Assert.All(Analytics, step => Assert.Equal(backfills, request.RunAfter[step]));
        Assert.Equal(("2026-02-10", "post-grading", "g-1"), (request.Date, request.Trigger, request.CorrelationId));
    }

    [Theory]
    [InlineData("""{"target_date": "2026-02-10", "status": "failed", "graded_count": 120}""", "status = \"failed\"")]
    [InlineData("""{"target_date": "2026-02-10", "status": "success", "graded_count": 0}""", "graded_count = 0")]
    [InlineData("""{"graded_date": "2026-02-10", "status": "success"}""", "graded_count = 0")]
    public void For_GradingFailedOrNothingGraded_PicksExportsSkippedWithTheReasonHistoryFilesRun(string json, string shown)
    {
        var request = Grading(json);

        Assert.Equal(PicksExports.Order(), request.SkipReasons!.Keys.Order());
        Assert.All(request.SkipReasons.Values, reason => Assert.Contains($"is false ({shown})", reason, StringComparison.Ordinal));
        Assert.DoesNotContain("best-bets-all", request.SkipReasons.Keys);
        Assert.All(Analytics, step => Assert.DoesNotContain(step, request.SkipReasons.Keys));
        Assert.Contains("best-bets-all", request.Types);

        var plan = ExportPlanner.Plan(Shipped, request, EventMessageReaderTests.Now);
        Assert.Equal(request.SkipReasons.Count, plan.SkipReasons.Count);
    }

    [Fact]
    public void For_ExportRequest_ListedTypesDateTriggerAndNoOrder()
    {
        var request = EventExportRequest.For(Shipped.FindEvent("export-request")!, Shipped,
            Read("export-request", """{"export_types": ["results", "best-bets"], "target_date": "2026-02-08", "update_latest": false, "trigger_source": "recover-grading"}"""));

        Assert.Equal(["results", "best-bets"], request.Types);
        Assert.Equal(("2026-02-08", "recover-grading", false), (request.Date, request.Trigger, request.UpdateLatest));
        Assert.Null(request.RunAfter);
        Assert.Null(request.SkipReasons);
    }

    [Fact]
    public void For_PlayersMessage_PlayerProfilesWithItsOption()
    {
        var request = EventExportRequest.For(Shipped.FindEvent("export-request")!, Shipped, Read("export-request", """{"players": true, "min_games": 9}"""));

        Assert.Equal(["player-profiles"], request.Types);
        Assert.Equal(9, request.Options!["min_games"]);
        Assert.Equal("export-request", request.Trigger);
    }

    [Fact]
    public void CoalescingKey_SameWorkFromTwoPublishers_Equal_OtherWork_Differs()
    {
        var a = Read("grading-complete", """{"target_date": "2026-02-10", "status": "success", "graded_count": 120, "correlation_id": "a", "trigger_source": "grading"}""");
        var b = Read("grading-complete", """{"target_date": "2026-02-10", "status": "success", "graded_count": 120, "correlation_id": "b"}""");
        var c = Read("grading-complete", """{"target_date": "2026-02-10", "status": "success", "graded_count": 121}""");

        Assert.Equal(EventExportRequest.CoalescingKey(a), EventExportRequest.CoalescingKey(b));
        Assert.NotEqual(EventExportRequest.CoalescingKey(a), EventExportRequest.CoalescingKey(c));
    }

    [Theory]
    [InlineData("phase6-event-grading-complete-2026-02-10", "grading-complete", "2026-02-10")]
    [InlineData("phase6-event-export-request-2026-12-31", "export-request", "2026-12-31")]
    public void EventWorkflowIds_RoundTrip(string id, string eventName, string date)
    {
        Assert.Equal(id, EventWorkflowIds.For(eventName, ExportDates.Parse(date, "date")));
        Assert.Equal((eventName, ExportDates.Parse(date, "date")), EventWorkflowIds.Parse(id));
    }

    [Theory]
    [InlineData("phase6-tonight-2026-02-10")]
    [InlineData("phase6-event-2026-02-10")]
    [InlineData("phase6-event-grading-complete-2026-02-31")]
    [InlineData("phase6-event-grading-complete")]
    public void EventWorkflowIds_NotAnEventWorkflow_Null(string id) => Assert.Null(EventWorkflowIds.Parse(id));

    [Fact]
    public void For_RowSkippedByOneEntryRunByAnother_Runs()
    {
        var catalog = Tests.Catalog.CatalogText.Parse(Tests.Catalog.EventCatalogText.Valid).Catalog!;
        var ev = catalog.FindEvent("grading-complete")!;
        var withoutGroup = ev with { Runs = ev.Runs.Take(2).ToList() };
        EventRequest Read(Workflows.Catalog.CatalogEvent e) =>
            EventMessageReader.Read(e, catalog, """{"target_date": "2026-02-10", "status": "failed"}""", EventMessageReaderTests.Now).Request!;

        // "all" (picks and scores) runs unconditionally, so neither is skipped although its own entry's condition is false.
        Assert.Null(EventExportRequest.For(ev, catalog, Read(ev)).SkipReasons);
        Assert.Equal(["picks", "scores"], EventExportRequest.For(withoutGroup, catalog, Read(withoutGroup)).SkipReasons!.Keys.Order(StringComparer.Ordinal));
    }
}

using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Scheduling;
using Temporalio.Api.Enums.V1;
using Temporalio.Client.Schedules;

namespace ExportFlows.Tests.Scheduling;

/// <summary>What <c>schedules sync</c> sends to Temporal for each catalog entry, field by field, without a server.</summary>
public sealed class ScheduleSyncRequestTests
{
    private const string TaskQueue = "exportflows";

    private static async Task<Dictionary<string, Temporalio.Client.Interceptors.CreateScheduleInput>> SyncEmptyNamespaceAsync()
    {
        var recorder = new RecordingScheduleClient();
        var changes = await new ExportScheduleService(recorder.Client, TaskQueue).SyncAsync(ExportCatalog.Shipped.Schedules, prune: false, dryRun: false, CancellationToken.None);
        Assert.All(changes, c => Assert.Equal(ScheduleSyncAction.Create, c.Action));
        return recorder.Created.ToDictionary(c => c.Id);
    }

    [Fact]
    public async Task SyncAsync_EmptyNamespace_CreatesEveryCatalogEntryOnce()
    {
        var created = await SyncEmptyNamespaceAsync();

        Assert.Equal(ExportCatalog.Shipped.Schedules.Select(e => e.Id).Order(StringComparer.Ordinal), created.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("phase6-daily-results", new[] { 5 }, "0", "*", "*", "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-hourly-trends", new[] { 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 }, "0", "*", "*", "00:30:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-tonight-picks", new[] { 13 }, "0", "*", "*", "04:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-player-profiles", new[] { 6 }, "0", "0", "*", "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-season-game-counts", new[] { 6 }, "0", "*", "*", "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-clv-reexport", new[] { 16 }, "30", "*", "*", "01:00:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-clv-reexport-late", new[] { 19 }, "30", "*", "*", "01:00:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-trends-daily", new[] { 6 }, "0", "*", "*", "01:00:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-trends-weekly-mon", new[] { 6 }, "0", "1", "*", "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-trends-weekly-wed", new[] { 8 }, "0", "3", "*", "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-trends-monthly", new[] { 6 }, "0", "*", "1", "1.00:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-live-evening", new[] { 19, 20, 21, 22, 23 }, "0-59/3", "*", "*", "00:03:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-live-late", new[] { 0, 1 }, "0-59/3", "*", "*", "00:03:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-tonight-picks-morning", new[] { 11 }, "0", "*", "*", "02:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-tonight-picks-pregame", new[] { 17 }, "0", "*", "*", "02:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-postgame-performance", new[] { 2 }, "0", "*", "*", "03:00:00", ScheduleOverlapPolicy.Skip)]
    public async Task SyncAsync_CatalogEntry_SpecPolicyAndStateAsCatalogSays(string id, int[] hours, string minute, string dayOfWeek, string dayOfMonth,
        string catchup, ScheduleOverlapPolicy overlap)
    {
        var entry = ExportCatalog.Shipped.Schedules.Single(e => e.Id == id);
        var schedule = (await SyncEmptyNamespaceAsync())[id].Schedule;

        var calendar = Assert.Single(schedule.Spec.Calendars);
        Assert.Equal("America/New_York", schedule.Spec.TimeZoneName);
        Assert.Equal(hours.Order().Select(h => new ScheduleRange(h)), calendar.Hour);
        Assert.Equal([minute == "0-59/3" ? new ScheduleRange(0, 59, 3) : new ScheduleRange(int.Parse(minute, System.Globalization.CultureInfo.InvariantCulture))], calendar.Minute);
        Assert.Equal([new ScheduleRange(0)], calendar.Second);
        Assert.Equal(dayOfWeek == "*" ? new ScheduleCalendarSpec().DayOfWeek : [new ScheduleRange(int.Parse(dayOfWeek, System.Globalization.CultureInfo.InvariantCulture))], calendar.DayOfWeek);
        Assert.Equal(dayOfMonth == "*" ? new ScheduleCalendarSpec().DayOfMonth : [new ScheduleRange(int.Parse(dayOfMonth, System.Globalization.CultureInfo.InvariantCulture))], calendar.DayOfMonth);
        Assert.Equal(new ScheduleCalendarSpec().Month, calendar.Month);
        Assert.Empty(schedule.Spec.Intervals);
        Assert.Empty(schedule.Spec.CronExpressions);
        Assert.Equal(overlap, schedule.Policy.Overlap);
        Assert.Equal(TimeSpan.Parse(catchup, System.Globalization.CultureInfo.InvariantCulture), schedule.Policy.CatchupWindow);
        Assert.False(schedule.State.Paused);
        Assert.Equal(entry.Note, schedule.State.Note);
        Assert.Equal(entry.Note, calendar.Comment);
    }

    // The morning list: the orchestrator's first six, the four steps before signal best bets, season subsets and daily signals.
    private const string TonightList = "tonight,tonight-players,predictions,best-bets,streaks,subset-picks,discover-models,materialize-subsets,cross-model-subsets," +
        "annotate-signals,season-subsets,daily-signals";

    [Theory]
    [InlineData("phase6-daily-results", "results,performance,best-bets,predictions,admin-dashboard,admin-picks,subset-definitions", "yesterday", null, true, null)]
    [InlineData("phase6-hourly-trends", "trends-hot-cold,trends-bounce-back,tonight-trend-plays,subset-performance", "today", null, null, null)]
    [InlineData("phase6-tonight-picks", "tonight,tonight-players,best-bets-all,best-bets-today", "today", null, true, null)]
    [InlineData("phase6-player-profiles", "player-profiles", "today", null, null, 5)]
    [InlineData("phase6-season-game-counts", "season-game-counts", null, null, null, null)]
    [InlineData("phase6-clv-reexport", "signal-best-bets", "today", null, null, null)]
    [InlineData("phase6-clv-reexport-late", "signal-best-bets", "today", null, null, null)]
    [InlineData("phase6-trends-daily", "trends-hot-cold,trends-bounce-back", "today", null, true, null)]
    [InlineData("phase6-trends-weekly-mon", "trends-what-matters,trends-team", "today", null, null, null)]
    [InlineData("phase6-trends-weekly-wed", "trends-quick-hits", "today", null, null, null)]
    [InlineData("phase6-trends-monthly", "trends-deep-dive", "today", null, null, null)]
    [InlineData("phase6-live-evening", "live,live-grading,tonight", "today", null, null, null)]
    [InlineData("phase6-live-late", "live,live-grading,tonight", "yesterday", null, null, null)]
    [InlineData("phase6-tonight-picks-morning", TonightList, "today", null, true, null)]
    [InlineData("phase6-tonight-picks-pregame", TonightList + ",signal-best-bets", "today", null, true, null)]
    [InlineData("phase6-postgame-performance", "subset-performance", null, "today", null, null)]
    public async Task SyncAsync_CatalogEntry_StartsExportWorkflowWithScheduleTriggerAndFingerprint(string id, string types, string? date, string? asOf, bool? updateLatest, int? minGames)
    {
        var entry = ExportCatalog.Shipped.Schedules.Single(e => e.Id == id);
        var schedule = (await SyncEmptyNamespaceAsync())[id].Schedule;

        var action = Assert.IsType<ScheduleActionStartWorkflow>(schedule.Action);
        Assert.Equal("Phase6ExportWorkflow", action.Workflow);
        Assert.Equal(id, action.Options.Id);
        Assert.Equal(TaskQueue, action.Options.TaskQueue);
        var request = Assert.IsType<ExportRequest>(Assert.Single(action.Args));
        var expected = types.Split(',');
        Assert.Equal(new ExportRequest(expected, date, asOf, Trigger: $"schedule:{id}", UpdateLatest: updateLatest, Options: request.Options), request with { Types = expected });
        Assert.Equal(minGames, (int?)request.Options?["min_games"]);
        Assert.Equal(expected, request.Types);
        var memo = Assert.Single(action.Options.Memo!);
        Assert.Equal((ScheduleSync.FingerprintMemoKey, (object)ScheduleSync.Fingerprint(entry, TaskQueue)), (memo.Key, memo.Value));
    }
}

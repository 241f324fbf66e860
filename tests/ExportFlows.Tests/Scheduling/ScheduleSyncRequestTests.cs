using ExportFlows.Tests.Support;
using ExportFlows.Worker.Temporal;
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
        var changes = await new ExportScheduleService(recorder.Client, TaskQueue).SyncAsync(ExportScheduleCatalog.Default, prune: false, dryRun: false, CancellationToken.None);
        Assert.All(changes, c => Assert.Equal(ScheduleSyncAction.Create, c.Action));
        return recorder.Created.ToDictionary(c => c.Id);
    }

    [Fact]
    public async Task SyncAsync_EmptyNamespace_CreatesEveryCatalogEntryOnce()
    {
        var created = await SyncEmptyNamespaceAsync();

        Assert.Equal(ExportScheduleCatalog.Default.Select(e => e.Id).Order(StringComparer.Ordinal), created.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("phase6-hourly-performance", new[] { 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23 }, "00:30:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-postgame-performance", new[] { 2 }, "03:00:00", ScheduleOverlapPolicy.Skip)]
    [InlineData("phase6-daily-definitions", new[] { 5 }, "12:00:00", ScheduleOverlapPolicy.BufferOne)]
    [InlineData("phase6-tonight-reexport", new[] { 13 }, "04:00:00", ScheduleOverlapPolicy.BufferOne)]
    public async Task SyncAsync_CatalogEntry_SpecPolicyAndStateAsCatalogSays(string id, int[] hours, string catchup, ScheduleOverlapPolicy overlap)
    {
        var entry = ExportScheduleCatalog.Default.Single(e => e.Id == id);
        var schedule = (await SyncEmptyNamespaceAsync())[id].Schedule;

        var calendar = Assert.Single(schedule.Spec.Calendars);
        Assert.Equal("America/New_York", schedule.Spec.TimeZoneName);
        Assert.Equal(hours.Select(h => new ScheduleRange(h)), calendar.Hour);
        Assert.Equal([new ScheduleRange(0)], calendar.Minute);
        Assert.Equal([new ScheduleRange(0)], calendar.Second);
        Assert.Equal(new ScheduleCalendarSpec().DayOfWeek, calendar.DayOfWeek);
        Assert.Equal(new ScheduleCalendarSpec().Month, calendar.Month);
        Assert.Empty(schedule.Spec.Intervals);
        Assert.Empty(schedule.Spec.CronExpressions);
        Assert.Equal(overlap, schedule.Policy.Overlap);
        Assert.Equal(TimeSpan.Parse(catchup, System.Globalization.CultureInfo.InvariantCulture), schedule.Policy.CatchupWindow);
        Assert.False(schedule.State.Paused);
        Assert.Equal(entry.Note, schedule.State.Note);
        Assert.Equal(entry.Note, calendar.Comment);
    }

    [Theory]
    [InlineData("phase6-hourly-performance", new[] { "subset-performance" }, null, "today")]
    [InlineData("phase6-postgame-performance", new[] { "subset-performance" }, null, "today")]
    [InlineData("phase6-daily-definitions", new[] { "subset-definitions" }, "yesterday", null)]
    [InlineData("phase6-tonight-reexport", new[] { "subset-picks", "daily-signals" }, "today", null)]
    public async Task SyncAsync_CatalogEntry_StartsExportWorkflowWithScheduleTriggerAndFingerprint(string id, string[] types, string? date, string? asOf)
    {
        var entry = ExportScheduleCatalog.Default.Single(e => e.Id == id);
        var schedule = (await SyncEmptyNamespaceAsync())[id].Schedule;

        var action = Assert.IsType<ScheduleActionStartWorkflow>(schedule.Action);
        Assert.Equal("Phase6ExportWorkflow", action.Workflow);
        Assert.Equal(id, action.Options.Id);
        Assert.Equal(TaskQueue, action.Options.TaskQueue);
        var request = Assert.IsType<ExportRequest>(Assert.Single(action.Args));
        Assert.Equal(new ExportRequest(types, date, asOf, Trigger: $"schedule:{id}"), request with { Types = types });
        Assert.Equal(types, request.Types);
        var memo = Assert.Single(action.Options.Memo!);
        Assert.Equal((ScheduleSync.FingerprintMemoKey, (object)ScheduleSync.Fingerprint(entry, TaskQueue)), (memo.Key, memo.Value));
    }
}

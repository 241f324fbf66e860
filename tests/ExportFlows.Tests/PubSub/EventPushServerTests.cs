using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using static ExportFlows.Tests.Support.ServerExportRun;

namespace ExportFlows.Tests.PubSub;

/// <summary>
/// The original's export-request and grading-complete messages, unchanged, pushed to their paths on a real Temporal
/// server: the event workflow of the date runs what the original would, through the export graph (external rows on the
/// stand-in for the original's worker).
/// </summary>
public sealed class EventPushServerTests : IAsyncLifetime
{
    private static readonly ExportCatalog Shipped = ExportCatalog.Shipped;
    private static readonly string[] PicksExports = ["subset-picks", "season-subsets", "backfill-signal-best-bets", "backfill-filtered-picks", "tonight"];
    private readonly FakeGoogleOidc _google = new();

    public Task InitializeAsync() => _google.StartAsync();

    public Task DisposeAsync() => _google.DisposeAsync().AsTask();

    private static FakeExportActivities Native() => new() { Catalog = Shipped, EnabledTypes = [.. Shipped.TypeNames.Where(t => t != "best-bets")] };

    private async Task<(HttpStatusCode Status, JsonElement Body)> PushAsync(PushEndpointHost host, string path, string message, string messageId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, path.TrimStart('/')))
        {
            Content = new StringContent(PubSubPushEndpointTests.Envelope(message, messageId), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _google.Token(DateTimeOffset.UtcNow));
        using var response = await host.Http.SendAsync(request).Within();
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<IReadOnlyList<EventRunRecord>> RunsAsync(ITemporalClient client, string workflowId, int count)
    {
        var handle = client.GetWorkflowHandle<Phase6EventWorkflow>(workflowId);
        await Bounded.UntilAsync(async () => (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Runs)))?.Count >= count,
            $"{count} run(s) of {workflowId}", TimeSpan.FromSeconds(60));
        return await handle.QueryAsync(wf => wf.Runs).Within();
    }

    [TemporalFact]
    public async Task Push_ExportRequestListingTypes_RunsThemForItsDateRedeliveryIgnored()
    {
        var native = Native();
        var external = new FakeExternalExporters { Catalog = Shipped };
        var date = UniqueGameDates.NextText();
        var id = EventWorkflowIds.For("export-request", ExportDates.Parse(date, "date"));
        var message = $$"""{"export_types": ["results", "best-bets-all", "subset-picks"], "target_date": "{{date}}", "update_latest": false, "correlation_id": "sched-1", "trigger_source": "scheduler"}""";
        await WithWorkersAsync(native, external, async q =>
        {
            await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), q.Client, q.Main);
            try
            {
                var (status, body) = await PushAsync(host, "/pubsub/export-request", message, "m-1");
                Assert.Equal((HttpStatusCode.OK, "signalled", id), (status, body.GetProperty("status").GetString(), body.GetProperty("workflowId").GetString()));
                var run = Assert.Single(await RunsAsync(q.Client, id, 1));
                Assert.Equal((MessageRunStatus.Exported, 1, "sched-1"), (run.Status, run.Messages, run.CorrelationId));
                Assert.Equal(["results", "best-bets-all", "subset-picks"], run.Report!.Exports.Select(e => e.Type));
                Assert.All(run.Report.Exports, e => Assert.Equal(ExportStatus.Succeeded, e.Status));

                Assert.Equal(HttpStatusCode.OK, (await PushAsync(host, "/pubsub/export-request", message, "m-1")).Status);
                var handle = q.Client.GetWorkflowHandle<Phase6EventWorkflow>(id);
                await Bounded.UntilAsync(async () => (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync(wf => wf.Deliveries)))?.Duplicates == 1, "the redelivery");
                Assert.Single(await handle.QueryAsync(wf => wf.Runs).Within());
            }
            finally
            {
                await ServerWorkflows.TerminateIfRunningAsync(id);
            }
            return 0;
        });

        var calls = external.Calls.ToDictionary(c => c.Input.GetProperty("export_type").GetString()!, c => c.Input);
        Assert.Equal(["best-bets-all", "results"], calls.Keys.Order(StringComparer.Ordinal));
        Assert.All(calls.Values, input => Assert.Equal((date, false, "scheduler", "sched-1"),
            (input.GetProperty("target_date").GetString(), input.GetProperty("update_latest").GetBoolean(), input.GetProperty("trigger").GetString(),
                input.GetProperty("correlation_id").GetString())));
        Assert.Equal(1, native.CallsOf("subset-picks"));
    }

    [TemporalFact]
    public async Task Push_PlayersMessage_RunsPlayerProfilesForYesterdayWithItsMinGames()
    {
        var native = Native();
        var external = new FakeExternalExporters { Catalog = Shipped };
        var date = UniqueGameDates.Next();
        // Received at 03:30 UTC on the next day but one: 22:30 the day after in New York, so "yesterday" is the date.
        var clock = new ManualClock(new DateTimeOffset(date.AddDays(2).ToDateTime(new TimeOnly(3, 30)), TimeSpan.Zero));
        var id = EventWorkflowIds.For("export-request", date);
        await WithWorkersAsync(native, external, async q =>
        {
            await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), q.Client, q.Main, clock: clock);
            try
            {
                var (status, body) = await PushAsync(host, "/pubsub/export-request", """{"players": true, "min_games": 7}""", "m-players");
                Assert.Equal((HttpStatusCode.OK, id), (status, body.GetProperty("workflowId").GetString()));
                var run = Assert.Single(await RunsAsync(q.Client, id, 1));
                Assert.Equal(["player-profiles"], run.Report!.Exports.Select(e => e.Type));
            }
            finally
            {
                await ServerWorkflows.TerminateIfRunningAsync(id);
            }
            return 0;
        });

        var input = Assert.Single(external.Calls).Input;
        Assert.Equal((ExportDates.ToText(date), 7), (input.GetProperty("target_date").GetString(), input.GetProperty("options").GetProperty("min_games").GetInt32()));
    }

    [TemporalFact]
    public async Task Push_GradingSucceeded_RunsThePostGradingSequenceInTheFunctionsOrder()
    {
        var native = Native();
        var external = new FakeExternalExporters { Catalog = Shipped };
        var date = UniqueGameDates.NextText();
        var id = EventWorkflowIds.For("grading-complete", ExportDates.Parse(date, "date"));
        var message = $$"""{"target_date": "{{date}}", "status": "success", "graded_count": 142, "correlation_id": "grade-7"}""";
        var (run, history) = await WithWorkersAsync(native, external, async q =>
        {
            await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), q.Client, q.Main);
            try
            {
                Assert.Equal(HttpStatusCode.OK, (await PushAsync(host, "/pubsub/grading-complete", message, "g-1")).Status);
                var run = Assert.Single(await RunsAsync(q.Client, id, 1));
                return (run, await q.Client.GetWorkflowHandle(run.ChildWorkflowId!).FetchHistoryAsync().Within());
            }
            finally
            {
                await ServerWorkflows.TerminateIfRunningAsync(id);
            }
        });

        Assert.Equal(MessageRunStatus.Exported, run.Status);
        Assert.Equal(Shipped.FindEvent("grading-complete")!.Runs.Select(r => r.Name), run.Report!.Exports.Select(e => e.Type));
        Assert.All(run.Report.Exports, e => Assert.Equal(ExportStatus.Succeeded, e.Status));
        Assert.All(run.Decisions, d => Assert.True(d.Runs, d.Reason));
        Assert.Equal("post-grading", external.Calls.First().Input.GetProperty("trigger").GetString());
        var scheduled = history.Events.Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .ToDictionary(e => e.ActivityTaskScheduledEventAttributes.ActivityType.Name, e => e.EventId);
        var ended = history.Events.Where(e => e.EventType == EventType.ActivityTaskCompleted)
            .ToDictionary(e => scheduled.Single(s => s.Value == e.ActivityTaskCompletedEventAttributes.ScheduledEventId).Key, e => e.EventId);
        string[] backfills = ["backfill-signal-best-bets", "backfill-filtered-picks"];
        string[] analytics = ["compute-signal-health", "compute-model-performance", "compute-model-profiles", "compute-league-macro"];
        foreach (var (later, earlier) in analytics.SelectMany(a => backfills.Select(b => (a, b)))
            .Concat(new[] { "best-bets-all", "best-bets-record" }.SelectMany(h => backfills.Concat(analytics).Select(e => (h, e)))))
        {
            Assert.True(scheduled[Shipped.Get(later).Activity] > ended[Shipped.Get(earlier).Activity], $"{later} started before {earlier} ended");
        }
        Assert.True(scheduled[Shipped.Get("tonight").Activity] < ended[Shipped.Get("backfill-signal-best-bets").Activity], "tonight waited for nothing");
    }

    [TemporalTheory]
    [InlineData("failed", 142, "status = \"failed\"")]
    [InlineData("success", 0, "graded_count = 0")]
    public async Task Push_GradingFailedOrNothingGraded_OnlyAnalyticsAndHistoryFilesRunPicksSkippedWithTheReason(string status, int graded, string shown)
    {
        var native = Native();
        var external = new FakeExternalExporters { Catalog = Shipped };
        var date = UniqueGameDates.NextText();
        var id = EventWorkflowIds.For("grading-complete", ExportDates.Parse(date, "date"));
        var message = $$"""{"target_date": "{{date}}", "status": "{{status}}", "graded_count": {{graded}}}""";
        var run = await WithWorkersAsync(native, external, async q =>
        {
            await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), q.Client, q.Main);
            try
            {
                Assert.Equal(HttpStatusCode.OK, (await PushAsync(host, "/pubsub/grading-complete", message, "g-" + status)).Status);
                return Assert.Single(await RunsAsync(q.Client, id, 1));
            }
            finally
            {
                await ServerWorkflows.TerminateIfRunningAsync(id);
            }
        });

        var byType = run.Report!.Exports.ToDictionary(e => e.Type);
        Assert.True(run.Report.Succeeded);
        Assert.All(PicksExports, type =>
        {
            Assert.Equal(ExportStatus.Skipped, byType[type].Status);
            Assert.Contains($"is false ({shown})", byType[type].Error, StringComparison.Ordinal);
        });
        Assert.Equal(["best-bets-all", "best-bets-record", "compute-league-macro", "compute-model-performance", "compute-model-profiles", "compute-signal-health"],
            external.Calls.Select(c => c.Input.GetProperty("export_type").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(0, native.CallsOf("subset-picks"));
    }

    [TemporalFact]
    public async Task Push_TwoPublishersSameRequestBeforeTheWorkerRuns_OneRunOfTwoMessages()
    {
        var native = Native();
        var date = UniqueGameDates.NextText();
        var id = EventWorkflowIds.For("export-request", ExportDates.Parse(date, "date"));
        var client = TemporalTestServer.Client;
        var queue = TemporalTestServer.NewTaskQueue();
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), client, queue);
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await PushAsync(host, "/pubsub/export-request", $$"""{"export_types": ["subset-picks"], "target_date": "{{date}}", "correlation_id": "a"}""", "p-1")).Status);
            Assert.Equal(HttpStatusCode.OK, (await PushAsync(host, "/pubsub/export-request", $$"""{"export_types": ["subset-picks"], "target_date": "{{date}}", "correlation_id": "b", "trigger_source": "recovery"}""", "p-2")).Status);
            using var worker = new Temporalio.Worker.TemporalWorker(client, new Temporalio.Worker.TemporalWorkerOptions(queue).AddAllActivities(native).AddExportWorkflows());
            var run = await worker.ExecuteAsync(async () => Assert.Single(await RunsAsync(client, id, 1))).Within(TimeSpan.FromSeconds(60));
            Assert.Equal((2, "b"), (run.Messages, run.CorrelationId));
            Assert.Equal(1, native.CallsOf("subset-picks"));
        }
        finally
        {
            await ServerWorkflows.TerminateIfRunningAsync(id);
        }
    }

    [TemporalFact]
    public async Task Push_RefusedMessages_422NamingTheFieldNothingStarted()
    {
        var client = TemporalTestServer.Client;
        var queue = TemporalTestServer.NewTaskQueue();
        var date = UniqueGameDates.NextText();
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), client, queue);
        var cases = new (string Path, string Message, string Field)[]
        {
            ("/pubsub/export-request", $$"""{"export_types": ["mlb-best-bets"], "target_date": "{{date}}", "sport": "mlb"}""", "sport"),
            ("/pubsub/export-request", $$"""{"export_types": ["no-such-type"], "target_date": "{{date}}"}""", "export_types"),
            ("/pubsub/export-request", $$"""{"export_types": "results", "target_date": "{{date}}"}""", "export_types"),
            ("/pubsub/grading-complete", """{"status": "success", "graded_count": 3}""", "target_date"),
            ("/pubsub/grading-complete", $$"""{"target_date": "{{date}}", "status": "success", "graded_count": "many"}""", "graded_count"),
        };
        foreach (var (path, message, field) in cases)
        {
            var (status, body) = await PushAsync(host, path, message, "r-" + field);
            Assert.Equal((HttpStatusCode.UnprocessableEntity, "rejected", field), (status, body.GetProperty("status").GetString(), body.GetProperty("field").GetString()));
            Assert.Contains(field, body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(cases.Length, host.Counters.Rejected);
        foreach (var eventName in new[] { "export-request", "grading-complete" })
        {
            var handle = client.GetWorkflowHandle(EventWorkflowIds.For(eventName, ExportDates.Parse(date, "date")));
            var missing = await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(() => handle.DescribeAsync().Within());
            Assert.Equal(Temporalio.Exceptions.RpcException.StatusCode.NotFound, missing.Code);
        }
    }

    [Fact]
    public async Task Push_PathOfNoEvent_404ListingThePaths()
    {
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), new RecordingTonightClient().Client);
        var (status, body) = await PushAsync(host, "/pubsub/grading-completed", "{}", "x");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("its push paths: /pubsub/predictions-complete, /pubsub/export-request, /pubsub/grading-complete", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_EventWithoutAToken_401NothingStarted()
    {
        var temporal = new RecordingTonightClient();
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), temporal.Client);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseUri, "pubsub/grading-complete"))
        {
            Content = new StringContent(PubSubPushEndpointTests.Envelope("""{"target_date": "2026-02-03", "status": "success", "graded_count": 3}""", "a-1"),
                Encoding.UTF8, "application/json"),
        };
        using var response = await host.Http.SendAsync(request).Within();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(temporal.Calls);
        Assert.Equal(1, host.Counters.Unauthorized);
    }

    [Fact]
    public async Task Push_EventWhileTemporalIsUnreachable_503ToRedeliver()
    {
        var temporal = new RecordingTonightClient
        {
            Fail = _ => new Temporalio.Exceptions.RpcException(Temporalio.Exceptions.RpcException.StatusCode.Unavailable, "connection refused", null),
        };
        await using var host = await PushEndpointHost.StartAsync(_google.PushOptions(), temporal.Client);

        var (status, body) = await PushAsync(host, "/pubsub/export-request", """{"export_types": ["results"], "target_date": "2026-02-03"}""", "u-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith("Temporal unavailable: ", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Counters.Unavailable);
    }
}

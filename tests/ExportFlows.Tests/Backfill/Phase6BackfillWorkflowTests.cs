using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace ExportFlows.Tests.Backfill;

/// <summary>The durable backfill on a real Temporal server, with the span activity mocked.</summary>
public sealed class Phase6BackfillWorkflowTests
{
    private static async Task<T> WithWorkerAsync<T>(FakeExportActivities activities, Func<ITemporalClient, string, Task<T>> body)
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        // Heartbeats (and with them cancellations) reach the server within a second instead of the default throttle of up to 60 s.
        var options = new TemporalWorkerOptions(taskQueue)
        {
            MaxHeartbeatThrottleInterval = TimeSpan.FromSeconds(1),
            DefaultHeartbeatThrottleInterval = TimeSpan.FromSeconds(1),
        }.AddAllActivities(activities).AddWorkflow<Phase6BackfillWorkflow>();
        using var worker = new TemporalWorker(client, options);
        return await worker.ExecuteAsync(() => body(client, taskQueue)).Within(TimeSpan.FromSeconds(90));
    }

    private static Task<WorkflowHandle<Phase6BackfillWorkflow, BackfillReport>> StartAsync(ITemporalClient client, string taskQueue, BackfillInput input) =>
        client.StartWorkflowAsync((Phase6BackfillWorkflow wf) => wf.RunAsync(input), new WorkflowOptions($"backfill-{Guid.NewGuid():N}", taskQueue));

    private static BackfillInput Input(string from, string to, int spanDays = 2, int parallel = 2, int spansPerRun = 40) =>
        new(BackfillPlanner.DefaultTypes(ExportCatalog.Shipped), from, to, SpanDays: spanDays, ParallelSpans: parallel, SpansPerRun: spansPerRun);

    [TemporalFact]
    public async Task RunAsync_FiveDatesInSpansOfTwo_ThreeSpansAndEveryDateReported()
    {
        var fake = new FakeExportActivities();

        var (report, progress) = await WithWorkerAsync(fake, async (client, tq) =>
        {
            var handle = await StartAsync(client, tq, Input("2026-01-01", "2026-01-05"));
            var result = await handle.GetResultAsync().Within();
            return (result, await handle.QueryAsync(wf => wf.Progress()).Within());
        });

        Assert.Equal(["2026-01-01..2026-01-02", "2026-01-03..2026-01-04", "2026-01-05..2026-01-05"],
            fake.SpanCalls.Select(c => $"{c.From}..{c.To}").Order(StringComparer.Ordinal));
        Assert.Equal(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"], report.Dates.Select(d => d.Date));
        Assert.Equal((5, 0, 10, false), (report.Succeeded, report.Failed, report.DocumentsWritten, report.Cancelled));
        Assert.Equal((5, 5, 0, 0), (progress.Total, progress.Done, progress.Failed, progress.Remaining));
    }

    [TemporalFact]
    public async Task RunAsync_SpanFailsAfterFirstDate_RetryResumesAfterHeartbeat()
    {
        var fake = new FakeExportActivities();
        var resumedFrom = new List<string?>();
        fake.SpanBehaviour = async (request, context) =>
        {
            var first = new BackfillDateOutcome(request.From, true, 2, 0);
            if (context.Info.Attempt == 1)
            {
                context.Heartbeat(new SpanCheckpoint(request.From, [first]));
                // Fail only once the server holds the checkpoint (heartbeats are sent asynchronously).
                var client = TemporalTestServer.Client;
                var describe = new Temporalio.Api.WorkflowService.V1.DescribeWorkflowExecutionRequest
                {
                    Namespace = client.Options.Namespace,
                    Execution = new() { WorkflowId = context.Info.WorkflowId ?? "" },
                };
                await Bounded.UntilAsync(async () => (await client.WorkflowService.DescribeWorkflowExecutionAsync(describe)).PendingActivities
                    .Any(a => a.HeartbeatDetails is { Payloads_.Count: > 0 }), "the checkpoint heartbeat on the server");
                throw new ApplicationFailureException("BigQuery error 503 (backendError)", ExportErrorTypes.ApiUnavailable);
            }
            var checkpoint = context.Info.HeartbeatDetails.Count > 0 ? await context.Info.HeartbeatDetailAtAsync<SpanCheckpoint>(0) : null;
            lock (resumedFrom)
            {
                resumedFrom.Add(checkpoint?.LastFinished);
            }
            var rest = FakeExportActivities.AllWritten(request).Dates.Where(d => checkpoint is null || string.CompareOrdinal(d.Date, checkpoint.LastFinished) > 0);
            return new SpanExportResult([.. checkpoint?.Outcomes ?? [], .. rest]);
        };

        var report = await WithWorkerAsync(fake, async (client, tq) =>
            await (await StartAsync(client, tq, Input("2026-01-01", "2026-01-03", spanDays: 3))).GetResultAsync().Within(TimeSpan.FromSeconds(75)));

        Assert.Equal([1, 2], fake.SpanCalls.Select(c => c.Attempt));
        Assert.Equal(["2026-01-01"], resumedFrom);
        Assert.Equal(3, report.Succeeded);
    }

    [TemporalFact]
    public async Task RunAsync_SpanFailsForGood_ItsDatesFailAndOtherSpansWritten()
    {
        var fake = new FakeExportActivities();
        fake.SpanBehaviour = (request, _) => request.From == "2026-01-03"
            ? throw new ApplicationFailureException("missing table nba_predictions.player_prop_predictions", ExportErrorTypes.MissingTable)
            : Task.FromResult(FakeExportActivities.AllWritten(request));

        var report = await WithWorkerAsync(fake, async (client, tq) =>
            await (await StartAsync(client, tq, Input("2026-01-01", "2026-01-05"))).GetResultAsync().Within());

        Assert.Equal(["2026-01-03", "2026-01-04"], report.Dates.Where(d => !d.Succeeded).Select(d => d.Date));
        Assert.All(report.Dates.Where(d => !d.Succeeded), d => Assert.Equal(ExportErrorTypes.MissingTable, d.ErrorType));
        Assert.Equal(3, report.Succeeded);
    }

    [TemporalFact]
    public async Task RunAsync_OneSpanPerRun_ContinuesAsNewAndReportsEveryDate()
    {
        var fake = new FakeExportActivities();

        var (report, progress, firstRun, lastRun) = await WithWorkerAsync(fake, async (client, tq) =>
        {
            var handle = await StartAsync(client, tq, Input("2026-01-01", "2026-01-06", spanDays: 2, parallel: 1, spansPerRun: 1));
            var result = await handle.GetResultAsync().Within();
            // No run id: the handle addresses the latest run of the chain.
            var latest = client.GetWorkflowHandle<Phase6BackfillWorkflow>(handle.Id);
            var description = await latest.DescribeAsync().Within();
            return (result, await latest.QueryAsync(wf => wf.Progress()).Within(), handle.RunId, description.RunId);
        });

        Assert.Equal(6, report.Succeeded);
        Assert.Equal(3, fake.SpanCalls.Count);
        Assert.Equal((6, 0, 3), (progress.Done, progress.Remaining, progress.Runs));
        Assert.NotEqual(firstRun, lastRun);
    }

    [TemporalFact]
    public async Task RunAsync_CancelledWhileSpanRuns_FailsAsCancelledWithReportOfWhatWasWrittenAndRemains()
    {
        var fake = new FakeExportActivities();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.SpanBehaviour = async (request, context) =>
        {
            var first = new BackfillDateOutcome(request.From, true, 2, 0);
            context.Heartbeat(new SpanCheckpoint(request.From, [first]));
            running.TrySetResult();
            // The real span activity stops after the date it is writing; cancellation arrives with a heartbeat.
            while (!context.CancellationToken.IsCancellationRequested)
            {
                context.Heartbeat(new SpanCheckpoint(request.From, [first]));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Cancelled: answer with what was written.
                }
            }
            return new SpanExportResult([first]);
        };

        var (report, failure, status) = await WithWorkerAsync(fake, async (client, tq) =>
        {
            var handle = await StartAsync(client, tq, Input("2026-01-01", "2026-01-08", spanDays: 4, parallel: 1));
            await running.Task.Within();
            await handle.CancelAsync().Within();
            var failed = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync().Within());
            return (await BackfillResults.ReportAsync(handle.GetResultAsync()).Within(), failed.InnerException as ApplicationFailureException,
                (await handle.DescribeAsync().Within()).Status);
        });

        // The UI shows the run as not finished (failed with type BackfillCancelled), and the report says what remains.
        Assert.Equal(Temporalio.Api.Enums.V1.WorkflowExecutionStatus.Failed, status);
        Assert.Equal(ExportErrorTypes.BackfillCancelled, failure?.ErrorType);
        Assert.Contains("date(s) remaining (rerun the same command to finish them)", failure!.Message, StringComparison.Ordinal);
        Assert.True(report.Cancelled);
        Assert.Equal(8 - report.Dates.Count(d => d.Succeeded), report.Remaining);
        Assert.Single(fake.SpanCalls);
        // The first date is reported written, or (if the server reports the activity cancelled) interrupted; never lost.
        Assert.Equal(["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"], report.Dates.Select(d => d.Date).Concat(report.Interrupted).Order(StringComparer.Ordinal));
        Assert.All(report.Dates, d => Assert.Equal("2026-01-01", d.Date));
    }

    [TemporalFact]
    public async Task StartOrAttachBackfillAsync_StartedTwice_AttachesToTheRunningOne()
    {
        var fake = new FakeExportActivities();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.SpanBehaviour = async (request, _) =>
        {
            running.TrySetResult();
            await release.Task.Within();
            return FakeExportActivities.AllWritten(request);
        };

        // A date no other test of this process used, so the derived workflow id is fresh; Force, so that a completed run of
        // it by an earlier run of the suite on a reused server does not make the date one to skip.
        var date = UniqueGameDates.NextText();
        var input = new BackfillInput(["daily-signals"], date, date, Force: true);

        var (first, second, report) = await WithWorkerAsync(fake, async (client, tq) =>
        {
            var phase6 = new Phase6Client(client, tq, ExportCatalog.Shipped);
            var a = await phase6.StartOrAttachBackfillAsync(input);
            await running.Task.Within();
            var b = await phase6.StartOrAttachBackfillAsync(input);
            release.SetResult();
            return (a, b, await a.Handle.GetResultAsync().Within());
        });

        Assert.False(first.Attached);
        Assert.True(second.Attached);
        Assert.Equal(first.Handle.Id, second.Handle.Id);
        Assert.Single(fake.SpanCalls);
        Assert.Equal(1, report.Succeeded);
    }
}

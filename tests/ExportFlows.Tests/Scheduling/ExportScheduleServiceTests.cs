using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using ExportFlows.Workflows.Scheduling;
using Temporalio.Client.Schedules;
using Temporalio.Worker;

namespace ExportFlows.Tests.Scheduling;

public sealed class ExportScheduleServiceTests
{
    // Schedule ids are namespace-wide and the server is shared: each test gets its own.
    private static List<ExportScheduleEntry> UniqueCatalog()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        return ExportCatalog.Shipped.Schedules.Select(e => e with { Id = $"{e.Id}-{suffix}" }).ToList();
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + Bounded.Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        throw new TimeoutException("condition not met within " + Bounded.Patience);
    }

    [TemporalSchedulesFact]
    public async Task SyncAsync_CreateThenResync_NoOpAndPauseSurvives()
    {
        var client = TemporalTestServer.Client;
        var catalog = UniqueCatalog();
        var service = new ExportScheduleService(client, "exportflows-tests");
        try
        {
            var first = await service.SyncAsync(catalog, prune: false, dryRun: false, CancellationToken.None).Within();
            Assert.Equal(catalog.Select(e => (e.Id, ScheduleSyncAction.Create)), first.Where(c => catalog.Any(e => e.Id == c.Id)).Select(c => (c.Id, c.Action)));

            var second = await service.SyncAsync(catalog, prune: false, dryRun: false, CancellationToken.None).Within();
            Assert.All(second.Where(c => catalog.Any(e => e.Id == c.Id)), c => Assert.Equal(ScheduleSyncAction.Unchanged, c.Action));

            await service.PauseAsync(catalog[0].Id, "rollback: bad numbers").Within();
            var third = await service.SyncAsync(catalog, prune: false, dryRun: false, CancellationToken.None).Within();
            Assert.Equal(ScheduleSyncAction.Unchanged, third.Single(c => c.Id == catalog[0].Id).Action);
            var paused = await client.GetScheduleHandle(catalog[0].Id).DescribeAsync().Within();
            Assert.True(paused.Schedule.State.Paused);
            Assert.Equal("rollback: bad numbers", paused.Schedule.State.Note);
            await service.UnpauseAsync(catalog[0].Id, "fixed").Within();
            Assert.False((await client.GetScheduleHandle(catalog[0].Id).DescribeAsync().Within()).Schedule.State.Paused);

            var before = DateTimeOffset.UtcNow;
            var listings = await service.ListAsync(catalog.Select(e => e.Id), CancellationToken.None).Within();
            var hourly = listings[0];
            Assert.Equal(5, hourly.NextFireTimes.Count);
            // The server computed them between the two instants: an hour may have turned meanwhile.
            Assert.Contains(hourly.NextFireTimes, new[] { before, DateTimeOffset.UtcNow }.Select(t => ExportScheduleCatalog.NextFireTimes(catalog[0], t, 5)));
            Assert.Equal("no run yet", hourly.LastResult);

            // The daily definitions entry changes: sync updates it, and only it.
            var changed = catalog.Select(e => e.Id == catalog[2].Id ? e with { Hours = [6] } : e).ToList();
            var update = await service.SyncAsync(changed, prune: false, dryRun: false, CancellationToken.None).Within();
            Assert.Equal([catalog[2].Id], update.Where(c => c.Action == ScheduleSyncAction.Update).Select(c => c.Id));

            // Leaving the catalog: kept without --prune, deleted with it.
            var shorter = changed.Take(3).ToList();
            var pruned = await service.SyncAsync(shorter, prune: true, dryRun: false, CancellationToken.None).Within();
            Assert.Contains(pruned, c => c.Id == catalog[3].Id && c.Action == ScheduleSyncAction.Delete);
            await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(() => client.GetScheduleHandle(catalog[3].Id).DescribeAsync().Within());
        }
        finally
        {
            foreach (var entry in catalog)
            {
                try
                {
                    await client.GetScheduleHandle(entry.Id).DeleteAsync().Within();
                }
                catch (Temporalio.Exceptions.RpcException)
                {
                    // Already deleted by the test.
                }
            }
        }
    }

    [TemporalSchedulesFact]
    public async Task TriggerAsync_HourlySchedule_RunsWorkflowWithScheduleTrigger()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var entry = UniqueCatalog()[0];
        var service = new ExportScheduleService(client, taskQueue);
        var fake = new FakeExportActivities();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake)
            .AddExportWorkflows());
        await worker.ExecuteAsync(async () =>
        {
            await service.SyncAsync([entry], prune: false, dryRun: false, CancellationToken.None).Within();
            try
            {
                var before = DateTimeOffset.UtcNow;
                await service.TriggerAsync(entry.Id).Within();
                var started = await WaitForAsync(async () =>
                    (await client.GetScheduleHandle(entry.Id).DescribeAsync().Within()).Info.RecentActions.LastOrDefault()?.Action as ScheduleActionExecutionStartWorkflow);
                var report = await client.GetWorkflowHandle<Phase6ExportWorkflow, ExportReport>(started.WorkflowId).GetResultAsync().Within();

                Assert.True(report.Succeeded);
                Assert.Equal("subset-performance", Assert.Single(report.Exports).Type);
                Assert.Equal($"schedule:{entry.Id}", report.Trigger);
                // Today in New York when the run started: midnight may have passed between the trigger and now.
                Assert.Contains(report.AsOfDate, new[] { before, DateTimeOffset.UtcNow }.Select(t => ExportDates.ToText(ExportDates.EasternDate(t))));
            }
            finally
            {
                await client.GetScheduleHandle(entry.Id).DeleteAsync().Within();
            }
        });
    }

    [TemporalFact]
    public async Task Backfill_ThreeDatesOnTemporal_WritesThreeSetsOfFilesAndResumes()
    {
        using var store = new TempFolder();
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, store.Path);
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        // A date range of its own: backfill workflow ids are per date and the server is shared.
        var from = ExportHarness.SampleSeason.From.AddDays(Random.Shared.Next(0, 30));
        var to = from.AddDays(2);
        // One of 31 ranges, its workflow id derived from it: a run left open by an earlier run of the suite would be attached to.
        await ServerWorkflows.TerminateLeftoverAsync(BackfillSpans.WorkflowId(from, to, BackfillPlanner.ValidateTypes(ExportCatalog.Shipped, null, allowFixedPaths: true)));
        string[] args = ["backfill", "--from", ExportDates.ToText(from), "--to", ExportDates.ToText(to), "--force",
            "--temporal", client.Connection.Options.TargetHost!, "--task-queue", taskQueue];

        // A worker runs once: each CLI run gets its own.
        async Task<CliResult> WithWorkerAsync(string[] cliArgs)
        {
            using var worker = new TemporalWorker(client, ExportWorkerRegistration.Apply(new TemporalWorkerOptions(taskQueue), harness.Activities));
            return await worker.ExecuteAsync(() => CliRunner.RunAsync(cliArgs)).Within();
        }

        var first = await WithWorkerAsync(args);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(6, store.Files("v1").Count);

        var second = await WithWorkerAsync(args.Where(a => a != "--force").ToArray());
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("skipped 3 date(s) already exported", second.Output, StringComparison.Ordinal);
        Assert.Contains("0 exported (0 documents), 0 failed", second.Output, StringComparison.Ordinal);
    }
}

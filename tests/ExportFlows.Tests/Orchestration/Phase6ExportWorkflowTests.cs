using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Worker.Temporal;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace ExportFlows.Tests.Orchestration;

public sealed class Phase6ExportWorkflowTests
{
    private static async Task<T> WithWorkerAsync<T>(FakeExportActivities activities, Func<ITemporalClient, string, Task<T>> body)
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var options = new TemporalWorkerOptions(taskQueue).AddAllActivities(activities)
            .AddExportWorkflows();
        using var worker = new TemporalWorker(client, options);
        return await worker.ExecuteAsync(() => body(client, taskQueue)).Within();
    }

    private static Task<ExportReport> RunAsync(ITemporalClient client, string taskQueue, ExportRequest request) =>
        client.ExecuteWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request), new WorkflowOptions($"export-{Guid.NewGuid():N}", taskQueue)).Within();

    [TemporalFact]
    public async Task RunAsync_FourExporters_RunInParallel()
    {
        var fake = new FakeExportActivities();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var type in ExportCatalog.Shipped.TypeNames)
        {
            fake.Behaviour[type] = async (job, attempt) =>
            {
                if (Interlocked.Increment(ref started) == 4)
                {
                    allStarted.SetResult();
                }
                // Each export waits until all four are running: this completes only if they overlap.
                await allStarted.Task.Within();
                return FakeExportActivities.Written(job, attempt);
            };
        }
        var report = await WithWorkerAsync(fake, (client, tq) => RunAsync(client, tq, new ExportRequest(["subset-all"], "2026-02-03", "2026-02-03")));

        Assert.True(report.Succeeded, report.Summary());
        Assert.Equal(4, report.Exports.Count);
        Assert.Equal(4, fake.Calls.Count);
    }

    [TemporalFact]
    public async Task RunAsync_RetryableFailureTwice_SucceedsOnThirdAttempt()
    {
        var fake = new FakeExportActivities();
        fake.Behaviour["daily-signals"] = (job, attempt) => attempt < 3
            ? throw new ApplicationFailureException("BigQuery error 503 (backendError)", ExportErrorTypes.ApiUnavailable, details: [attempt])
            : Task.FromResult(FakeExportActivities.Written(job, attempt));

        var report = await WithWorkerAsync(fake, (client, tq) => RunAsync(client, tq, new ExportRequest(["daily-signals"], "2026-02-03")));

        var signals = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Succeeded, 3), (signals.Status, signals.Attempts));
        Assert.Equal([1, 2, 3], fake.Calls.Select(c => c.Attempt));
    }

    [TemporalFact]
    public async Task RunAsync_OneExporterFailsPermanently_ExportsFailedWithOthersWritten()
    {
        var fake = new FakeExportActivities();
        fake.Behaviour["subset-definitions"] = (_, attempt) =>
            throw new ApplicationFailureException("missing table nba_predictions.dynamic_subset_definitions", ExportErrorTypes.MissingTable, details: [attempt]);

        var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
            WithWorkerAsync(fake, (client, tq) => RunAsync(client, tq, new ExportRequest(["subset-all"], "2026-02-03", "2026-02-03"))));

        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.ExportsFailed, application.ErrorType);
        var report = application.Details.ElementAt<ExportReport>(0);
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance"], report.Exports.Where(e => e.Status == ExportStatus.Succeeded).Select(e => e.Type));
        var definitions = report.Exports.Single(e => e.Type == "subset-definitions");
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.MissingTable, 1), (definitions.Status, definitions.ErrorType, definitions.Attempts));
        Assert.Equal("v1/picks/2026-02-03.json", report.Exports[0].ObjectName);
        Assert.Equal(1, fake.CallsOf("subset-definitions"));
    }

    [TemporalFact]
    public async Task RunAsync_InvalidRequest_FailsAtOnceWithoutActivities()
    {
        var fake = new FakeExportActivities();
        var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() =>
            WithWorkerAsync(fake, (client, tq) => RunAsync(client, tq, new ExportRequest(["subset-picks"], "2026-13-01"))));

        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.InvalidRequest, application.ErrorType);
        Assert.True(application.NonRetryable);
        Assert.Contains("invalid date '2026-13-01'", application.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Calls);
        Assert.Equal(0, fake.ConfigurationCalls);
    }

    [TemporalFact]
    public async Task RunAsync_DisabledType_ReportedSkipped()
    {
        var fake = new FakeExportActivities { DisabledTypes = ["subset-performance"] };
        var report = await WithWorkerAsync(fake, (client, tq) => RunAsync(client, tq, new ExportRequest(["subset-all"], "2026-02-03")));

        Assert.True(report.Succeeded);
        Assert.Equal(ExportStatus.Skipped, report.Exports.Single(e => e.Type == "subset-performance").Status);
        Assert.Equal(0, fake.CallsOf("subset-performance"));
    }

    [TemporalFact]
    public async Task RunAsync_SearchAttributes_SetForVisibility()
    {
        var fake = new FakeExportActivities();
        var id = await WithWorkerAsync(fake, async (client, tq) =>
        {
            var request = new ExportRequest(["daily-signals"], "2026-02-07", Trigger: "test");
            var handle = await client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
                new WorkflowOptions($"export-{Guid.NewGuid():N}", tq));
            await handle.GetResultAsync().Within();
            return handle.Id;
        });
        var description = await TemporalTestServer.Client.GetWorkflowHandle(id).DescribeAsync().Within();
        Assert.Equal("2026-02-07", description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportDate));
        Assert.Equal("test", description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportTrigger));
        Assert.Equal(["daily-signals"], description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportTypes));
    }

    [TemporalFact]
    public async Task RunAsync_RealActivitiesOnSample_MatchesInProcessEngineByteForByte()
    {
        using var inProcessStore = new TempFolder();
        using var workflowStore = new TempFolder();
        var date = ExportDates.ToText(ExportHarness.SampleSeason.From.AddDays(25));
        var request = new ExportRequest(["subset-all"], date, date, "test");
        using (var local = new ExportHarness(ExportHarness.SampleWarehouse, inProcessStore.Path))
        {
            Assert.True((await local.Engine.RunAsync(request, DateTimeOffset.UtcNow, CancellationToken.None).Within()).Succeeded);
        }
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, workflowStore.Path);
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var worker = new TemporalWorker(client, ExportWorkerRegistration.Apply(new TemporalWorkerOptions(taskQueue), harness.Activities));
        var report = await worker.ExecuteAsync(() => new TemporalExportEngine(client, new TemporalSettings { TaskQueue = taskQueue }, ExportCatalog.Shipped, TextWriter.Null, () => false)
            .RunAsync(request, DateTimeOffset.UtcNow, CancellationToken.None)).Within();

        Assert.True(report.Succeeded, report.Summary());
        Assert.NotNull(report.WorkflowId);
        Assert.Equal(("dir:" + workflowStore.Path, "duckdb:" + ExportHarness.SampleWarehouse), (report.Store, report.Warehouse));
        var files = inProcessStore.Files("v1");
        Assert.Equal(4, files.Count);
        Assert.Equal(files, workflowStore.Files("v1"));
        foreach (var file in files)
        {
            Assert.Equal(WithoutGeneratedAt(inProcessStore.Sub("v1/" + file)), WithoutGeneratedAt(workflowStore.Sub("v1/" + file)));
        }
    }

    private static string WithoutGeneratedAt(string path) =>
        System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(path), "\"generated_at\": \"[^\"]+\"", "");
}

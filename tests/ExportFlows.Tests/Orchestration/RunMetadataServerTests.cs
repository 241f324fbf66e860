using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Worker;

namespace ExportFlows.Tests.Orchestration;

/// <summary>A run explains itself in the Web UI: user metadata on the start, current details from the worker.</summary>
public sealed class RunMetadataServerTests
{
    [TemporalUserMetadataFact]
    public async Task StartExportAsync_Described_StaticSummaryDetailsAndWorkerStore()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities { Store = "dir:/exports", Warehouse = "duckdb:/warehouse" };
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake).AddWorkflow<Phase6ExportWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var phase6 = new Phase6Client(client, taskQueue, ExportCatalog.Shipped) { Source = "exportflows export" };
            var handle = await phase6.StartExportAsync(new ExportRequest(["subset-picks", "daily-signals"], "2026-02-03", Trigger: "cli"),
                DateTimeOffset.Parse("2026-02-03T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture)).Within();
            await handle.GetResultAsync().Within();

            var description = await handle.DescribeAsync().Within();
            Assert.Equal("subset-picks, daily-signals · 2026-02-03 · cli", await description.GetStaticSummaryAsync());
            var details = await description.GetStaticDetailsAsync();
            Assert.Contains("**started by**: exportflows export", details, StringComparison.Ordinal);
            Assert.Contains("**trigger**: cli", details, StringComparison.Ordinal);
        }).Within();
    }

    [TemporalFact]
    public async Task RunAsync_WhileExporting_CurrentDetailsNameTheWorkersStoreWarehouseAndCatalog()
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var exporting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fake = new FakeExportActivities { Store = "dir:/exports", Warehouse = "duckdb:/warehouse" };
        fake.Behaviour["daily-signals"] = async (job, attempt) =>
        {
            exporting.TrySetResult();
            await release.Task.Within();
            return FakeExportActivities.Written(job, attempt);
        };
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake).AddWorkflow<Phase6ExportWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(new ExportRequest(new[] { "daily-signals" }, "2026-02-03", null, "manual", null, false, false, null, null, null)),
                new Temporalio.Client.WorkflowOptions($"export-{Guid.NewGuid():N}", taskQueue)).Within();
            try
            {
                await exporting.Task.Within();
                var metadata = await handle.QueryAsync<Temporalio.Api.Sdk.V1.WorkflowMetadata>("__temporal_workflow_metadata", []).Within();
                Assert.Contains("**exports**: daily-signals", metadata.CurrentDetails, StringComparison.Ordinal);
                Assert.Contains("**store**: dir:/exports", metadata.CurrentDetails, StringComparison.Ordinal);
                Assert.Contains("**warehouse**: duckdb:/warehouse", metadata.CurrentDetails, StringComparison.Ordinal);
                Assert.Contains($"({ExportCatalog.Shipped.Fingerprint})", metadata.CurrentDetails, StringComparison.Ordinal);
            }
            finally
            {
                release.TrySetResult();
            }
            var report = await handle.GetResultAsync().Within();
            Assert.True(report.Succeeded, report.Summary());
        }).Within();
    }
}

using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Worker;

namespace ExportFlows.Tests.Orchestration;

public sealed class Phase6TonightWorkflowTests
{
    private static PredictionsCompleteMessage Message(DateOnly date, string status = "success", decimal completion = 100m, string correlation = "c1") =>
        new(date, status, correlation, "batch-1", "batch-1", completion, 400, null);

    // A date of its own per test: the tonight workflow id is per date and the server is shared.
    private static DateOnly UniqueDate() => UniqueGameDates.Next();

    private static async Task WithWorkerAsync(FakeExportActivities fake, Func<Phase6Client, Task> body)
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake)
            .AddExportWorkflows());
        await worker.ExecuteAsync(() => body(new Phase6Client(client, taskQueue, ExportCatalog.Shipped))).Within();
    }

    [TemporalFact]
    public async Task PredictionsComplete_ThreeSignalsDuringRun_ExactlyOneFollowUpRun()
    {
        var fake = new FakeExportActivities();
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Behaviour["subset-picks"] = async (job, attempt) =>
        {
            if (fake.CallsOf("subset-picks") == 1)
            {
                firstStarted.SetResult();
                await release.Task.Within();
            }
            return FakeExportActivities.Written(job, attempt);
        };
        var date = UniqueDate();
        await WithWorkerAsync(fake, async client =>
        {
            var handle = await client.PredictionsCompleteAsync(Message(date, correlation: "first")).Within();
            await firstStarted.Task.Within();
            foreach (var correlation in new[] { "second", "third", "fourth" })
            {
                var again = await client.PredictionsCompleteAsync(Message(date, correlation: correlation)).Within();
                Assert.Equal(handle.ResultRunId, again.ResultRunId);
            }
            release.SetResult();
            var result = await handle.GetResultAsync().Within();

            Assert.Equal(2, result.Runs.Count);
            Assert.Equal((MessageRunStatus.Exported, 1, "first"), (result.Runs[0].Status, result.Runs[0].Messages, result.Runs[0].CorrelationId));
            Assert.Equal((MessageRunStatus.Exported, 3, "fourth"), (result.Runs[1].Status, result.Runs[1].Messages, result.Runs[1].CorrelationId));
            Assert.Equal(2, fake.CallsOf("subset-picks"));
            Assert.Equal(2, fake.CallsOf("daily-signals"));

            // After completion the next message starts a new run of the same workflow id.
            var next = await client.PredictionsCompleteAsync(Message(date, correlation: "later")).Within();
            Assert.NotEqual(handle.ResultRunId, next.ResultRunId);
            var nextResult = await next.GetResultAsync().Within();
            Assert.Equal("later", Assert.Single(nextResult.Runs).CorrelationId);
        });
    }

    [TemporalFact]
    public async Task PredictionsComplete_GuardRejections_StartNoExport()
    {
        var fake = new FakeExportActivities { ActivePredictions = 5 };
        await WithWorkerAsync(fake, async client =>
        {
            var lowCompletion = await (await client.PredictionsCompleteAsync(Message(UniqueDate(), completion: 50m)).Within()).GetResultAsync().Within();
            var failedStatus = await (await client.PredictionsCompleteAsync(Message(UniqueDate(), status: "failed")).Within()).GetResultAsync().Within();
            var fewPredictions = await (await client.PredictionsCompleteAsync(Message(UniqueDate())).Within()).GetResultAsync().Within();

            Assert.Equal((MessageRunStatus.Rejected, "completion 50% is below 80%"), (lowCompletion.Runs[0].Status, lowCompletion.Runs[0].Reason));
            Assert.Equal((MessageRunStatus.Rejected, "status 'failed' is not success or partial"), (failedStatus.Runs[0].Status, failedStatus.Runs[0].Reason));
            Assert.Equal((MessageRunStatus.Rejected, "5 active predictions in the warehouse, fewer than 10"), (fewPredictions.Runs[0].Status, fewPredictions.Runs[0].Reason));
            Assert.Null(fewPredictions.Runs[0].ChildWorkflowId);
        });
        Assert.Equal(["count"], fake.Calls.Select(c => c.Type).Distinct());
    }

    [TemporalFact]
    public async Task PredictionsComplete_ExportFails_RunRecordedFailedWithReport()
    {
        var fake = new FakeExportActivities();
        fake.Behaviour["daily-signals"] = (_, attempt) =>
            throw new Temporalio.Exceptions.ApplicationFailureException("bad", ExportErrorTypes.ContractViolation, details: [attempt]);
        await WithWorkerAsync(fake, async client =>
        {
            var result = await (await client.PredictionsCompleteAsync(Message(UniqueDate())).Within()).GetResultAsync().Within();
            var run = Assert.Single(result.Runs);
            Assert.Equal(MessageRunStatus.Failed, run.Status);
            Assert.Equal(ExportStatus.Succeeded, run.Report!.Exports.Single(e => e.Type == "subset-picks").Status);
        });
    }
}

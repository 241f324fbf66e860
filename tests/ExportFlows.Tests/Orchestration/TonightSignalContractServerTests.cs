using System.Text.Json;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The tonight workflow driven the way a client in another language drives it: by name, no start arguments, the
/// message as raw JSON. What such a client can get wrong must fail visibly.
/// </summary>
public sealed class TonightSignalContractServerTests
{
    private static DateOnly UniqueDate() => UniqueGameDates.Next();

    private static string Phase5Message(DateOnly date) => $$$"""
        {"processor_name": "PredictionCoordinator", "execution_id": "batch_{{{ExportDates.ToText(date)}}}", "correlation_id": "corr-{{{ExportDates.ToText(date)}}}",
         "game_date": "{{{ExportDates.ToText(date)}}}", "status": "success", "record_count": 412, "records_failed": 0,
         "metadata": {"batch_id": "batch_{{{ExportDates.ToText(date)}}}", "completed_predictions": 412, "completion_pct": 100}}
        """;

    /// <summary>Signal-with-start by workflow and signal name, as the TypeScript and Python examples do it.</summary>
    private static async Task<WorkflowHandle> SignalWithStartByNameAsync(ITemporalClient client, string taskQueue, DateOnly date, string messageJson)
    {
        var options = new WorkflowOptions(TonightWorkflowIds.For(date), taskQueue);
        options.SignalWithStart(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(messageJson).RootElement]);
        return await client.StartWorkflowAsync("Phase6TonightWorkflow", [], options).Within();
    }

    private static async Task<T> WithWorkerAsync<T>(FakeExportActivities fake, Func<ITemporalClient, string, Task<T>> body)
    {
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake)
            .AddExportWorkflows());
        return await worker.ExecuteAsync(() => body(client, taskQueue)).Within();
    }

    [TemporalFact]
    public async Task SignalWithStart_MessageAsPublished_ExportsAndListsTheRun()
    {
        var fake = new FakeExportActivities();
        var date = UniqueDate();
        var (result, description) = await WithWorkerAsync(fake, async (client, taskQueue) =>
        {
            var handle = await SignalWithStartByNameAsync(client, taskQueue, date, Phase5Message(date));
            var result = await handle.GetResultAsync<TonightResult>().Within();
            return (result, await handle.DescribeAsync().Within());
        });

        var run = Assert.Single(result.Runs);
        Assert.Equal((MessageRunStatus.Exported, $"corr-{ExportDates.ToText(date)}"), (run.Status, run.CorrelationId));
        Assert.Empty(result.MalformedMessages!);
        Assert.Equal(1, fake.CallsOf("subset-picks"));
        Assert.Equal(1, fake.CallsOf("daily-signals"));
        // The client set no search attributes; the workflow lists itself.
        Assert.Equal(ExportDates.ToText(date), description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportDate));
        Assert.Equal("orchestrator", description.TypedSearchAttributes.Get(ExportSearchAttributes.ExportTrigger));
    }

    [TemporalFact]
    public async Task SignalWithStart_TypeScriptShapedAndDotNetSent_RunsReadTheSame()
    {
        var fake = new FakeExportActivities();
        var typeScriptDate = UniqueDate();
        var dotNetDate = UniqueDate();
        string For(string message, DateOnly date) => message.Replace("2026-02-03", ExportDates.ToText(date), StringComparison.Ordinal);
        var example = File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json"));

        var (typeScript, dotNet) = await WithWorkerAsync(fake, async (client, taskQueue) =>
        {
            var byName = await SignalWithStartByNameAsync(client, taskQueue, typeScriptDate, For(SignalContractTests.TypeScriptShaped, typeScriptDate));
            var viaClient = await new Phase6Client(client, taskQueue, ExportCatalog.Shipped).PredictionsCompleteAsync(For(example, dotNetDate)).Within();
            return (await byName.GetResultAsync<TonightResult>().Within(), await viaClient.GetResultAsync().Within());
        });

        var (fromTypeScript, fromDotNet) = (Assert.Single(typeScript.Runs), Assert.Single(dotNet.Runs));
        Assert.Equal(fromTypeScript.Reason, fromDotNet.Reason);
        Assert.StartsWith("status success, completion 100%;", fromDotNet.Reason, StringComparison.Ordinal);
        Assert.Equal((MessageRunStatus.Exported, MessageRunStatus.Exported), (fromTypeScript.Status, fromDotNet.Status));
    }

    [TemporalFact]
    public async Task SignalWithStart_PascalCaseMessage_FailsWithMalformedMessage()
    {
        var fake = new FakeExportActivities();
        var date = UniqueDate();
        var pascal = $$"""{"GameDate": "{{ExportDates.ToText(date)}}", "Status": "success", "CorrelationId": "c", "CompletionPct": 100}""";

        var failure = await WithWorkerAsync(fake, async (client, taskQueue) =>
        {
            var handle = await SignalWithStartByNameAsync(client, taskQueue, date, pascal);
            return await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<TonightResult>().Within());
        });

        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.MalformedMessage, application.ErrorType);
        Assert.Contains("game_date is missing", application.Message, StringComparison.Ordinal);
        Assert.Empty(application.Details.ElementAt<TonightResult>(0).Runs);
        Assert.Empty(fake.Calls);
    }

    [TemporalFact]
    public async Task SignalWithStart_DeliveryIdNotAString_FailsWithMalformedMessageAtOnceNothingExported()
    {
        var fake = new FakeExportActivities();
        var date = UniqueDate();
        var message = File.ReadAllText(RepositoryFiles.PathOf("examples", "predictions-complete.json")).Replace("2026-02-03", ExportDates.ToText(date), StringComparison.Ordinal);

        var failure = await WithWorkerAsync(fake, async (client, taskQueue) =>
        {
            var options = new WorkflowOptions(TonightWorkflowIds.For(date), taskQueue);
            options.SignalWithStart(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(message).RootElement, 42]);
            var handle = await client.StartWorkflowAsync("Phase6TonightWorkflow", [], options).Within();
            return await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<TonightResult>().Within());
        });

        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.MalformedMessage, application.ErrorType);
        Assert.Contains("the delivery id (the signal's second argument) must be a string, got Number", application.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Calls);
    }

    [TemporalFact]
    public async Task SignalWithStart_MessageForAnotherDate_FailsAfterExportingTheValidOne()
    {
        var fake = new FakeExportActivities();
        var date = UniqueDate();
        // The first export waits until the second message is in the history, so it cannot arrive after the workflow closed.
        var secondSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Behaviour["subset-picks"] = async (job, attempt) =>
        {
            await secondSent.Task.Within();
            return FakeExportActivities.Written(job, attempt);
        };
        var failure = await WithWorkerAsync(fake, async (client, taskQueue) =>
        {
            var options = new WorkflowOptions(TonightWorkflowIds.For(date), taskQueue);
            options.SignalWithStart(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(Phase5Message(date)).RootElement]);
            var handle = await client.StartWorkflowAsync("Phase6TonightWorkflow", [], options).Within();
            await handle.SignalAsync(Phase6TonightWorkflow.SignalName, [JsonDocument.Parse(Phase5Message(date.AddDays(1))).RootElement]).Within();
            secondSent.SetResult();
            return await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<TonightResult>().Within());
        });

        var application = Assert.IsType<ApplicationFailureException>(failure.InnerException);
        Assert.Equal(ExportErrorTypes.MalformedMessage, application.ErrorType);
        Assert.Contains($"message for game_date {ExportDates.ToText(date.AddDays(1))} sent to the workflow of {ExportDates.ToText(date)}", application.Message, StringComparison.Ordinal);
        var result = application.Details.ElementAt<TonightResult>(0);
        Assert.Equal(MessageRunStatus.Exported, Assert.Single(result.Runs).Status);
        Assert.Equal(1, fake.CallsOf("subset-picks"));
    }
}

using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// Every history under tests/histories must still replay against today's workflow code: a change that breaks
/// determinism for running workflows fails here. Add a history with
/// <c>temporal workflow show --workflow-id ID --output json &gt; tests/histories/NAME.json</c>.
/// </summary>
public sealed class WorkflowReplayTests
{
    private static WorkflowReplayer Replayer() => new(new WorkflowReplayerOptions()
        .AddWorkflow<Phase6ExportWorkflow>()
        .AddWorkflow<Phase6TonightWorkflow>());

    public static IReadOnlyList<string> HistoryFiles =>
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, "histories"))
            ? Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "histories"), "*.json").Order(StringComparer.Ordinal).ToList()
            : [];

    [Fact]
    public async Task ReplayWorkflowsAsync_RecordedHistories_ReplayWithoutNondeterminism()
    {
        var histories = HistoryFiles.Select(f => WorkflowHistory.FromJson(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f))).ToList();
        var results = await Replayer().ReplayWorkflowsAsync(histories, throwOnReplayFailure: false);
        Assert.All(results, r => Assert.Null(r.ReplayFailure));
        Assert.Equal(histories.Count, results.Count());
    }

    [TemporalFact]
    public async Task ReplayWorkflowAsync_FreshHistory_Replays()
    {
        var fake = new FakeExportActivities();
        var client = TemporalTestServer.Environment.Client;
        var taskQueue = $"tests-{Guid.NewGuid():N}";
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake).AddWorkflow<Phase6ExportWorkflow>());
        var history = await worker.ExecuteAsync(async () =>
        {
            var request = new ExportRequest(["subset-all"], "2026-02-03");
            var handle = await client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
                new WorkflowOptions($"replay-{Guid.NewGuid():N}", taskQueue));
            await handle.GetResultAsync();
            return await handle.FetchHistoryAsync();
        });
        var result = await Replayer().ReplayWorkflowAsync(history);
        Assert.Null(result.ReplayFailure);
    }
}

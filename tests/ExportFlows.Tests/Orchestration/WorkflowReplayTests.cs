using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// Every history under tests/histories (file name = workflow id) must still replay against today's workflow code: a
/// change that breaks determinism for running workflows fails here. See tests/histories/README.md.
/// </summary>
public sealed class WorkflowReplayTests
{
    /// <summary>The real histories recorded on a Temporal server; fewer means one was lost, not retired.</summary>
    private const int RecordedHistories = 30;

    private static WorkflowReplayer Replayer() => new(new WorkflowReplayerOptions()
        .AddExportWorkflows());

    private static string HistoryFolder => Path.Combine(AppContext.BaseDirectory, "histories");

    public static IReadOnlyList<string> HistoryFiles =>
        Directory.Exists(HistoryFolder) ? Directory.GetFiles(HistoryFolder, "*.json").Order(StringComparer.Ordinal).ToList() : [];

    private static WorkflowHistory Load(string file) => WorkflowHistory.FromJson(WorkflowIdOf(file), File.ReadAllText(file));

    /// <summary>The file name is the workflow id; a later run of a continue-as-new chain adds <c>~runN</c>.</summary>
    public static string WorkflowIdOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file);
        var run = name.IndexOf('~', StringComparison.Ordinal);
        return run < 0 ? name : name[..run];
    }

    [Fact]
    public async Task ReplayWorkflowsAsync_RecordedHistories_ReplayWithoutNondeterminism()
    {
        Assert.True(HistoryFiles.Count >= RecordedHistories, $"expected at least {RecordedHistories} histories in {HistoryFolder}, found {HistoryFiles.Count}");
        var histories = HistoryFiles.Select(Load).ToList();

        var results = (await Replayer().ReplayWorkflowsAsync(histories, throwOnReplayFailure: false)).ToList();

        Assert.Equal(histories.Count, results.Count);
        Assert.All(results, r => Assert.True(r.ReplayFailure is null, $"{r.History.Id}: {r.ReplayFailure}"));
    }

    [Fact]
    public void HistoryFiles_EachWorkflowType_IsRepresented()
    {
        var types = HistoryFiles.Select(f => File.ReadAllText(f)).Select(json =>
            System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("events")[0]
                .GetProperty("workflowExecutionStartedEventAttributes").GetProperty("workflowType").GetProperty("name").GetString()).ToHashSet();

        Assert.Equal(ExportWorkflows.All.Select(t => t.Name).Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("phase6-backfill-2025-11-15-2026-02-15-4122fceb82~run3.json", "phase6-backfill-2025-11-15-2026-02-15-4122fceb82")]
    [InlineData("phase6-tonight-2026-02-04.json", "phase6-tonight-2026-02-04")]
    public void WorkflowIdOf_RunSuffix_Stripped(string file, string expected) => Assert.Equal(expected, WorkflowIdOf(file));

    [Fact]
    public void HistoryFiles_ContinueAsNewChain_EveryLaterRunHasItsFirst()
    {
        var ids = HistoryFiles.Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);

        var chained = HistoryFiles.Where(f => Path.GetFileName(f).Contains('~', StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(chained);
        Assert.All(chained, f => Assert.Contains(WorkflowIdOf(f), ids));
    }

    [Fact]
    public async Task ReplayWorkflowAsync_NonDeterministicEdit_FailsWithNondeterminism()
    {
        var history = Load(HistoryFiles.First(f => Path.GetFileName(f).StartsWith("phase6-export-", StringComparison.Ordinal)));
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<TimerFirstExportWorkflow>());

        var result = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);

        Assert.IsType<WorkflowNondeterminismException>(result.ReplayFailure);
    }

    [TemporalFact]
    public async Task ReplayWorkflowAsync_FreshHistory_Replays()
    {
        var fake = new FakeExportActivities();
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue).AddAllActivities(fake).AddWorkflow<Phase6ExportWorkflow>());
        var history = await worker.ExecuteAsync(async () =>
        {
            var request = new ExportRequest(["subset-all"], "2026-02-03");
            var handle = await client.StartWorkflowAsync((Phase6ExportWorkflow wf) => wf.RunAsync(request),
                new WorkflowOptions($"replay-{Guid.NewGuid():N}", taskQueue));
            await handle.GetResultAsync().Within();
            return await handle.FetchHistoryAsync().Within();
        }).Within();
        var result = await Replayer().ReplayWorkflowAsync(history);
        Assert.Null(result.ReplayFailure);
    }

    /// <summary>The export workflow with one deliberate non-deterministic edit: a timer before anything else.</summary>
    [Workflow("Phase6ExportWorkflow")]
    public sealed class TimerFirstExportWorkflow
    {
        [WorkflowRun]
        public async Task<ExportReport> RunAsync(ExportRequest request)
        {
            await Workflow.DelayAsync(TimeSpan.FromSeconds(1));
            return new ExportReport(request.Date, request.AsOf, request.Trigger, []);
        }
    }
}

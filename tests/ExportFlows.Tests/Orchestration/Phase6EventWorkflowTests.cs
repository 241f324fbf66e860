using ExportFlows.Tests.Support;
using ExportFlows.Worker.Client;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;
using static ExportFlows.Tests.Support.ServerExportRun;

namespace ExportFlows.Tests.Orchestration;

/// <summary>
/// The event workflow on a real server, signalled as <c>trigger</c> signals it (no delivery id, so it completes after
/// its run): the original's example messages run what the original would, the histories replay, and each is kept for
/// tests/histories when <c>EXPORTFLOWS_RECORD_HISTORIES</c> names a folder.
/// </summary>
public sealed class Phase6EventWorkflowTests
{
    private static readonly ExportCatalog Shipped = ExportCatalog.Shipped;

    private static string Example(string name, string date) =>
        File.ReadAllText(RepositoryFiles.PathOf("examples", name)).Replace("2026-02-03", date, StringComparison.Ordinal);

    private static async Task<(EventWorkflowResult Result, WorkflowHistory History, WorkflowHistory Child)> RunAsync(string eventName, string message)
    {
        var native = new FakeExportActivities { Catalog = Shipped, EnabledTypes = [.. Shipped.TypeNames.Where(t => t != "best-bets")] };
        var external = new FakeExternalExporters { Catalog = Shipped };
        return await WithWorkersAsync(native, external, async q =>
        {
            var phase6 = new Phase6Client(q.Client, q.Main, Shipped) { Source = "test" };
            var published = PublishedEvent.Read(Shipped.FindEvent(eventName)!, Shipped, System.Text.Encoding.UTF8.GetBytes(message), DateTimeOffset.UtcNow);
            var handle = await phase6.EventAsync(published).Within();
            var result = await handle.GetResultAsync().Within(TimeSpan.FromSeconds(60));
            var history = await handle.FetchHistoryAsync().Within();
            var child = await q.Client.GetWorkflowHandle(result.Runs[0].ChildWorkflowId!).FetchHistoryAsync().Within();
            return (result, history, child);
        });
    }

    private static async Task KeepAndReplayAsync(params WorkflowHistory[] histories)
    {
        foreach (var history in histories)
        {
            Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);
            if (Environment.GetEnvironmentVariable("EXPORTFLOWS_RECORD_HISTORIES") is { Length: > 0 } folder)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, history.Id + ".json"), history.ToJson());
            }
            var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddExportWorkflows()).ReplayWorkflowAsync(history, throwOnReplayFailure: false);
            Assert.True(replay.ReplayFailure is null, $"{history.Id}: {replay.ReplayFailure}");
        }
    }

    [TemporalFact]
    public async Task RunAsync_OriginalExportRequest_ListedTypesRunForItsDateAndTheHistoryReplays()
    {
        var date = UniqueGameDates.NextText();
        var (result, history, child) = await RunAsync("export-request", Example("export-request.json", date));

        var run = Assert.Single(result.Runs);
        Assert.Equal(("export-request", date, MessageRunStatus.Exported), (result.Event, result.Date, run.Status));
        Assert.Equal(["results", "performance", "best-bets", "predictions", "admin-dashboard", "admin-picks"], run.Report!.Exports.Select(e => e.Type));
        Assert.Equal(ExportStatus.NotEnabled, run.Report.Exports.Single(e => e.Type == "best-bets").Status);
        Assert.Equal(EventWorkflowIds.For("export-request", ExportDates.Parse(date, "date")), history.Id);
        await KeepAndReplayAsync(history, child);
    }

    [TemporalFact]
    public async Task RunAsync_GradingFailed_HistoryFilesOnlyPicksSkippedAndTheHistoryReplays()
    {
        var date = UniqueGameDates.NextText();
        var (result, history, child) = await RunAsync("grading-complete", Example("grading-complete.json", date).Replace("\"status\": \"success\"", "\"status\": \"failed\"", StringComparison.Ordinal));

        var run = Assert.Single(result.Runs);
        var byType = run.Report!.Exports.ToDictionary(e => e.Type);
        Assert.Equal((ExportStatus.Skipped, "skipped: condition status == \"success\" is false (status = \"failed\")"), (byType["subset-picks"].Status, byType["subset-picks"].Error));
        Assert.Equal(ExportStatus.Succeeded, byType["best-bets-all"].Status);
        Assert.Equal(ExportStatus.Succeeded, byType["best-bets-record"].Status);
        Assert.Equal(5, run.Decisions.Count(d => !d.Runs));
        await KeepAndReplayAsync(history, child);
    }

    [TemporalFact]
    public async Task RunAsync_GradingSucceeded_EveryEntryRunsAndTheHistoryReplays()
    {
        var date = UniqueGameDates.NextText();
        var (result, history, child) = await RunAsync("grading-complete", Example("grading-complete.json", date));

        var run = Assert.Single(result.Runs);
        Assert.Equal(Shipped.FindEvent("grading-complete")!.Runs.Select(r => r.Name), run.Report!.Exports.Select(e => e.Type));
        Assert.All(run.Report.Exports, e => Assert.Equal(ExportStatus.Succeeded, e.Status));
        Assert.Equal($"grading_{date}_1770180000", run.CorrelationId);
        await KeepAndReplayAsync(history, child);
    }

    /// <summary>What a client in another language could send: arguments of the wrong JSON type, and whether the message runs.</summary>
    public static TheoryData<object?[], bool> WrongSignalArguments => new()
    {
        { [new[] { 1, 2 }], false },
        { ["not an object"], false },
        { [42], false },
        { [new { target_date = "2029-12-05", status = "success", graded_count = 3 }, 42], false },
        { [new { target_date = "2029-12-05", status = "success", graded_count = 3 }, "d-1", new { at = 1 }], true },
        { [new { target_date = "2029-12-05", status = "success", graded_count = 3 }, "d-1", "yesterday", "extra"], true },
    };

    [TemporalTheory]
    [MemberData(nameof(WrongSignalArguments))]
    public async Task SignalWithStart_ArgumentsOfTheWrongType_RunOrRefusedNeverAFailedWorkflowTask(object?[] signal, bool runs)
    {
        var native = new FakeExportActivities { Catalog = Shipped };
        // The date the messages name, before every date UniqueGameDates hands out (these cases run one after another);
        // an interrupted earlier run of the suite may have left it open.
        var id = EventWorkflowIds.For("grading-complete", new DateOnly(2029, 12, 5));
        await ServerWorkflows.TerminateLeftoverAsync(id);
        var (history, ran) = await WithWorkersAsync(native, new FakeExternalExporters { Catalog = Shipped }, async q =>
        {
            var options = new WorkflowOptions(id, q.Main);
            options.SignalWithStart(Phase6EventWorkflow.SignalName, signal);
            var handle = await q.Client.StartWorkflowAsync("Phase6EventWorkflow", [], options).Within();
            try
            {
                await Bounded.UntilAsync(async () => (await handle.DescribeAsync()).Status != WorkflowExecutionStatus.Running
                    || (await Bounded.QueryOrDefaultAsync(() => handle.QueryAsync<IReadOnlyList<EventRunRecord>>("Runs", []))) is { Count: > 0 },
                    "the message run or refused", TimeSpan.FromSeconds(30));
                var ran = (await handle.QueryAsync<IReadOnlyList<EventRunRecord>>("Runs", []).Within()).Count > 0;
                return (await handle.FetchHistoryAsync().Within(), ran);
            }
            finally
            {
                await ServerWorkflows.TerminateIfRunningAsync(id);
            }
        });

        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.WorkflowTaskFailed);
        Assert.Equal(runs, ran);
        if (!runs)
        {
            var failed = history.Events.Single(e => e.EventType == EventType.WorkflowExecutionFailed).WorkflowExecutionFailedEventAttributes.Failure;
            Assert.Equal(ExportErrorTypes.MalformedMessage, failed.ApplicationFailureInfo.Type);
        }
    }
}

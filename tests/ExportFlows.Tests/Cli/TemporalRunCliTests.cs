using System.Text.RegularExpressions;
using ExportFlows.Tests.Support;
using ExportFlows.Worker.Cli;
using ExportFlows.Worker.Engines;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace ExportFlows.Tests.Cli;

/// <summary>How <c>export</c> and <c>backfill</c> behave when they run on a Temporal cluster.</summary>
public sealed partial class TemporalRunCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData("export", "--store")]
    [InlineData("export", "--warehouse")]
    [InlineData("backfill", "--store")]
    public async Task Verb_LocalOptionWithTemporal_ExitTwoSayingTheWorkersAreUsed(string verb, string option)
    {
        string[] range = verb == "backfill" ? ["--from", "2026-01-05", "--to", "2026-01-06"] : ["--date", "2026-01-05"];
        var value = option == "--store" ? "dir:" + _temp.Sub("out") : "duckdb:" + _temp.Sub("wh");

        var result = await CliRunner.RunAsync([verb, .. range, option, value, "--temporal", "127.0.0.1:1"]);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains($"{option} cannot apply to a {verb} on Temporal: the worker reads its own warehouse and writes its own store", result.Error, StringComparison.Ordinal);
        Assert.Contains("--in-process", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Sub("out")));
    }

    [Fact]
    public async Task Export_StoreWithTemporalAndInProcess_RunsInProcess()
    {
        var result = await CliRunner.RunAsync("export", "--in-process", "--types", "daily-signals", "--date", "2026-01-20", "--temporal", "127.0.0.1:1",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + _temp.Sub("out"));

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(_temp.Sub("out/v1/signals/2026-01-20.json")));
    }

    [Fact]
    public void ExitCodeOf_RunInterrupted_IsCancelled()
    {
        var code = ExportFlowsCli.ExitCodeOf(new RunInterruptedException("interrupted: workflow w keeps running"), CancellationToken.None);

        Assert.Equal(ExitCodes.Cancelled, code);
    }

    [Fact]
    public void ExitCodeOf_StartConflictExhausted_IsTemporalUnavailable()
    {
        var conflict = new ExportFlows.Worker.Client.StartConflictExhaustedException(5, TimeSpan.FromSeconds(2), new InvalidOperationException("already started"));

        Assert.Equal(ExitCodes.TemporalUnavailable, ExportFlowsCli.ExitCodeOf(conflict, CancellationToken.None));
    }

    [TemporalFact]
    public async Task Export_NoWorkerOnQueue_SaysWorkflowIdNotesNoPickupAndDetachesOnInterrupt()
    {
        var taskQueue = TemporalTestServer.NewTaskQueue();
        using var error = new LiveWriter();
        using var interrupt = new CancellationTokenSource();

        try
        {
            var run = ExportFlowsCli.RunAsync(["export", "--date", "2026-01-20", "--types", "daily-signals",
                "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue], TextWriter.Null, error, interrupt.Token);
            await Bounded.UntilAsync(() => Task.FromResult(error.ToString().Contains("note: no worker has picked up workflow", StringComparison.Ordinal)), "the no-worker note");
            await interrupt.CancelAsync();
            var code = await run.Within();

            var id = StartedWorkflow().Match(error.ToString()).Groups[1].Value;
            Assert.Equal(ExitCodes.Cancelled, code);
            Assert.Contains($"task queue '{taskQueue}'", error.ToString(), StringComparison.Ordinal);
            Assert.Contains($"interrupted: workflow {id} keeps running on task queue {taskQueue}", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(WorkflowExecutionStatus.Running, (await TemporalTestServer.Client.GetWorkflowHandle(id).DescribeAsync().Within()).Status);
        }
        finally
        {
            await TerminateStartedAsync(error);
        }
    }

    /// <summary>The run a test left on a queue no worker polls any more (a failed assertion included) does not stay open.</summary>
    private static async Task TerminateStartedAsync(LiveWriter error)
    {
        if (StartedWorkflow().Match(error.ToString()) is { Success: true } started)
        {
            await ServerWorkflows.TerminateIfRunningAsync(started.Groups[1].Value);
        }
    }

    [TemporalFact]
    public async Task Export_InterruptWithOnInterruptCancel_WorkflowClosedCancelledAndExit130()
    {
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var fake = new FakeExportActivities();
        var exporting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fake.Behaviour["daily-signals"] = async (job, attempt) =>
        {
            exporting.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), Temporalio.Activities.ActivityExecutionContext.Current.CancellationToken);
            return FakeExportActivities.Written(job, attempt);
        };
        using var worker = new Temporalio.Worker.TemporalWorker(TemporalTestServer.Client, new Temporalio.Worker.TemporalWorkerOptions(taskQueue)
            .AddAllActivities(fake).AddWorkflow<ExportFlows.Workflows.Orchestration.Phase6ExportWorkflow>());
        using var error = new LiveWriter();
        using var interrupt = new CancellationTokenSource();

        try
        {
            var code = await worker.ExecuteAsync(async () =>
            {
                var run = ExportFlowsCli.RunAsync(["export", "--date", "2026-01-20", "--types", "daily-signals", "--on-interrupt", "cancel",
                    "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue], TextWriter.Null, error, interrupt.Token);
                await exporting.Task.Within();
                await interrupt.CancelAsync();
                return await run.Within();
            }).Within();

            var id = StartedWorkflow().Match(error.ToString()).Groups[1].Value;
            Assert.Equal(ExitCodes.Cancelled, code);
            Assert.Contains($"interrupted: workflow {id} was cancelled (closed as cancelled)", error.ToString(), StringComparison.Ordinal);
            Assert.Equal(WorkflowExecutionStatus.Canceled, (await TemporalTestServer.Client.GetWorkflowHandle(id).DescribeAsync().Within()).Status);
        }
        finally
        {
            await TerminateStartedAsync(error);
        }
    }

    /// <summary>The command of issue 14's "done when": two external types served by a worker of another language, one native.</summary>
    [TemporalFact]
    public async Task Export_ResultsBestBetsSubsetPicksWithExternalWorker_AllThreeWrittenAndTheirObjectsReported()
    {
        var (taskQueue, externalQueue) = (TemporalTestServer.NewTaskQueue(), TemporalTestServer.NewTaskQueue());
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"),
            new ExportFlows.Activities.ExportFlowsOptions { EnabledTypes = "subset-all,results,best-bets", ExternalTaskQueue = externalQueue });
        var external = new FakeExternalExporters();
        using var worker = new Temporalio.Worker.TemporalWorker(TemporalTestServer.Client,
            ExportFlows.Worker.Temporal.ExportWorkerRegistration.Apply(new Temporalio.Worker.TemporalWorkerOptions(taskQueue), harness.Activities));
        using var externalWorker = external.Worker(TemporalTestServer.Client, externalQueue);

        var result = await externalWorker.ExecuteAsync(() => worker.ExecuteAsync(() => CliRunner.RunAsync("export", "--date", "2026-01-20",
            "--types", "results,best-bets,subset-picks", "--json", "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue)))
            .Within(TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.Error);
        using var report = System.Text.Json.JsonDocument.Parse(result.Output);
        var exports = report.RootElement.GetProperty("exports").EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!);
        Assert.Equal(["best-bets", "results", "subset-picks"], exports.Keys.Order(StringComparer.Ordinal));
        Assert.All(exports.Values, e => Assert.Equal("succeeded", e.GetProperty("status").GetString()));
        Assert.Equal("v1/results/2026-01-20.json", exports["results"].GetProperty("objects")[0].GetProperty("name").GetString());
        Assert.Equal("v1/best-bets/2026-01-20.json", exports["best-bets"].GetProperty("objects")[0].GetProperty("name").GetString());
        Assert.Equal(["ExportBestBets", "ExportResults"], external.Calls.Select(c => c.Activity).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(_temp.Sub("out/v1/picks/2026-01-20.json")));
    }

    [TemporalFact]
    public async Task Export_ExternalTypesWithoutTheirWorker_FailNamingTheQueueAndSubsetPicksWritten()
    {
        var (taskQueue, externalQueue) = (TemporalTestServer.NewTaskQueue(), TemporalTestServer.NewTaskQueue());
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"), new ExportFlows.Activities.ExportFlowsOptions
        {
            EnabledTypes = "subset-all,results,best-bets",
            ExternalTaskQueue = externalQueue,
            ExternalScheduleToStart = TimeSpan.FromSeconds(3),
        });
        using var worker = new Temporalio.Worker.TemporalWorker(TemporalTestServer.Client,
            ExportFlows.Worker.Temporal.ExportWorkerRegistration.Apply(new Temporalio.Worker.TemporalWorkerOptions(taskQueue), harness.Activities));

        var result = await worker.ExecuteAsync(() => CliRunner.RunAsync("export", "--date", "2026-01-20", "--types", "results,best-bets,subset-picks",
            "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue)).Within(TimeSpan.FromSeconds(90));

        Assert.Equal(ExitCodes.ExportFailed, result.ExitCode);
        Assert.Contains($"error: results: no worker took ExportResults from task queue '{externalQueue}' within 3 s", result.Error, StringComparison.Ordinal);
        Assert.Contains($"error: best-bets: no worker took ExportBestBets from task queue '{externalQueue}' within 3 s", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.Sub("out/v1/picks/2026-01-20.json")));
    }

    [GeneratedRegex("started workflow (phase6-export-[0-9-]+-[0-9a-f]{32}) on task queue")]
    private static partial Regex StartedWorkflow();

    public void Dispose() => _temp.Dispose();
}

using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Tests.Scheduling;

public sealed class BackfillCliTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private Task<CliResult> BackfillAsync(params string[] extra) => CliRunner.RunAsync(
        ["backfill", "--in-process", "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + _temp.Sub("out"),
         "--journal", _temp.Sub("journal.jsonl"), .. extra]);

    [Fact]
    public async Task Backfill_ThreeDatesThenRerun_WritesSixFilesThenSkips()
    {
        var first = await BackfillAsync("--from", "2026-01-05", "--to", "2026-01-07", "--concurrency", "2");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(
            ["picks/2026-01-05.json", "picks/2026-01-06.json", "picks/2026-01-07.json", "signals/2026-01-05.json", "signals/2026-01-06.json", "signals/2026-01-07.json"],
            _temp.Files("out/v1"));
        Assert.Contains("backfill 2026-01-05..2026-01-07: 3 date(s), 0 already done, 3 exported (6 documents), 0 failed", first.Output, StringComparison.Ordinal);
        Assert.Equal(3, first.Output.Split('\n').Count(l => l.StartsWith('[')));

        var second = await BackfillAsync("--from", "2026-01-05", "--to", "2026-01-08");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("skipped 3 date(s) already exported", second.Output, StringComparison.Ordinal);
        Assert.Contains("backfill 2026-01-05..2026-01-08: 4 date(s), 3 already done, 1 exported (2 documents), 0 failed", second.Output, StringComparison.Ordinal);

        var forced = await BackfillAsync("--from", "2026-01-05", "--to", "2026-01-05", "--force");
        Assert.Contains("1 exported", forced.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_MissingTable_ExitTwoNothingWritten()
    {
        var warehouse = _temp.Sub("warehouse");
        Directory.CreateDirectory(warehouse);
        await File.WriteAllTextAsync(Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv"), "game_date,system_id\n");
        var result = await CliRunner.RunAsync("backfill", "--in-process", "--from", "2026-01-05", "--to", "2026-01-06", "--types", "daily-signals",
            "--warehouse", "duckdb:" + warehouse, "--store", "dir:" + _temp.Sub("out"), "--journal", _temp.Sub("journal.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nba_predictions.daily_prediction_signals", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Sub("out")));
        Assert.False(File.Exists(_temp.Sub("journal.jsonl")));
    }

    [Fact]
    public async Task Backfill_DateRefusedAsEmpty_ExitOneOthersWrittenAndRetriedNextRun()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.SampleWarehouse);
        var store = "dir:" + _temp.Sub("out");
        Assert.Equal(0, (await CliRunner.RunAsync("export", "--in-process", "--types", "subset-picks", "--date", "2026-01-06",
            "--warehouse", "duckdb:" + warehouse, "--store", store)).ExitCode);
        var definitions = Path.Combine(warehouse, "nba_predictions.dynamic_subset_definitions.csv");
        await File.WriteAllTextAsync(definitions, File.ReadLines(definitions).First() + "\n");
        string[] args = ["backfill", "--in-process", "--from", "2026-01-05", "--to", "2026-01-07", "--types", "subset-picks",
            "--warehouse", "duckdb:" + warehouse, "--store", store, "--journal", _temp.Sub("journal.jsonl")];

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("2 exported (2 documents), 1 failed", result.Output, StringComparison.Ordinal);
        Assert.Contains("error: 2026-01-06: subset-picks: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-empty", result.Error, StringComparison.Ordinal);
        var rerun = await CliRunner.RunAsync(args);
        Assert.Contains("skipped 2 date(s) already exported", rerun.Output, StringComparison.Ordinal);
        Assert.Contains("0 exported (0 documents), 1 failed", rerun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_Json_OneJsonDocumentWithEveryDate()
    {
        var result = await BackfillAsync("--from", "2026-01-10", "--to", "2026-01-12", "--span-days", "2", "--json");

        Assert.Equal(0, result.ExitCode);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        var dates = doc.RootElement.GetProperty("dates").EnumerateArray().ToList();
        Assert.Equal(["2026-01-10", "2026-01-11", "2026-01-12"], dates.Select(d => d.GetProperty("date").GetString()));
        Assert.All(dates, d => Assert.Equal(2, d.GetProperty("written").GetInt32()));
        Assert.False(doc.RootElement.GetProperty("cancelled").GetBoolean());
    }

    [TemporalFact]
    public async Task Backfill_TemporalAddress_OneWorkflowWritesEveryDate()
    {
        using var harness = new ExportHarness(ExportHarness.SampleWarehouse, _temp.Sub("out"));
        var taskQueue = TemporalTestServer.NewTaskQueue();
        // The workflow id is derived from range and types: a run of it left open by an earlier run of the suite would be attached to.
        await ServerWorkflows.TerminateLeftoverAsync(ExportFlows.Workflows.Planning.BackfillSpans.WorkflowId(
            new DateOnly(2026, 1, 5), new DateOnly(2026, 1, 8), ExportFlows.Workflows.Planning.BackfillPlanner.ValidateTypes(ExportCatalog.Shipped, null, allowFixedPaths: true)));
        using var worker = new Temporalio.Worker.TemporalWorker(TemporalTestServer.Client,
            ExportFlows.Worker.Temporal.ExportWorkerRegistration.Apply(new Temporalio.Worker.TemporalWorkerOptions(taskQueue), harness.Activities));

        var result = await worker.ExecuteAsync(() => CliRunner.RunAsync("backfill", "--from", "2026-01-05", "--to", "2026-01-08", "--span-days", "3", "--force", "--json",
            "--temporal", TemporalTestServer.Client.Connection.Options.TargetHost!, "--task-queue", taskQueue)).Within(TimeSpan.FromSeconds(90));

        Assert.True(result.ExitCode == 0, result.Error);
        using var doc = System.Text.Json.JsonDocument.Parse(result.Output);
        Assert.StartsWith("phase6-backfill-2026-01-05-2026-01-08-", doc.RootElement.GetProperty("workflowId").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, doc.RootElement.GetProperty("dates").EnumerateArray().Count(d => d.GetProperty("succeeded").GetBoolean()));
        Assert.Equal(8, _temp.Files("out/v1").Count);
    }

    [Theory]
    [InlineData("2026-01-07", "2026-01-05", "--to 2026-01-05 is before --from 2026-01-07")]
    [InlineData("2026-01-05", "2026-01-32", "invalid --to date '2026-01-32'")]
    public async Task Backfill_BadRange_ExitTwo(string from, string to, string message)
    {
        var result = await BackfillAsync("--from", from, "--to", to);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task Status_FreshAndStale_ExitCodeSaysSo()
    {
        var store = _temp.Sub("out");
        await CliRunner.RunAsync("export", "--in-process", "--date", "2026-01-05", "--as-of", "2026-01-05",
            "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + store);
        var now = DateTimeOffset.UtcNow;

        var fresh = await CliRunner.RunAsync("status", "--date", "2026-01-05", "--store", "dir:" + store, "--json",
            "--now", now.AddMinutes(5).ToString("O"));
        // At 10 AM ET tomorrow the performance file is stale, whatever the time now.
        var tomorrow10Et = new DateTimeOffset(ExportFlows.Workflows.Planning.ExportDates.EasternDate(now).AddDays(2).ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
        var stale = await CliRunner.RunAsync("status", "--date", "2026-01-05", "--store", "dir:" + store, "--now", tomorrow10Et.ToString("O"));

        using var doc = System.Text.Json.JsonDocument.Parse(fresh.Output[..fresh.Output.LastIndexOf('}')] + "}");
        var states = doc.RootElement.GetProperty("endpoints").EnumerateArray().ToDictionary(e => e.GetProperty("type").GetString()!, e => e.GetProperty("freshness").GetString());
        Assert.Equal("fresh", states["subset-picks"]);
        Assert.Equal("fresh", states["subset-definitions"]);
        Assert.Equal(3, stale.ExitCode);
        Assert.Contains("v1/subsets/performance.json  STALE", stale.Output, StringComparison.Ordinal);
        Assert.Contains("v1/systems/subsets.json  STALE", stale.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}

using System.Diagnostics;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Orchestration;
using ExportFlows.Workflows.Planning;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace ExportFlows.Tests.Warehouse;

/// <summary>A warehouse value that cannot be used fails the export at once, naming table, column and row: retrying cannot fix data.</summary>
public sealed class WarehouseDataErrorTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 17, 0, 0, TimeSpan.Zero);
    private const string Predictions = "nba_predictions.player_prop_predictions";
    private readonly TempFolder _temp = new();

    /// <summary>The hand fixture with one cell of the predictions row <paramref name="predictionId"/> replaced.</summary>
    private string WarehouseWith(string column, string value, string predictionId = "p03")
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var path = Path.Combine(warehouse, Predictions + ".csv");
        var lines = File.ReadAllLines(path);
        var index = Array.IndexOf(lines[0].Split(','), column);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells[0] == predictionId)
            {
                cells[index] = value;
                lines[i] = string.Join(",", cells);
            }
        }
        File.WriteAllLines(path, lines);
        return warehouse;
    }

    [Fact]
    public async Task RunAsync_ConfidenceScore1e308_FailsOnceWithinASecondNamingTableColumnAndRow()
    {
        using var harness = new ExportHarness(WarehouseWith("confidence_score", "1e308"), _temp.Sub("store"));
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };
        var watch = Stopwatch.StartNew();

        var report = await harness.Engine.RunAsync(new ExportRequest(["subset-picks", "subset-performance"], "2026-02-10", "2026-02-10"), Now, CancellationToken.None);

        output.WriteLine($"failed after {watch.ElapsedMilliseconds} ms");
        Assert.Equal(2, report.Exports.Count);
        Assert.All(report.Exports, e =>
        {
            Assert.Equal((ExportStatus.Failed, 1, ExportErrorTypes.InvalidWarehouseData), (e.Status, e.Attempts, e.ErrorType));
            Assert.Contains($"{Predictions}.confidence_score (row player_lookup=bravo, game_date=2026-02-10): 1E+308 is too large", e.Error, StringComparison.Ordinal);
        });
        Assert.Empty(delays);
        // No retry is proven by the empty delays; this only catches a real wait, with room for a loaded 2-core machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Empty(_temp.Files("store"));
    }

    [Theory]
    [InlineData("predicted_points", "", "predicted_points (row player_lookup=bravo, game_date=2026-02-10): NULL where a value is required")]
    [InlineData("game_date", "2026-13-45", "game_date (row player_lookup=bravo, game_date=2026-13-45, system_id=catboost_v9): '2026-13-45' is not a valid DATE (YYYY-MM-DD)")]
    [InlineData("predicted_points", "twelve", "predicted_points (row player_lookup=bravo, game_date=2026-02-10, system_id=catboost_v9): 'twelve' is not a valid DOUBLE")]
    [InlineData("is_active", "maybe", "is_active (row player_lookup=bravo, game_date=2026-02-10, system_id=catboost_v9): 'maybe' is not a valid BOOLEAN")]
    [InlineData("confidence_score", "inf", "confidence_score (row player_lookup=bravo, game_date=2026-02-10): Infinity is not a finite number")]
    public async Task RunAsync_UnusableValue_InvalidWarehouseDataNamingTableColumnAndRow(string column, string value, string expected)
    {
        using var harness = new ExportHarness(WarehouseWith(column, value), _temp.Sub("store"));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() =>
            harness.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-picks"), new ExportJob("subset-picks", new DateOnly(2026, 2, 10), null, Now)));

        Assert.Equal(ExportErrorTypes.InvalidWarehouseData, failure.ErrorType);
        Assert.Contains($"invalid warehouse data in {Predictions}.{expected}", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("fix the row in the warehouse, a retry cannot help", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UnparsableValueInAnotherSystemsRow_LeftOutAndDocumentUnchanged()
    {
        // p12 is the one catboost_v8 prediction: a model that is not published, so its rows are not loaded.
        using var harness = new ExportHarness(WarehouseWith("game_date", "2026-13-45", predictionId: "p12"), _temp.Sub("store"));

        await harness.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-picks"), new ExportJob("subset-picks", new DateOnly(2026, 2, 10), null,
            new DateTimeOffset(2026, 2, 10, 17, 30, 0, TimeSpan.Zero)));

        Assert.Equal(ExportHarness.Expected("picks-2026-02-10.json"), await File.ReadAllTextAsync(_temp.Sub("store/v1/picks/2026-02-10.json")));
    }

    [Fact]
    public void NonRetryable_InvalidWarehouseData_StopsEveryActivityAtOnce()
    {
        Assert.Contains(ExportErrorTypes.InvalidWarehouseData, ExportErrorTypes.NonRetryable);
        foreach (var policy in ExportCatalog.Shipped.Types.Select(t => t.Policy).Append(ExportActivityPolicies.Span).Append(ExportActivityPolicies.Guard))
        {
            Assert.Contains(ExportErrorTypes.InvalidWarehouseData, policy.ToActivityOptions("x").RetryPolicy!.NonRetryableErrorTypes!);
            Assert.False(policy.MayRetry(1, TimeSpan.Zero, ExportErrorTypes.InvalidWarehouseData, nonRetryable: false));
        }
        Assert.Equal(ExportErrorTypes.InvalidWarehouseData, ExportFlows.Activities.ExportActivities.Classify(new InvalidWarehouseDataException("t.c", "k=1", "bad")));
    }

    [TemporalFact]
    public async Task Phase6ExportWorkflow_UnusableValue_ActivityFailsOnceOnTemporal()
    {
        using var harness = new ExportHarness(WarehouseWith("predicted_points", ""), _temp.Sub("store"));
        var client = TemporalTestServer.Client;
        var taskQueue = TemporalTestServer.NewTaskQueue();
        var options = new TemporalWorkerOptions(taskQueue).AddAllActivities(harness.Activities).AddWorkflow<Phase6ExportWorkflow>();
        using var worker = new TemporalWorker(client, options);
        var request = new ExportRequest(["subset-picks"], "2026-02-10");

        var failure = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() => client.ExecuteWorkflowAsync(
            (Phase6ExportWorkflow wf) => wf.RunAsync(request),
            new WorkflowOptions($"export-bad-data-{Guid.NewGuid():N}", taskQueue)))).Within();

        var report = Assert.IsType<ApplicationFailureException>(failure.InnerException).Details.ElementAt<ExportReport>(0);
        var picks = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.InvalidWarehouseData, 1), (picks.Status, picks.ErrorType, picks.Attempts));
        Assert.Contains($"{Predictions}.predicted_points (row player_lookup=bravo, game_date=2026-02-10)", picks.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}

using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Exporters;

/// <summary>The in-process engine retries and times out exactly as the Temporal activity options say.</summary>
public sealed class InProcessRetryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 2, 10, 17, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    [Fact]
    public void RetryDelay_PolicyTable_DoublesUpToTheMaximum()
    {
        var picks = ExportCatalog.Shipped.Get("subset-picks").Policy;
        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(a => picks.RetryDelay(a).TotalSeconds));
    }

    [Theory]
    [InlineData(1, 0, "WarehouseError", false, true)]
    [InlineData(5, 0, "WarehouseError", false, true)]
    [InlineData(6, 0, "WarehouseError", false, false)]    // attempts used up
    [InlineData(1, 1196, "WarehouseError", false, false)] // the next delay would pass schedule-to-close
    [InlineData(1, 0, "MissingTable", false, false)]      // a non-retryable type
    [InlineData(1, 0, "WarehouseError", true, false)]     // marked non-retryable
    public void MayRetry_AsTemporalWould(int attempt, int elapsedSeconds, string errorType, bool nonRetryable, bool expected) =>
        Assert.Equal(expected, ExportCatalog.Shipped.Get("subset-picks").Policy.MayRetry(attempt, TimeSpan.FromSeconds(elapsedSeconds), errorType, nonRetryable));

    [Fact]
    public async Task RunAsync_TransientWarehouseError_RetriedAfterThePolicyDelay()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var signals = Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv");
        var good = await File.ReadAllTextAsync(signals);
        await File.WriteAllTextAsync(signals, CutMidRewrite(good));
        using var harness = new ExportHarness(warehouse, _temp.Sub("store"));
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = async (delay, _) =>
        {
            delays.Add(delay);
            await File.WriteAllTextAsync(signals, good); // the file caught mid-rewrite is whole again while the engine waits
        };

        var report = await harness.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), Now, CancellationToken.None);

        var outcome = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Succeeded, 2), (outcome.Status, outcome.Attempts));
        Assert.Equal([TimeSpan.FromSeconds(5)], delays);
    }

    [Fact]
    public async Task RunAsync_NonRetryableFailure_OneAttemptNoDelay()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var store = _temp.Sub("store");
        using (var first = new ExportHarness(warehouse, store))
        {
            await first.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), Now, CancellationToken.None);
        }
        var signals = Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv");
        await File.WriteAllTextAsync(signals, File.ReadLines(signals).First() + "\n");
        using var harness = new ExportHarness(warehouse, store);
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };

        var report = await harness.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), Now.AddHours(1), CancellationToken.None);

        var outcome = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Failed, 1, ExportErrorTypes.EmptyInput), (outcome.Status, outcome.Attempts, outcome.ErrorType));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaitingToRetry_StopsWithCancellation()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var signals = Path.Combine(warehouse, "nba_predictions.daily_prediction_signals.csv");
        await File.WriteAllTextAsync(signals, CutMidRewrite(await File.ReadAllTextAsync(signals)));
        using var harness = new ExportHarness(warehouse, _temp.Sub("store"));
        using var cancellation = new CancellationTokenSource();
        harness.Engine.Delay = (_, token) =>
        {
            cancellation.Cancel(); // Ctrl-C during the backoff
            return Task.Delay(Timeout.InfiniteTimeSpan, token);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            harness.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), Now, cancellation.Token));
        Assert.Empty(Directory.Exists(_temp.Sub("store")) ? Directory.GetFiles(_temp.Sub("store"), "*.json", SearchOption.AllDirectories) : []);
    }

    /// <summary>
    /// The signals file caught while it is rewritten: longer than DuckDB's CSV sniffing sample, its last row cut short.
    /// (A value that does not parse is a data error, not retried; a file that cannot be read is.)
    /// </summary>
    private static string CutMidRewrite(string good) =>
        good + string.Concat(Enumerable.Range(0, 25_000).Select(i => $"{new DateOnly(1990, 1, 1).AddDays(i):yyyy-MM-dd},catboost_v8,1,1,50.0,50.0,BALANCED,GREEN\n")) + "2026-02-10,catboost_v9,12";

    public void Dispose() => _temp.Dispose();
}

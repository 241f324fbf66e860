using System.Diagnostics;
using ExportFlows.Activities;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Xunit.Abstractions;

namespace ExportFlows.Tests.Adapters;

/// <summary>A job that never completes is waited for within a bound of its own (time and polls), then cancelled and named.</summary>
public sealed class BigQueryJobWaitTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeBigQueryServer _server = new() { IncompletePolls = int.MaxValue };
    private readonly TempFolder _temp = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private BigQueryWarehouse Warehouse(TimeSpan jobWait, int maxPolls) =>
        _server.Warehouse(new BigQueryOptions { Project = "test-project", PollInterval = TimeSpan.FromMilliseconds(1), JobWait = jobWait, MaxPolls = maxPolls });

    private static readonly WarehouseQuery Query = new("candidates", "SELECT * FROM {nba_predictions.player_prop_predictions}", [WarehouseTable.Predictions], []);

    private async Task<WarehouseException> GivesUpAsync(BigQueryWarehouse warehouse)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<WarehouseException>(() => warehouse.QueryAsync(Query)).WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"gave up after {watch.Elapsed.TotalMilliseconds:F0} ms and {_server.Requests.Count} requests: {error.Message}");
        Assert.StartsWith("BigQuery job job_1 of query 'candidates' did not complete: jobComplete was still false after ", error.Message, StringComparison.Ordinal);
        Assert.Contains("the job was cancelled and the export is retried", error.Message, StringComparison.Ordinal);
        Assert.Contains("look at the job in BigQuery (bq show -j job_1", error.Message, StringComparison.Ordinal);
        // Retried as a new job by the activity's policy: a job queued behind others may well run on a later attempt.
        Assert.Equal(ExportErrorTypes.Warehouse, ExportActivities.Classify(error));
        Assert.DoesNotContain(ExportErrorTypes.Warehouse, ExportErrorTypes.NonRetryable);
        var cancel = _server.Requests[^1];
        Assert.Equal(("POST", "/bigquery/v2/projects/test-project/jobs/job_1/cancel", "?location=US"), (cancel.Method, cancel.Path, cancel.Query));
        return error;
    }

    [Fact]
    public async Task QueryAsync_JobNeverCompletes_GivesUpAtMaxPollsNamingTheJob()
    {
        var error = await GivesUpAsync(Warehouse(TimeSpan.FromMinutes(10), maxPolls: 5));

        Assert.Contains(" s and 5 polls, the most one query waits (600 s or 5 polls: ExportFlows__BigQueryJobWait, ExportFlows__BigQueryMaxPolls)", error.Message, StringComparison.Ordinal);
        // jobs.query, five polls, jobs.cancel.
        Assert.Equal(["POST", "GET", "GET", "GET", "GET", "GET", "POST"], _server.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task QueryAsync_JobNeverCompletes_GivesUpAtTheWaitNamingTheJob()
    {
        var watch = Stopwatch.StartNew();

        var error = await GivesUpAsync(Warehouse(TimeSpan.FromMilliseconds(300), maxPolls: 1_000_000));

        Assert.Contains("the most one query waits (0.3 s or 1000000 polls: ExportFlows__BigQueryJobWait, ExportFlows__BigQueryMaxPolls)", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Options_Defaults_WithinTheShortestExportAttempt()
    {
        var options = new BigQueryOptions { Project = "p" };

        Assert.Equal((TimeSpan.FromSeconds(45), 90), (options.JobWait, options.MaxPolls));
        // Below the shortest start-to-close of a native export, so the bound (with its message) is what ends the wait.
        Assert.True(options.JobWait < ExportCatalog.Shipped.NativeTypes.Min(t => ExportCatalog.Shipped.Get(t).Policy.StartToClose));
    }

    [Fact]
    public async Task RunAsync_JobNeverCompletesInProcess_EveryAttemptEndsAtTheBoundNamingTheJob()
    {
        foreach (var table in WarehouseTable.All)
        {
            _server.Tables[table.QualifiedName] = table.Columns.Keys.ToArray();
        }
        using var harness = new ExportHarness(null, _temp.Sub("store"), new ExportFlowsOptions
        {
            Warehouse = "bigquery:test-project",
            BigQueryEndpoint = _server.BaseUri.ToString(),
            BigQueryJobWait = TimeSpan.FromMilliseconds(200),
            BigQueryMaxPolls = 3,
        });
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };
        var watch = Stopwatch.StartNew();

        var report = await harness.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), new DateTimeOffset(2026, 2, 10, 17, 0, 0, TimeSpan.Zero), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"bounded poll, in process (6 attempts of 0.2 s, backoff skipped): {watch.Elapsed.TotalMilliseconds:F0} ms");
        var signals = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.Warehouse, ExportCatalog.Shipped.Get("daily-signals").Policy.MaximumAttempts), (signals.Status, signals.ErrorType, signals.Attempts));
        Assert.Contains("did not complete: jobComplete was still false after", signals.Error, StringComparison.Ordinal);
        Assert.Equal(signals.Attempts - 1, delays.Count);
        Assert.Equal(signals.Attempts, _server.Requests.Count(r => r.Path.EndsWith("/cancel", StringComparison.Ordinal)));
        Assert.Empty(_temp.Files("store"));
    }
}

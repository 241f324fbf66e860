using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Adapters;

/// <summary>BigQuery's job statistics, the per-query budget, dry runs and table modification times, against the in-test server.</summary>
public sealed class BigQueryCostTests : IAsyncLifetime
{
    private const long MiB = FakeBigQueryServer.MiB;

    /// <summary>25 MiB and 5 bytes: processed as is, billed rounded up to 26 MiB.</summary>
    private const long PredictionsBytes = (25 * MiB) + 5;

    private readonly FakeBigQueryServer _server = new();

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _server.Schema.AddRange([("player_lookup", "STRING"), ("points", "INTEGER")]);
        _server.Rows.AddRange([["alpha", "20"], ["bravo", "31"], ["charlie", null]]);
        _server.TableBytes[WarehouseTable.Predictions.QualifiedName] = PredictionsBytes;
    }

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private static readonly RetryPolicy Retry = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    private BigQueryWarehouse Warehouse(long? budget = null) => new(
        new BigQueryOptions { Project = "test-project", BaseUri = _server.BaseUri, PageSize = 10, PollInterval = TimeSpan.FromMilliseconds(1), MaxBytesBilled = budget },
        new GoogleApiClient("BigQuery", GoogleApiResilience.HttpClient(Retry, TimeSpan.FromSeconds(30), NullLogger.Instance),
            new StaticTokenSource("test-token"), Retry, NullLogger.Instance),
        NullLogger<BigQueryWarehouse>.Instance);

    private static readonly WarehouseQuery Query = new("candidates",
        "SELECT player_lookup, points FROM {nba_predictions.player_prop_predictions} WHERE system_id = @model_id",
        [WarehouseTable.Predictions], [QueryParameter.String("model_id", "catboost_v9")]);

    private static async Task<ExportCost> MeasureAsync(Func<Task> body)
    {
        using var meter = ExportCostMeter.Start();
        await body();
        return meter.Total;
    }

    [Fact]
    public async Task QueryAsync_CompletedJob_RecordsItsStatistics()
    {
        var cost = await MeasureAsync(() => Warehouse().QueryAsync(Query));

        Assert.Equal(new ExportCost(ExportCost.BigQuery, 1, 3, PredictionsBytes, 26 * MiB, 1 + (PredictionsBytes / 1000), 0), cost with { JobIds = null });
        Assert.Equal(["job_1"], cost.JobIds);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_JobStillRunningAtFirst_ReadsBilledAndSlotsFromJobsGet()
    {
        _server.IncompletePolls = 1;

        var cost = await MeasureAsync(() => Warehouse().QueryAsync(Query));

        Assert.Equal((PredictionsBytes, 26 * MiB, 1 + (PredictionsBytes / 1000), 0), (cost.BytesProcessed, cost.BytesBilled, cost.SlotMs, cost.CacheHits));
        Assert.Equal(["POST", "GET", "GET"], _server.Requests.Select(r => r.Method));
        Assert.EndsWith("/projects/test-project/jobs/job_1", _server.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_SameQueryTablesUnchanged_CacheHitBillsNothing()
    {
        _server.QueryCache = true;
        var warehouse = Warehouse();

        var first = await MeasureAsync(() => warehouse.QueryAsync(Query));
        var second = await MeasureAsync(() => warehouse.QueryAsync(Query));

        Assert.Equal((26 * MiB, 0), (first.BytesBilled, first.CacheHits));
        Assert.Equal((0L, 0L, 1), (second.BytesProcessed, second.BytesBilled, second.CacheHits));
        Assert.Equal(3, second.RowsRead);
    }

    [Fact]
    public async Task QueryAsync_Budget_SentAsMaximumBytesBilledOfTheJob()
    {
        await Warehouse(budget: ExportFlowsOptions.DefaultMaxBytesBilledPerQuery).QueryAsync(Query);

        Assert.Equal("10737418240", _server.LastQueryBody!.Value.GetProperty("maximumBytesBilled").GetString());
    }

    [Fact]
    public async Task QueryAsync_OverBudget_FailsAtOnceWithQueryOverBudgetGivingEstimateAndBound()
    {
        var error = await Assert.ThrowsAsync<QueryOverBudgetException>(() => Warehouse(budget: 20 * MiB).QueryAsync(Query));

        Assert.Equal((26 * MiB, 20 * MiB), (error.Estimate, error.Budget));
        Assert.Equal("query 'candidates' would bill 26.0 MiB (27262976 bytes), more than the budget of 20.0 MiB (20971520 bytes) per query " +
            "(ExportFlows__MaxBytesBilledPerQuery); BigQuery refused it and billed nothing. Check whether the data really grew that much, then raise the budget, or fix the query",
            error.Message);
        Assert.Equal(ExportErrorTypes.QueryOverBudget, ExportActivities.Classify(error));
        Assert.Contains(ExportErrorTypes.QueryOverBudget, ExportErrorTypes.NonRetryable);
        Assert.Equal((1, 0), (_server.Refused, _server.Jobs));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_OverBudgetWithoutTheBytesInTheMessage_EstimateFromADryRun()
    {
        _server.OverBudgetMessage = "Query exceeded limit for bytes billed: 20971520.";

        var error = await Assert.ThrowsAsync<QueryOverBudgetException>(() => Warehouse(budget: 20 * MiB).QueryAsync(Query));

        Assert.Equal((PredictionsBytes, 20 * MiB), (error.Estimate, error.Budget));
        Assert.Equal((1, 1, 0), (_server.Refused, _server.DryRuns, _server.Jobs));
    }

    [Fact]
    public async Task EstimateBytesAsync_DryRun_BytesItWouldProcessWithoutAJob()
    {
        var bytes = await Warehouse(budget: 20 * MiB).EstimateBytesAsync(Query);

        Assert.Equal(PredictionsBytes, bytes);
        Assert.True(_server.LastQueryBody!.Value.GetProperty("dryRun").GetBoolean());
        Assert.Equal((1, 0), (_server.DryRuns, _server.Jobs));
    }

    [Fact]
    public async Task GetLastModifiedAsync_TablesGet_LastModifiedTimeOrNullWhenAbsent()
    {
        _server.Tables[WarehouseTable.Predictions.QualifiedName] = [.. WarehouseTable.Predictions.Columns.Keys];
        _server.Tables[WarehouseTable.DailySignals.QualifiedName] = [.. WarehouseTable.DailySignals.Columns.Keys];
        var modified = new DateTimeOffset(2026, 2, 10, 3, 12, 45, 123, TimeSpan.Zero);
        _server.TableModified[WarehouseTable.Predictions.QualifiedName] = modified;
        _server.TableModified[WarehouseTable.DailySignals.QualifiedName] = null;

        Assert.Equal(modified, await Warehouse().GetLastModifiedAsync(WarehouseTable.Predictions));
        Assert.Null(await Warehouse().GetLastModifiedAsync(WarehouseTable.DailySignals));
        await Assert.ThrowsAsync<MissingTableException>(() => Warehouse().GetLastModifiedAsync(WarehouseTable.SubsetDefinitions));
        Assert.Equal(0, _server.Jobs);
    }
}

using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Adapters;

public sealed class BigQueryWarehouseTests : IAsyncLifetime
{
    private readonly FakeBigQueryServer _server = new();

    public Task InitializeAsync() => _server.StartAsync();

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    private static readonly RetryPolicy Retry = new(4, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    private BigQueryWarehouse Warehouse(int pageSize = 2) => new(
        new BigQueryOptions { Project = "test-project", BaseUri = _server.BaseUri, PageSize = pageSize, PollInterval = TimeSpan.FromMilliseconds(1) },
        new GoogleApiClient("BigQuery", GoogleApiResilience.HttpClient(Retry, TimeSpan.FromSeconds(30), NullLogger.Instance),
            new StaticTokenSource("test-token"), Retry, NullLogger.Instance),
        NullLogger<BigQueryWarehouse>.Instance);

    private static WarehouseQuery Query => new("test", "SELECT * FROM {nba_predictions.player_prop_predictions} WHERE game_date = @game_date AND system_id = @model_id",
        [WarehouseTable.Predictions], [QueryParameter.Date("game_date", new DateOnly(2026, 2, 3)), QueryParameter.String("model_id", "catboost_v9"), QueryParameter.Int64("n", 10), QueryParameter.Bool("flag", true)]);

    private void FiveRows()
    {
        _server.Schema.AddRange([("game_date", "DATE"), ("player_lookup", "STRING"), ("points", "INTEGER"), ("line", "NUMERIC"), ("pct", "FLOAT"), ("is_active", "BOOLEAN")]);
        for (var i = 0; i < 5; i++)
        {
            _server.Rows.Add(["2026-02-03", $"player{i}", i == 4 ? null : $"{20 + i}", "24.5", "33.3", i % 2 == 0 ? "true" : "false"]);
        }
    }

    [Fact]
    public async Task QueryAsync_ThreePages_ReadsEveryRowDecodedBySchema()
    {
        FiveRows();
        var rows = await Warehouse(pageSize: 2).QueryAsync(Query);

        Assert.Equal(5, rows.Count);
        Assert.Equal(["player0", "player1", "player2", "player3", "player4"], rows.Select(r => r.GetString("player_lookup")));
        Assert.Equal(new DateOnly(2026, 2, 3), rows[0].GetDate("game_date"));
        Assert.Equal(21L, rows[1].GetInt64("points"));
        Assert.Null(rows[4].GetInt64("points"));
        Assert.Equal(24.5m, rows[0].GetDecimal("line"));
        Assert.Equal(33.3, rows[0].GetDouble("pct"));
        Assert.Equal([true, false, true, false, true], rows.Select(r => r.GetBool("is_active")!.Value));
        // One jobs.query, then getQueryResults for pages 2 and 3.
        Assert.Equal(["POST", "GET", "GET"], _server.Requests.Select(r => r.Method));
        Assert.All(_server.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
    }

    [Fact]
    public async Task QueryAsync_NamedParameters_SentTypedWithTableQualifiedByProject()
    {
        FiveRows();
        await Warehouse().QueryAsync(Query);

        var body = _server.LastQueryBody!.Value;
        Assert.Equal("NAMED", body.GetProperty("parameterMode").GetString());
        Assert.False(body.GetProperty("useLegacySql").GetBoolean());
        Assert.Contains("`test-project.nba_predictions.player_prop_predictions`", body.GetProperty("query").GetString(), StringComparison.Ordinal);
        Assert.Contains("@game_date", body.GetProperty("query").GetString(), StringComparison.Ordinal);
        var parameters = body.GetProperty("queryParameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (p.GetProperty("parameterType").GetProperty("type").GetString(), p.GetProperty("parameterValue").GetProperty("value").GetString()));
        Assert.Equal(("DATE", "2026-02-03"), parameters["game_date"]);
        Assert.Equal(("STRING", "catboost_v9"), parameters["model_id"]);
        Assert.Equal(("INT64", "10"), parameters["n"]);
        Assert.Equal(("BOOL", "true"), parameters["flag"]);
    }

    [Fact]
    public async Task QueryAsync_JobIncompleteTwice_PollsUntilComplete()
    {
        FiveRows();
        _server.IncompletePolls = 2;
        var rows = await Warehouse(pageSize: 10).QueryAsync(Query);

        Assert.Equal(5, rows.Count);
        // getQueryResults carries no bytes billed or slot-ms: jobs.get, last, reads them.
        Assert.Equal(["POST", "GET", "GET", "GET"], _server.Requests.Select(r => r.Method));
        Assert.EndsWith("/jobs/job_1", _server.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_503ThenSuccess_RetriesAndReturnsRows()
    {
        FiveRows();
        _server.QueryFailures.Enqueue((503, "backendError"));
        _server.QueryFailures.Enqueue((403, "rateLimitExceeded"));
        var rows = await Warehouse(pageSize: 10).QueryAsync(Query);

        Assert.Equal(5, rows.Count);
        Assert.Equal(3, _server.Requests.Count(r => r.Method == "POST"));
    }

    [Theory]
    [InlineData("backendError")]
    [InlineData("rateLimitExceeded")]
    public async Task QueryAsync_JobFailedWithRetryableReason_RunsTheJobAgain(string reason)
    {
        FiveRows();
        _server.JobFailures.Enqueue(reason);
        _server.JobFailures.Enqueue(reason);
        var rows = await Warehouse(pageSize: 10).QueryAsync(Query);

        Assert.Equal(5, rows.Count);
        Assert.Equal(3, _server.Requests.Count(r => r.Method == "POST"));
    }

    [Fact]
    public async Task QueryAsync_JobFailedWithInvalidQuery_NotRetried()
    {
        _server.JobFailures.Enqueue("invalidQuery");
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => Warehouse().QueryAsync(Query));

        Assert.False(error.Retryable);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_400InvalidQuery_SurfacesBigQueryMessageWithoutRetry()
    {
        _server.InvalidQueryMessage = "Unrecognized name: pointz at [1:8]";
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => Warehouse().QueryAsync(Query));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("invalidQuery", error.Reason);
        Assert.False(error.Retryable);
        Assert.Contains("Unrecognized name: pointz at [1:8]", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_PersistentUnavailable_GivesUpAfterMaxAttempts()
    {
        for (var i = 0; i < 10; i++)
        {
            _server.QueryFailures.Enqueue((503, "backendError"));
        }
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => Warehouse().QueryAsync(Query));

        Assert.True(error.Retryable);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Fact]
    public async Task VerifyTablesAsync_MissingTableOrColumn_NamesIt()
    {
        _server.Tables["nba_predictions.daily_prediction_signals"] = ["game_date", "system_id", "high_edge_picks", "pct_over", "skew_category"];
        var missingColumn = await Assert.ThrowsAsync<MissingTableException>(() => Warehouse().VerifyTablesAsync([WarehouseTable.DailySignals]));
        Assert.Contains("'daily_signal'", missingColumn.Message, StringComparison.Ordinal);

        var missingTable = await Assert.ThrowsAsync<MissingTableException>(() => Warehouse().VerifyTablesAsync([WarehouseTable.SubsetDefinitions]));
        Assert.Contains("test-project.nba_predictions.dynamic_subset_definitions", missingTable.Message, StringComparison.Ordinal);
    }
}

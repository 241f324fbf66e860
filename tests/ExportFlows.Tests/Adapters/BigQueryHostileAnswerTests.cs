using System.Text.Json.Nodes;
using ExportFlows.Activities;
using ExportFlows.Activities.Google;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Adapters;

/// <summary>Answers BigQuery does not give end in a named, non-retried failure, never an endless loop or an internal error.</summary>
public sealed class BigQueryHostileAnswerTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeBigQueryServer _server = new();
    private readonly TempFolder _temp = new();

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private BigQueryWarehouse Warehouse(int pageSize = 2, long maxRows = BigQueryOptions.DefaultMaxRows, int maxPages = BigQueryOptions.DefaultMaxPages) =>
        _server.Warehouse(new BigQueryOptions { Project = "test-project", PageSize = pageSize, PollInterval = TimeSpan.FromMilliseconds(1), MaxRows = maxRows, MaxPages = maxPages });

    private static readonly WarehouseQuery Query = new("candidates", "SELECT * FROM {nba_predictions.player_prop_predictions}", [WarehouseTable.Predictions], [])
    {
        RowKey = ["player_lookup", "game_date"],
    };

    private void FiveRows()
    {
        _server.Schema.AddRange([("game_date", "DATE"), ("player_lookup", "STRING"), ("points", "INTEGER"), ("line", "NUMERIC"), ("confidence_score", "FLOAT"), ("is_active", "BOOLEAN")]);
        for (var i = 0; i < 5; i++)
        {
            _server.Rows.Add(["2026-02-03", $"player{i}", $"{20 + i}", "24.5", i == 3 ? "1e308" : "80", "true"]);
        }
    }

    private async Task<GoogleApiException> RejectedAsync(BigQueryWarehouse warehouse)
    {
        var error = await Assert.ThrowsAsync<GoogleApiException>(() => warehouse.QueryAsync(Query)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(error.Retryable);
        Assert.Equal(ExportErrorTypes.ApiRejected, ExportActivities.Classify(error));
        return error;
    }

    [Fact]
    public async Task QueryAsync_AnswerRepeatsItsPageToken_FailsAtTheRepeat()
    {
        FiveRows();
        _server.Tamper = (page, _) =>
        {
            page["pageToken"] = "same";
            return page;
        };

        var error = await RejectedAsync(Warehouse(pageSize: 2));

        Assert.Contains("the answer to query 'candidates' (job job_1) repeats the page token 'same' of an earlier page (after page 2)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task QueryAsync_AnswerPagesWithoutEnd_StopsAtMaxPages()
    {
        FiveRows();
        _server.Tamper = (page, number) =>
        {
            page["pageToken"] = $"token{number}";
            page.Remove("totalRows");
            page["rows"] = new JsonArray();
            return page;
        };

        var error = await RejectedAsync(Warehouse(maxPages: 5));

        Assert.Contains("has more than the 5 pages a query may read (ExportFlows__BigQueryMaxPages)", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, _server.Requests.Count);
    }

    [Fact]
    public async Task QueryAsync_MoreRowsThanMaxRows_FailsBeforeReadingThem()
    {
        FiveRows();

        var announced = await RejectedAsync(Warehouse(pageSize: 2, maxRows: 3));
        Assert.Contains("holds 5 rows, more than the 3 a query may read (ExportFlows__BigQueryMaxRows)", announced.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);

        // An answer that hides its row count is stopped at the first row over the bound.
        _server.Tamper = (page, _) =>
        {
            page.Remove("totalRows");
            return page;
        };
        var hidden = await RejectedAsync(Warehouse(pageSize: 2, maxRows: 3));
        Assert.Contains("holds more than the 3 rows a query may read", hidden.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extra cell", "has row 1 with 7 cells where its schema has 6 columns")]
    [InlineData("number cell", "has row 1 whose column 'points' (INTEGER) holds a JSON Number, not a string")]
    [InlineData("unparsable cell", "has row 1 whose column 'game_date' (DATE) holds '2026-13-45', which is not a DATE")]
    [InlineData("array answer", "the answer to query 'candidates' is a JSON Array, not an object")]
    [InlineData("no jobReference", "the answer to query 'candidates' has no jobReference object")]
    [InlineData("numeric jobId", "the answer to query 'candidates' has no jobReference.jobId")]
    [InlineData("rows object", "has rows that are not an array")]
    [InlineData("row array", "has row 1 that is not an object with an array 'f' of cells")]
    [InlineData("no schema", "of a completed job has no schema object")]
    [InlineData("jobComplete text", "has a jobComplete that is String, not true or false")]
    [InlineData("pageToken number", "has a pageToken that is not a string")]
    public async Task QueryAsync_MalformedAnswer_RejectedNamingQueryAndProblem(string hostility, string expected)
    {
        FiveRows();
        _server.Tamper = (page, number) => number > 0 ? page : hostility switch
        {
            "extra cell" => Edit(page, p => p["rows"]![0]!["f"]!.AsArray().Add(new JsonObject { ["v"] = "extra" })),
            "number cell" => Edit(page, p => p["rows"]![0]!["f"]![2]!["v"] = 20),
            "unparsable cell" => Edit(page, p => p["rows"]![0]!["f"]![0]!["v"] = "2026-13-45"),
            "array answer" => new JsonArray(page.DeepClone()),
            "no jobReference" => Edit(page, p => p.Remove("jobReference")),
            "numeric jobId" => Edit(page, p => p["jobReference"]!["jobId"] = 7),
            "rows object" => Edit(page, p => p["rows"] = new JsonObject()),
            "row array" => Edit(page, p => p["rows"]![0] = new JsonArray("2026-02-03")),
            "no schema" => Edit(page, p => p.Remove("schema")),
            "jobComplete text" => Edit(page, p => p["jobComplete"] = "yes"),
            "pageToken number" => Edit(page, p => p["pageToken"] = 2),
            _ => throw new ArgumentOutOfRangeException(nameof(hostility)),
        };

        var error = await RejectedAsync(Warehouse());

        Assert.Equal(BigQueryAnswer.MalformedReason, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_AnswerNotJson_RejectedNotRetried()
    {
        _server.RawAnswer = "<html>proxy error</html>";

        var error = await RejectedAsync(Warehouse());

        Assert.Contains("the answer to POST /bigquery/v2/projects/test-project/queries is not JSON", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task QueryAsync_FloatBeyondDecimal_SameNamedDataErrorAsDuckDb()
    {
        FiveRows();
        var rows = await Warehouse(pageSize: 10).QueryAsync(Query);

        var error = Assert.Throws<InvalidWarehouseDataException>(() => rows[3].GetDecimal("confidence_score"));

        Assert.Equal("nba_predictions.player_prop_predictions.confidence_score", error.Column);
        Assert.Equal("player_lookup=player3, game_date=2026-02-03", error.RowKey);
        Assert.Contains("1E+308 is too large to be used", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HostileAnswerInProcess_OneAttemptGoogleApiRejectedNoInternalError()
    {
        foreach (var table in WarehouseTable.All)
        {
            _server.Tables[table.QualifiedName] = table.Columns.Keys.ToArray();
        }
        _server.Schema.AddRange([("game_date", "DATE"), ("daily_signal", "STRING"), ("pct_over", "FLOAT"), ("high_edge_picks", "INTEGER"), ("skew_category", "STRING")]);
        _server.Rows.Add(["2026-02-10", "GREEN", "40.0", "4", "BALANCED"]);
        _server.Tamper = (page, _) => Edit(page, p => p["rows"]![0]!["f"]!.AsArray().Add(new JsonObject { ["v"] = "extra" }));
        using var harness = new ExportHarness(null, _temp.Sub("store"), new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = _server.BaseUri.ToString() });
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };

        var report = await harness.Engine.RunAsync(new ExportRequest(["daily-signals"], "2026-02-10"), new DateTimeOffset(2026, 2, 10, 17, 0, 0, TimeSpan.Zero), CancellationToken.None);

        var signals = Assert.Single(report.Exports);
        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.ApiRejected, 1), (signals.Status, signals.ErrorType, signals.Attempts));
        Assert.Contains("the answer to query 'daily_signals' (job job_1) has row 1 with 6 cells where its schema has 5 columns", signals.Error, StringComparison.Ordinal);
        Assert.Empty(delays);
        Assert.Empty(_temp.Files("store"));
    }

    /// <summary>A complete answer of one row, as text: an escaped lone surrogate (<c>\ud800</c>) is valid JSON syntax that no serializer writes.</summary>
    private static string AnswerWith(string jobId = "job_1", string player = "alpha", string errors = "") =>
        $$"""{"kind":"bigquery#queryResponse","jobReference":{"projectId":"test-project","jobId":"{{jobId}}","location":"US"},"jobComplete":true,{{errors}}"totalRows":"1","schema":{"fields":[{"name":"game_date","type":"DATE"},{"name":"player_lookup","type":"STRING"}]},"rows":[{"f":[{"v":"2026-02-03"},{"v":"{{player}}"}]}]}""";

    [Theory]
    [InlineData("cell", "the answer to query 'candidates' (job job_1) has row 1 whose column 'player_lookup' (STRING) holds a string that is not valid Unicode (a lone UTF-16 surrogate)")]
    [InlineData("jobId", "the answer to query 'candidates' has a 'jobId' holding a string that is not valid Unicode (a lone UTF-16 surrogate)")]
    [InlineData("job error", "the answer to query 'candidates' (job job_1) has a 'message' holding a string that is not valid Unicode (a lone UTF-16 surrogate)")]
    public async Task QueryAsync_LoneSurrogate_RejectedAsMalformedNotRetried(string where, string expected)
    {
        _server.RawAnswer = where switch
        {
            "cell" => AnswerWith(player: "al\\ud800pha"),
            "jobId" => AnswerWith(jobId: "job_\\udc00"),
            _ => AnswerWith(errors: "\"errors\":[{\"reason\":\"backendError\",\"message\":\"\\ud800\"}],"),
        };

        var error = await RejectedAsync(Warehouse());

        Assert.Equal(BigQueryAnswer.MalformedReason, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData("""{"error":{"message":"\ud800","errors":[{"reason":"invalid"}]}}""")]
    [InlineData("""{"error":{"message":"bad","errors":[{"reason":7}]}}""")]
    public void ErrorBody_FieldThatIsNoText_ReadAsNoErrorBodySoTheRawTextIsShown(string body) =>
        Assert.Equal(new GoogleErrorBody(null, null), GoogleErrorBody.Parse(body));

    [Fact]
    public async Task RunAsync_LoneSurrogateInProcess_EveryExportFailsOnceAsGoogleApiRejected()
    {
        foreach (var table in WarehouseTable.All)
        {
            _server.Tables[table.QualifiedName] = table.Columns.Keys.ToArray();
        }
        _server.RawAnswer = AnswerWith(player: "\\ud800");
        using var harness = new ExportHarness(null, _temp.Sub("store"), new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = _server.BaseUri.ToString() });
        var delays = new List<TimeSpan>();
        harness.Engine.Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; };
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var report = await harness.Engine.RunAsync(new ExportRequest(["subset-picks", "subset-performance"], "2026-02-10", "2026-02-10"),
            new DateTimeOffset(2026, 2, 10, 17, 0, 0, TimeSpan.Zero), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        output.WriteLine($"lone surrogate, in process: {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(2, report.Exports.Count);
        Assert.All(report.Exports, e =>
        {
            Assert.Equal((ExportStatus.Failed, ExportErrorTypes.ApiRejected, 1), (e.Status, e.ErrorType, e.Attempts));
            Assert.Contains("holds a string that is not valid Unicode (a lone UTF-16 surrogate)", e.Error, StringComparison.Ordinal);
        });
        Assert.Empty(delays);
        Assert.DoesNotContain(harness.Logs.Messages, m => m.Contains('\n', StringComparison.Ordinal));
        Assert.Empty(_temp.Files("store"));
    }

    private static JsonObject Edit(JsonObject page, Action<JsonObject> edit)
    {
        edit(page);
        return page;
    }
}

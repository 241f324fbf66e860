using System.Text.Json;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Cli;

/// <summary>
/// What exports cost on BigQuery (the in-test server executing the real queries on the sample season), as the
/// command line reports it: per export and in total, the budget's refusal, and the dry-run estimate.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class CostCliTests : IAsyncLifetime
{
    private const long MiB = FakeBigQueryServer.MiB;
    private const long Predictions = 300 * MiB, Summary = 40 * MiB, Context = 20 * MiB, Registry = 512 * 1024, Signals = 2 * MiB, Definitions = 1024;

    /// <summary>Every table whole, billed at least 10 MiB each: the in-test server's model of BigQuery's on-demand billing.</summary>
    private const long CandidatesProcessed = Predictions + Summary + Context + Registry, CandidatesBilled = Predictions + Summary + Context + (10 * MiB);

    private readonly TempFolder _temp = new();
    private readonly DuckDbWarehouse _backend = new(ExportHarness.SampleWarehouse, NullLogger<DuckDbWarehouse>.Instance);
    private FakeBigQueryServer _server = null!;

    private string Out => _temp.Sub("out");

    public async Task InitializeAsync()
    {
        _server = new FakeBigQueryServer { Backend = _backend };
        await _server.StartAsync();
        foreach (var (table, bytes) in new[] { (WarehouseTable.Predictions, Predictions), (WarehouseTable.PlayerGameSummary, Summary),
            (WarehouseTable.UpcomingGameContext, Context), (WarehouseTable.PlayersRegistry, Registry), (WarehouseTable.DailySignals, Signals), (WarehouseTable.SubsetDefinitions, Definitions) })
        {
            _server.TableBytes[table.QualifiedName] = bytes;
        }
        Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", _server.BaseUri.ToString());
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable("ExportFlows__BigQueryEndpoint", null);
        Environment.SetEnvironmentVariable("ExportFlows__MaxBytesBilledPerQuery", null);
        await _server.DisposeAsync();
        _backend.Dispose();
        _temp.Dispose();
    }

    private Task<CliResult> ExportAsync(params string[] extra) => CliRunner.RunAsync(
        [.. new[] { "export", "--in-process", "--types", "subset-definitions,subset-performance", "--as-of", "2026-01-20", "--now", "2026-01-20T15:00:00Z",
            "--warehouse", "bigquery:test-project", "--store", "dir:" + Out }, .. extra]);

    private static JsonElement Cost(JsonElement export) => export.GetProperty("cost");

    private static (int Queries, long Processed, long Billed) Figures(JsonElement cost) =>
        (cost.GetProperty("queries").GetInt32(), cost.GetProperty("bytes_processed").GetInt64(), cost.GetProperty("bytes_billed").GetInt64());

    [Fact]
    public async Task Export_BigQueryJson_BytesProcessedAndBilledPerExportAndInTotal()
    {
        var result = await ExportAsync("--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var exports = report.RootElement.GetProperty("exports");
        Assert.Equal((1, Definitions, 10 * MiB), Figures(Cost(exports[0])));
        // season start (predictions), definitions, candidates, signals.
        Assert.Equal((4, Predictions + Definitions + CandidatesProcessed + Signals, Predictions + (10 * MiB) + CandidatesBilled + (10 * MiB)), Figures(Cost(exports[1])));
        Assert.Equal((5, (2 * Definitions) + Predictions + CandidatesProcessed + Signals, Predictions + (30 * MiB) + CandidatesBilled), Figures(report.RootElement.GetProperty("cost")));
        var performance = Cost(exports[1]);
        Assert.Equal(("bigquery", 0), (performance.GetProperty("source").GetString(), performance.GetProperty("cache_hits").GetInt32()));
        Assert.Equal(4, performance.GetProperty("job_ids").GetArrayLength());
        Assert.True(performance.GetProperty("slot_ms").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, performance.GetProperty("file_bytes_read").ValueKind);
        Assert.Equal(5, _server.Jobs);
    }

    [Fact]
    public async Task Export_BigQueryTable_QueriesProcessedAndBilledColumnsAndACostLine()
    {
        var result = await ExportAsync();

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^TYPE +OBJECT +BYTES +DURATION +ATTEMPTS +QUERIES +PROCESSED +BILLED +STATUS$", lines[0]);
        // The whole report on a mismatch: the line alone is cut short by the assertion.
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(lines[1], @"^subset-definitions +v1/systems/subsets\.json +\d+ +[0-9.]+s +1 +1 +1\.0 KiB +10\.0 MiB +succeeded$"), result.Output);
        Assert.StartsWith("cost: 5 BigQuery job(s): 662.5 MiB processed, 700.0 MiB billed, ", lines[3], StringComparison.Ordinal);
        Assert.EndsWith("(BigQuery's job statistics)", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_QueryOverBudget_FailsAtOnceByNameWithEstimateAndBound()
    {
        Environment.SetEnvironmentVariable("ExportFlows__MaxBytesBilledPerQuery", (20 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await ExportAsync("--json");

        Assert.Equal(1, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var performance = report.RootElement.GetProperty("exports")[1];
        Assert.Equal(("failed", "QueryOverBudget", 1), (performance.GetProperty("status").GetString(), performance.GetProperty("errorType").GetString(), performance.GetProperty("attempts").GetInt32()));
        Assert.Contains("error: subset-performance: query 'season_start' would bill 300.0 MiB (314572800 bytes), more than the budget of 20.0 MiB (20971520 bytes) per query (ExportFlows__MaxBytesBilledPerQuery)",
            result.Error, StringComparison.Ordinal);
        Assert.Equal("succeeded", report.RootElement.GetProperty("exports")[0].GetProperty("status").GetString());
        Assert.Equal(1, _server.Refused);
    }

    [Fact]
    public async Task Export_BudgetBelowTenMiB_ExitTwoNamingTheSetting()
    {
        Environment.SetEnvironmentVariable("ExportFlows__MaxBytesBilledPerQuery", "1000");

        var result = await ExportAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: invalid ExportFlows__MaxBytesBilledPerQuery 1000: expected a number of bytes of at least 10485760", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, _server.Jobs);
    }

    [Fact]
    public async Task Export_Estimate_DryRunBytesPerExportAndTotalNothingRunOrWritten()
    {
        var result = await CliRunner.RunAsync("export", "--estimate", "--json", "--date", "2026-01-20", "--as-of", "2026-01-20",
            "--warehouse", "bigquery:test-project", "--store", "dir:" + Out);

        Assert.Equal(0, result.ExitCode);
        using var estimate = JsonDocument.Parse(result.Output);
        var exports = estimate.RootElement.GetProperty("exports").EnumerateArray()
            .ToDictionary(e => e.GetProperty("type").GetString()!, e => (Cost(e).GetProperty("queries").GetInt32(), Cost(e).GetProperty("bytes_processed").GetInt64()));
        Assert.Equal((3, Definitions + CandidatesProcessed + Signals), exports["subset-picks"]);
        Assert.Equal((1, Signals), exports["daily-signals"]);
        Assert.Equal((4, Predictions + Definitions + CandidatesProcessed + Signals), exports["subset-performance"]);
        Assert.Equal((1, Definitions), exports["subset-definitions"]);
        var total = estimate.RootElement.GetProperty("total");
        Assert.Equal((9, exports.Values.Sum(e => e.Item2)), (total.GetProperty("queries").GetInt32(), total.GetProperty("bytes_processed").GetInt64()));
        Assert.Equal((9, 0), (_server.DryRuns, _server.Jobs));
        Assert.Empty(_temp.Files("out"));
    }

    [Fact]
    public async Task Export_EstimateTable_RowPerTypeTotalAndWhatItMeans()
    {
        var result = await CliRunner.RunAsync("export", "--estimate", "--types", "subset-definitions", "--warehouse", "bigquery:test-project");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["TYPE                QUERIES  BYTES PROCESSED (ESTIMATE)", "subset-definitions  1        1.0 KiB (1024 bytes)", "total               1        1.0 KiB (1024 bytes)"], lines[..3]);
        Assert.StartsWith("estimated with BigQuery dry runs on bigquery:test-project: nothing ran, nothing was written or billed.", lines[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("duckdb", "'duckdb:")]
    [InlineData(null, "the embedded sample warehouse (DuckDB)")]
    public async Task Export_EstimateWithoutBigQuery_ExitTwoSaysAnEstimateNeedsBigQuery(string? warehouse, string named)
    {
        string[] args = warehouse is null
            ? ["export", "--estimate", "--store", "dir:" + Out]
            : ["export", "--estimate", "--warehouse", "duckdb:" + ExportHarness.SampleWarehouse, "--store", "dir:" + Out];

        var result = await CliRunner.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: an estimate needs BigQuery: it sends every query as a BigQuery dry run", result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.Empty(_temp.Files());
    }

    [Fact]
    public async Task Backfill_Estimate_SharedSpanReadsAndFixedPathDocumentsPerDate()
    {
        var result = await CliRunner.RunAsync("backfill", "--estimate", "--json", "--from", "2026-01-01", "--to", "2026-01-03",
            "--types", "subset-picks,daily-signals,subset-definitions", "--allow-fixed-paths", "--warehouse", "bigquery:test-project", "--store", "dir:" + Out);

        Assert.Equal(0, result.ExitCode);
        using var estimate = JsonDocument.Parse(result.Output);
        var rows = estimate.RootElement.GetProperty("exports").EnumerateArray()
            .Select(e => (e.GetProperty("type").GetString(), Cost(e).GetProperty("queries").GetInt32(), Cost(e).GetProperty("bytes_processed").GetInt64())).ToList();
        Assert.Equal([("subset-picks,daily-signals", 3, Definitions + CandidatesProcessed + Signals), ("subset-definitions", 3, 3 * Definitions)], rows);
        Assert.Equal((6, 0), (_server.DryRuns, _server.Jobs));
        Assert.Empty(_temp.Files());
    }
}

using DuckDB.NET.Data;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Adapters;

public sealed class DuckDbWarehouseTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Exporters_ParquetTables_SameDocumentsAsCsv()
    {
        var parquet = _temp.Sub("parquet");
        Directory.CreateDirectory(parquet);
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            foreach (var table in WarehouseTable.All)
            {
                using var command = connection.CreateCommand();
                var csv = Path.Combine(ExportHarness.HandFixture, table.QualifiedName + ".csv");
                var types = string.Join(", ", table.Columns.Select(c => $"'{c.Key}': '{c.Value}'"));
                command.CommandText = $"COPY (SELECT * FROM read_csv('{csv}', header = true, types = {{{types}}})) TO '{Path.Combine(parquet, table.QualifiedName + ".parquet")}' (FORMAT parquet)";
                command.ExecuteNonQuery();
            }
        }
        Assert.Empty(Directory.GetFiles(parquet, "*.csv"));
        using var harness = new ExportHarness(parquet, _temp.Sub("out"));
        var generatedAt = new DateTimeOffset(2026, 2, 10, 17, 30, 0, TimeSpan.Zero);
        var date = new DateOnly(2026, 2, 10);

        await harness.Exporter<SubsetPicksExporter>().ExportAsync(new ExportJob("subset-picks", date, null, generatedAt), 1, CancellationToken.None);
        await harness.Exporter<SubsetPerformanceExporter>().ExportAsync(new ExportJob("subset-performance", null, date, generatedAt), 1, CancellationToken.None);

        Assert.Equal(ExportHarness.Expected("picks-2026-02-10.json"), await File.ReadAllTextAsync(_temp.Sub("out/v1/picks/2026-02-10.json")));
        Assert.Equal(ExportHarness.Expected("performance-2026-02-10.json"), await File.ReadAllTextAsync(_temp.Sub("out/v1/subsets/performance.json")));
    }

    [Fact]
    public void Constructor_MissingFolder_SaysHowToCreateIt()
    {
        var error = Assert.Throws<MissingTableException>(() => new DuckDbWarehouse(_temp.Sub("nowhere"), NullLogger<DuckDbWarehouse>.Instance));
        Assert.Contains("exportflows sample-data --out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_NullsBooleansDates_Typed()
    {
        using var warehouse = new DuckDbWarehouse(ExportHarness.HandFixture, NullLogger<DuckDbWarehouse>.Instance);
        var rows = await warehouse.QueryAsync(new WarehouseQuery("t",
            "SELECT player_lookup, points, game_date FROM {nba_analytics.player_game_summary} WHERE game_date = @d ORDER BY player_lookup",
            [WarehouseTable.PlayerGameSummary], [QueryParameter.Date("d", new DateOnly(2026, 2, 9))]));

        Assert.Equal(["kilo", "lima", "mike", "november"], rows.Select(r => r.GetString("player_lookup")));
        Assert.Equal([25L, 20L, 20L, null], rows.Select(r => r.GetInt64("points")));
        Assert.All(rows, r => Assert.Equal(new DateOnly(2026, 2, 9), r.GetDate("game_date")));
    }

    private static WarehouseQuery PointsOn(DateOnly date) => new("t",
        "SELECT SUM(points) AS total FROM {nba_analytics.player_game_summary} WHERE game_date = @d",
        [WarehouseTable.PlayerGameSummary], [QueryParameter.Date("d", date)]);

    [Fact]
    public async Task QueryAsync_ManyQueries_ParsesEachFileOnce()
    {
        using var warehouse = new DuckDbWarehouse(ExportHarness.HandFixture, NullLogger<DuckDbWarehouse>.Instance);
        for (var i = 0; i < 20; i++)
        {
            await warehouse.QueryAsync(PointsOn(new DateOnly(2026, 2, 9)));
        }
        await warehouse.VerifyTablesAsync(WarehouseTable.All);

        Assert.Equal(1, warehouse.Loads);
    }

    [Fact]
    public async Task QueryAsync_FileChangedBetweenQueries_NextQuerySeesIt()
    {
        var folder = _temp.CopyOfTables(ExportHarness.HandFixture, "copy");
        using var warehouse = new DuckDbWarehouse(folder, NullLogger<DuckDbWarehouse>.Instance);
        var date = new DateOnly(2026, 2, 9);
        Assert.Equal(65L, (await warehouse.QueryAsync(PointsOn(date)))[0].GetInt64("total"));

        var file = Path.Combine(folder, WarehouseTable.PlayerGameSummary.QualifiedName + ".csv");
        var header = File.ReadLines(file).First();
        var columns = header.Split(',');
        var row = string.Join(",", columns.Select(c => c switch
        {
            "player_lookup" => "zulu",
            "game_date" => "2026-02-09",
            "points" => "7",
            "team_abbr" => "BOS",
            "opponent_team_abbr" => "NYK",
            _ => "",
        }));
        await File.AppendAllTextAsync(file, row + "\n");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(72L, (await warehouse.QueryAsync(PointsOn(date)))[0].GetInt64("total"));
        Assert.Equal(2, warehouse.Loads);
    }

    [Fact]
    public async Task QueryAsync_ConcurrentQueries_AllAnswerCorrectly()
    {
        using var warehouse = new DuckDbWarehouse(ExportHarness.HandFixture, NullLogger<DuckDbWarehouse>.Instance);
        var date = new DateOnly(2026, 2, 9);
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => warehouse.QueryAsync(PointsOn(date)))));

        Assert.All(answers, rows => Assert.Equal(65L, rows[0].GetInt64("total")));
        Assert.Equal(1, warehouse.Loads);
    }

    [Fact]
    public async Task QueryAsync_KeepOnlySystem_OtherSystemsRowsNotLoaded()
    {
        var count = new WarehouseQuery("t", "SELECT system_id, COUNT(*) AS n FROM {nba_predictions.player_prop_predictions} GROUP BY system_id ORDER BY system_id",
            [WarehouseTable.Predictions], []);
        using var all = new DuckDbWarehouse(ExportHarness.HandFixture, NullLogger<DuckDbWarehouse>.Instance);
        using var model = new DuckDbWarehouse(ExportHarness.HandFixture, NullLogger<DuckDbWarehouse>.Instance) { KeepOnlySystem = "catboost_v9" };

        Assert.Equal([("catboost_v8", 1L), ("catboost_v9", 19L)], (await all.QueryAsync(count)).Select(r => (r.GetString("system_id")!, r.GetInt64("n")!.Value)));
        Assert.Equal([("catboost_v9", 19L)], (await model.QueryAsync(count)).Select(r => (r.GetString("system_id")!, r.GetInt64("n")!.Value)));
    }

    private static readonly WarehouseQuery SignalSystems = new("t", "SELECT DISTINCT system_id FROM {nba_predictions.daily_prediction_signals} ORDER BY system_id",
        [WarehouseTable.DailySignals], []);

    [Theory]
    [InlineData("wh[ab]", "wha")]
    [InlineData("wh*", "whz")]
    [InlineData("wh?", "whz")]
    [InlineData("[w]h", "wh")]
    [InlineData("wh]", "wh")]
    [InlineData("wh{a,b}", "wha")]
    [InlineData("wh{x}", "whx")]
    public async Task QueryAsync_FolderNameWithGlobCharacters_ReadsThatFolderLiterally(string name, string decoy)
    {
        var parent = _temp.Sub(Guid.NewGuid().ToString("N"));
        var folder = _temp.CopyOfTables(ExportHarness.HandFixture, Path.Combine(parent, name));
        // A sibling the name would match as a pattern, whose signals belong to another system.
        var sibling = _temp.CopyOfTables(ExportHarness.HandFixture, Path.Combine(parent, decoy));
        var signals = Path.Combine(sibling, WarehouseTable.DailySignals.QualifiedName + ".csv");
        File.WriteAllText(signals, File.ReadAllText(signals).Replace("catboost_v", "decoy_v", StringComparison.Ordinal));
        using var warehouse = new DuckDbWarehouse(folder, NullLogger<DuckDbWarehouse>.Instance);

        var systems = await warehouse.QueryAsync(SignalSystems);

        Assert.Equal(["catboost_v8", "catboost_v9"], systems.Select(r => r.GetString("system_id")));
    }

    [Fact]
    public async Task Exporters_WarehouseFolderNamedLikeAPattern_PublishesItsOwnSignals()
    {
        var parent = _temp.Sub("data");
        var folder = _temp.CopyOfTables(ExportHarness.HandFixture, Path.Combine(parent, "wh[ab]"));
        var sibling = _temp.CopyOfTables(ExportHarness.HandFixture, Path.Combine(parent, "wha"));
        var signals = Path.Combine(sibling, WarehouseTable.DailySignals.QualifiedName + ".csv");
        File.WriteAllText(signals, File.ReadAllText(signals).Replace(",GREEN", ",RED", StringComparison.Ordinal));
        using var harness = new ExportHarness(folder, _temp.Sub("out"));

        await harness.Exporter<DailySignalsExporter>().ExportAsync(new ExportJob("daily-signals", new DateOnly(2026, 2, 10), null, new DateTimeOffset(2026, 2, 10, 17, 30, 0, TimeSpan.Zero)), 1, CancellationToken.None);

        Assert.Equal(ExportHarness.Expected("signals-2026-02-10.json"), await File.ReadAllTextAsync(_temp.Sub("out/v1/signals/2026-02-10.json")));
    }

    [Fact]
    public void Constructor_BackslashAndGlobCharacterOnUnix_RefusedSayingWhy()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // a backslash separates folders there
        }
        var folder = _temp.Sub("a\\b[1]");
        Directory.CreateDirectory(folder);

        var error = Assert.Throws<MissingTableException>(() => new DuckDbWarehouse(folder, NullLogger<DuckDbWarehouse>.Instance));

        Assert.Contains("holds a backslash and one of * ? [, which DuckDB cannot read literally", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}

using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Adapters;

/// <summary>What the embedded warehouse reports of its own cost: rows and table-file bytes parsed, never bytes billed.</summary>
public sealed class DuckDbCostTests : IDisposable
{
    private readonly TempFolder _temp = new();

    private static readonly WarehouseQuery Query = new("t", "SELECT player_lookup FROM {nba_analytics.player_game_summary} WHERE game_date = @d",
        [WarehouseTable.PlayerGameSummary], [QueryParameter.Date("d", new DateOnly(2026, 2, 9))]);

    [Fact]
    public async Task QueryAsync_FileParsedOnceThenChanged_FileBytesOnlyWhenParsed()
    {
        var folder = _temp.CopyOfTables(ExportHarness.HandFixture);
        var file = Path.Combine(folder, "nba_analytics.player_game_summary.csv");
        using var warehouse = new DuckDbWarehouse(folder, NullLogger<DuckDbWarehouse>.Instance);

        async Task<ExportCost> MeasureAsync()
        {
            using var meter = ExportCostMeter.Start();
            await warehouse.QueryAsync(Query);
            return meter.Total;
        }

        var first = await MeasureAsync();
        var second = await MeasureAsync();
        await File.AppendAllTextAsync(file, "zulu,2026-02-09,BOS,MIA,12\n");
        var changed = await MeasureAsync();

        Assert.Equal(new ExportCost(ExportCost.DuckDb, 1, 4, FileBytesRead: new FileInfo(file).Length - 27), first);
        Assert.Equal(new ExportCost(ExportCost.DuckDb, 1, 4, FileBytesRead: 0), second);
        Assert.Equal(new ExportCost(ExportCost.DuckDb, 1, 5, FileBytesRead: new FileInfo(file).Length), changed);
        Assert.All(new[] { first, second, changed }, c => Assert.Null(c.BytesBilled));
    }

    [Fact]
    public async Task GetLastModifiedAsync_TableFile_ItsModificationTimeOrNullWithoutFile()
    {
        var folder = _temp.CopyOfTables(ExportHarness.HandFixture);
        var at = new DateTime(2026, 2, 10, 3, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "nba_analytics.player_game_summary.csv"), at);
        File.Delete(Path.Combine(folder, "nba_predictions.daily_prediction_signals.csv"));
        using var warehouse = new DuckDbWarehouse(folder, NullLogger<DuckDbWarehouse>.Instance);

        Assert.Equal(new DateTimeOffset(at), await warehouse.GetLastModifiedAsync(WarehouseTable.PlayerGameSummary));
        Assert.Null(await warehouse.GetLastModifiedAsync(WarehouseTable.DailySignals));
    }

    public void Dispose() => _temp.Dispose();
}

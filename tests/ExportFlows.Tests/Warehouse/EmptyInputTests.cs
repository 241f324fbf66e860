using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Warehouse;

/// <summary>An input table emptied after publishing never blanks performance.json or a picks document (EmptyInput, unless allowed).</summary>
public sealed class EmptyInputTests : IDisposable
{
    private static readonly DateOnly D = new(2026, 2, 10);
    private static readonly DateTimeOffset Five = new(2026, 2, 10, 17, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    private static void KeepHeaderOnly(string warehouse, string table)
    {
        var path = Path.Combine(warehouse, table + ".csv");
        File.WriteAllText(path, File.ReadLines(path).First() + "\n");
    }

    [Theory]
    [InlineData("nba_predictions.player_prop_predictions", "nba_predictions.player_prop_predictions has no publishable prediction of the model between 2026-01-12 and 2026-02-10")]
    [InlineData("nba_analytics.player_game_summary", "nba_analytics.player_game_summary has no result for any of the model's 3 predictions between 2026-01-10 and 2026-02-10")]
    public async Task RunAsync_PerformanceInputEmptiedAfterPublishing_RefusedNamingTheTable(string table, string reason)
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var store = _temp.Sub("store");
        var request = new ExportRequest(["subset-performance"], null, "2026-02-10");
        using (var before = new ExportHarness(warehouse, store))
        {
            Assert.True((await before.Engine.RunAsync(request, Five, CancellationToken.None)).Succeeded);
        }
        var published = await File.ReadAllBytesAsync(Path.Combine(store, "v1/subsets/performance.json"));
        KeepHeaderOnly(warehouse, table);
        using var after = new ExportHarness(warehouse, store);

        var refused = Assert.Single((await after.Engine.RunAsync(request, Five.AddHours(1), CancellationToken.None)).Exports);

        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.EmptyInput, 1), (refused.Status, refused.ErrorType, refused.Attempts));
        Assert.True(refused.Error!.Contains(reason, StringComparison.Ordinal), refused.Error);
        Assert.Equal(published, await File.ReadAllBytesAsync(Path.Combine(store, "v1/subsets/performance.json")));

        var allowed = Assert.Single((await after.Engine.RunAsync(request with { AllowEmpty = true }, Five.AddHours(1), CancellationToken.None)).Exports);
        Assert.Equal(ExportStatus.Succeeded, allowed.Status);
        Assert.Contains("\"picks\": 0", File.ReadAllText(Path.Combine(store, "v1/subsets/performance.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SignalsEmptiedWhileEverySubsetNeedsOne_PicksRefusedNamingTheTable()
    {
        var warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        var definitions = Path.Combine(warehouse, "nba_predictions.dynamic_subset_definitions.csv");
        // Every subset of the model needs a GREEN day (the fixture's 2026-02-10 is GREEN).
        File.WriteAllLines(definitions, File.ReadAllLines(definitions).Select((line, i) => i == 0 ? line : line.Replace(",ANY,", ",GREEN,", StringComparison.Ordinal).Replace(",85,,,,", ",85,GREEN,,,", StringComparison.Ordinal)));
        var store = _temp.Sub("store");
        var request = new ExportRequest(["subset-picks"], "2026-02-10");
        using (var before = new ExportHarness(warehouse, store))
        {
            Assert.True((await before.Engine.RunAsync(request, Five, CancellationToken.None)).Succeeded);
        }
        Assert.Contains("\"player\"", File.ReadAllText(Path.Combine(store, "v1/picks/2026-02-10.json")), StringComparison.Ordinal);
        KeepHeaderOnly(warehouse, "nba_predictions.daily_prediction_signals");
        using var after = new ExportHarness(warehouse, store);

        var refused = Assert.Single((await after.Engine.RunAsync(request, Five.AddHours(1), CancellationToken.None)).Exports);

        Assert.Equal((ExportStatus.Failed, ExportErrorTypes.EmptyInput), (refused.Status, refused.ErrorType));
        Assert.Contains("nba_predictions.daily_prediction_signals has no row of the model for 2026-02-10, and no subset selects a pick without it", refused.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}

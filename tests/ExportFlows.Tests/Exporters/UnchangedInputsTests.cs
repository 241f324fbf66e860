using System.Text.Json;
using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.PubSub;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportFlows.Tests.Exporters;

/// <summary>
/// Each decision of the rule that rebuilds a fixed-path document only when its inputs changed: skipped (no query, the
/// store records the confirmation) while every input table is older than the document's read, rebuilt on a change, on
/// --force, on another as-of date, without the flag, and whenever a table's time or the document's read is unknown.
/// </summary>
public sealed class UnchangedInputsTests : IDisposable
{
    private static readonly DateTimeOffset TablesWritten = new(2026, 2, 10, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ThreeAm = new(2026, 2, 10, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly AsOf = new(2026, 2, 10);
    private const string Performance = "v1/subsets/performance.json";

    private readonly TempFolder _temp = new();
    private readonly ManualClock _clock = new(ThreeAm);
    private readonly string _warehouse;
    private readonly ExportHarness _harness;

    public UnchangedInputsTests()
    {
        _warehouse = _temp.CopyOfTables(ExportHarness.HandFixture);
        foreach (var table in WarehouseTable.All)
        {
            Touch(table, TablesWritten);
        }
        _harness = new ExportHarness(_warehouse, _temp.Sub("out"), clock: _clock);
    }

    private void Touch(WarehouseTable table, DateTimeOffset at) =>
        File.SetLastWriteTimeUtc(Path.Combine(_warehouse, table.QualifiedName + ".csv"), at.UtcDateTime);

    private ExportJob Job(string type = "subset-performance", DateOnly? asOf = null, bool force = false, bool skip = true) =>
        new(type, null, type == "subset-performance" ? asOf ?? AsOf : null, _clock.GetUtcNow(), Force: force) { SkipWhenInputsUnchanged = skip };

    private async Task<ExportOutcome> RunAsync(ExportJob job) =>
        ExportReportBuilder.Success(await _harness.Activities.RunAsync(ExportCatalog.Shipped.Get(job.Type), job, 1, CancellationToken.None), 1, TimeSpan.Zero);

    private Task<UnchangedVerdict> DecideAsync(ExportJob job) =>
        _harness.Unchanged.DecideAsync(job, Performance, _harness.Exporter<SubsetPerformanceExporter>().SourcesOf(job), CancellationToken.None);

    private Task<ObjectMetadata?> PublishedAsync(string name = Performance) => _harness.Store.GetMetadataAsync(name);

    private async Task<string> GeneratedAtAsync(string name = Performance)
    {
        using var doc = JsonDocument.Parse(await File.ReadAllBytesAsync(_harness.Store.PathOf(name)));
        return doc.RootElement.GetProperty("generated_at").GetString()!;
    }

    /// <summary>The first run at 3 AM, then the clock an hour later.</summary>
    private async Task<ObjectMetadata> PublishedAtThreeAsync(string type = "subset-performance")
    {
        Assert.Equal(ExportStatus.Succeeded, (await RunAsync(Job(type))).Status);
        _clock.Advance(TimeSpan.FromHours(1));
        return (await PublishedAsync(type == "subset-performance" ? Performance : "v1/systems/subsets.json"))!;
    }

    [Fact]
    public async Task RunAsync_NoDocumentYet_BuiltWithTheTimeAndKeyOfItsRead()
    {
        var outcome = await RunAsync(Job());

        Assert.Equal(ExportStatus.Succeeded, outcome.Status);
        Assert.Equal(4, outcome.Cost!.Queries);
        var inputs = (await PublishedAsync())!.Inputs!;
        Assert.Equal(ThreeAm, inputs.ReadAt);
        Assert.Matches("^v2;warehouse=[0-9a-f]{12};models=[0-9a-f]{12};subsets=[0-9a-f]{12};row=[0-9a-f]{12};store=[0-9a-f]{12};" +
            "as_of=2026-02-10;target=-;model=[0-9a-f]{12};season_start=-;build=[0-9a-f]{12}$", inputs.Key);
    }

    [Fact]
    public async Task RunAsync_InputsUnchanged_SkippedWithoutAQueryAndConfirmedInTheStore()
    {
        var published = await PublishedAtThreeAsync();
        var bytes = await File.ReadAllBytesAsync(_harness.Store.PathOf(Performance));

        var outcome = await RunAsync(Job());

        Assert.Equal(ExportStatus.Skipped, outcome.Status);
        Assert.Equal("inputs unchanged since 2026-02-10T03:00:00Z, when the published document was computed; newest input change: " +
            "nba_predictions.player_prop_predictions at 2026-02-10T02:00:00Z; confirmed current at 2026-02-10T04:00:00Z", outcome.Error);
        Assert.Equal(ExportCost.Nothing, outcome.Cost);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(_harness.Store.PathOf(Performance)));
        var after = (await PublishedAsync())!;
        Assert.Equal((published.Generation, published.GeneratedAt, (DateTimeOffset?)ThreeAm.AddHours(1)), (after.Generation, after.GeneratedAt, after.ConfirmedAt));
        Assert.Equal("2026-02-10T03:00:00.000000+00:00", await GeneratedAtAsync());
    }

    [Fact]
    public async Task RunAsync_InputTableChangedAfterTheRead_Rebuilt()
    {
        var published = await PublishedAtThreeAsync();
        Touch(WarehouseTable.PlayerGameSummary, ThreeAm.AddMinutes(40));

        var verdict = await DecideAsync(Job());
        var outcome = await RunAsync(Job());

        Assert.Equal("nba_analytics.player_game_summary changed at 2026-02-10T03:40:00Z, after the published document read it (2026-02-10T03:00:00Z)", verdict.Reason);
        Assert.False(verdict.Skip);
        Assert.Equal((ExportStatus.Succeeded, 4), (outcome.Status, outcome.Cost!.Queries));
        Assert.NotEqual(published.Generation, (await PublishedAsync())!.Generation);
        Assert.Equal("2026-02-10T04:00:00.000000+00:00", await GeneratedAtAsync());
    }

    [Fact]
    public async Task RunAsync_ChangeJustBeforeTheReadWithinClockAllowance_Rebuilt()
    {
        await PublishedAtThreeAsync();
        Touch(WarehouseTable.Predictions, ThreeAm - UnchangedInputs.ClockAllowance + TimeSpan.FromSeconds(1));

        Assert.Equal(ExportStatus.Succeeded, (await RunAsync(Job())).Status);
    }

    [Fact]
    public async Task RunAsync_Force_RebuiltAlthoughUnchanged()
    {
        await PublishedAtThreeAsync();

        var verdict = await DecideAsync(Job(force: true));

        Assert.Equal("--force rebuilds", verdict.Reason);
        Assert.Equal(ExportStatus.Succeeded, (await RunAsync(Job(force: true))).Status);
    }

    [Fact]
    public async Task RunAsync_OtherAsOfDate_Rebuilt()
    {
        await PublishedAtThreeAsync();

        var verdict = await DecideAsync(Job(asOf: AsOf.AddDays(1)));
        var outcome = await RunAsync(Job(asOf: AsOf.AddDays(1)));

        Assert.Equal("the as-of date (2026-02-10 → 2026-02-11) changed since the published document was computed", verdict.Reason);
        Assert.Equal(ExportStatus.Succeeded, outcome.Status);
    }

    [Fact]
    public async Task RunAsync_FlagOff_RebuiltEveryTime()
    {
        await PublishedAtThreeAsync();

        var outcome = await RunAsync(Job(skip: false));

        Assert.Equal((ExportStatus.Succeeded, 4), (outcome.Status, outcome.Cost!.Queries));
    }

    [Fact]
    public async Task DecideAsync_DocumentWithoutRecordedRead_Rebuilt()
    {
        await _harness.Store.WriteAsync(Performance, "{}"u8.ToArray(), "application/json", "public, max-age=3600", new ObjectWriteOptions("0", ThreeAm));

        var verdict = await DecideAsync(Job());

        Assert.Equal("the published document does not record when its inputs were read", verdict.Reason);
    }

    [Fact]
    public async Task DecideAsync_TableFileGone_RebuiltNeverSkipped()
    {
        await PublishedAtThreeAsync();
        File.Delete(Path.Combine(_warehouse, WarehouseTable.UpcomingGameContext.QualifiedName + ".csv"));

        var verdict = await DecideAsync(Job());

        Assert.Equal("the modification time of nba_analytics.upcoming_player_game_context is unknown", verdict.Reason);
    }

    [Fact]
    public async Task RunAsync_DefinitionsWhenOnlyOtherTablesChanged_SkippedOnItsOwnTable()
    {
        await PublishedAtThreeAsync("subset-definitions");
        Touch(WarehouseTable.Predictions, ThreeAm.AddMinutes(30));

        var outcome = await RunAsync(Job("subset-definitions"));
        Touch(WarehouseTable.SubsetDefinitions, ThreeAm.AddMinutes(30));
        var rebuilt = await RunAsync(Job("subset-definitions"));

        Assert.Equal(ExportStatus.Skipped, outcome.Status);
        Assert.StartsWith("inputs unchanged since 2026-02-10T03:00:00Z", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(ExportStatus.Succeeded, rebuilt.Status);
    }

    [Fact]
    public async Task RunAsync_BigQueryUnchanged_OnlyTablesGetNoJob_ThenUnknownTimeRebuilds()
    {
        using var backend = new DuckDbWarehouse(_warehouse, NullLogger<DuckDbWarehouse>.Instance);
        await using var server = new FakeBigQueryServer { Backend = backend };
        await server.StartAsync();
        using var harness = new ExportHarness(null, _temp.Sub("bq"),
            new ExportFlowsOptions { Warehouse = "bigquery:test-project", BigQueryEndpoint = server.BaseUri.ToString() }, _clock);
        var job = Job();
        Assert.Equal(ExportStatus.Succeeded, ExportReportBuilder.Success(await harness.Activities.RunAsync(ExportCatalog.Shipped.Get(job.Type), job, 1, CancellationToken.None), 1, TimeSpan.Zero).Status);
        var jobs = server.Jobs;
        var requests = server.Requests.Count;
        _clock.Advance(TimeSpan.FromHours(1));

        var skipped = await harness.Activities.RunAsync(ExportCatalog.Shipped.Get(job.Type), Job(), 1, CancellationToken.None);
        var metadataCalls = server.Requests.Skip(requests).Select(r => (r.Method, r.Path.Split('/')[^2])).Distinct().ToList();
        server.TableModified[WarehouseTable.DailySignals.QualifiedName] = null;
        var unknown = await harness.Unchanged.DecideAsync(Job(), Performance, harness.Exporter<SubsetPerformanceExporter>().SourcesOf(Job()), CancellationToken.None);

        Assert.StartsWith("inputs unchanged since 2026-02-10T03:00:00Z", skipped.SkippedReason, StringComparison.Ordinal);
        Assert.Equal(jobs, server.Jobs);
        Assert.Equal([("GET", "tables")], metadataCalls);
        Assert.Equal("the modification time of nba_predictions.daily_prediction_signals is unknown", unknown.Reason);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _temp.Dispose();
    }
}

using System.Text.Json;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Exporters;

/// <summary>A run never publishes an older document over a newer one, nor an empty one built from an empty input.</summary>
public sealed class PublicationSafetyTests : IDisposable
{
    private static readonly DateOnly D = new(2026, 2, 10);
    private static readonly DateTimeOffset Five = new(2026, 2, 10, 17, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HalfPastFive = Five.AddMinutes(30);
    private readonly TempFolder _temp = new();

    private static ExportJob Picks(DateTimeOffset at, bool force = false, bool allowEmpty = false, DateOnly? date = null) =>
        new("subset-picks", date ?? D, null, at, Force: force, AllowEmpty: allowEmpty);

    private string GeneratedAtOf(ExportHarness harness, string name) =>
        JsonDocument.Parse(File.ReadAllText(harness.Store.PathOf(name))).RootElement.GetProperty("generated_at").GetString()!;

    /// <summary>The hand fixture copied, so a test may empty one of its tables.</summary>
    private string WarehouseCopy(string name)
    {
        var folder = _temp.Sub(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(ExportHarness.HandFixture, "*.csv"))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }

    private static void KeepHeaderOnly(string warehouse, string table)
    {
        var path = Path.Combine(warehouse, table + ".csv");
        File.WriteAllText(path, File.ReadLines(path).First() + "\n");
    }

    [Fact]
    public async Task ExportAsync_SlowerOlderRunFinishesLast_SkippedAndNewerDocumentKept()
    {
        using var harness = new ExportHarness(ExportHarness.HandFixture, _temp.Sub("store"));
        var exporter = harness.Exporter<SubsetPicksExporter>();

        await exporter.ExportAsync(Picks(HalfPastFive), 1, CancellationToken.None);
        var older = await exporter.ExportAsync(Picks(Five), 1, CancellationToken.None);

        Assert.StartsWith("a newer document exists (generated_at 2026-02-10T17:30:00Z is later than this run's 2026-02-10T17:00:00Z)", older.SkippedReason, StringComparison.Ordinal);
        Assert.Equal("2026-02-10T17:30:00.000000+00:00", GeneratedAtOf(harness, "v1/picks/2026-02-10.json"));
        Assert.Equal(ExportStatus.Skipped, ExportReportBuilder.Success(older, 1, TimeSpan.Zero).Status);
    }

    [Fact]
    public async Task ExportAsync_OlderRunWithForce_ReplacesNewerDocument()
    {
        using var harness = new ExportHarness(ExportHarness.HandFixture, _temp.Sub("store"));
        var exporter = harness.Exporter<SubsetPicksExporter>();

        await exporter.ExportAsync(Picks(HalfPastFive), 1, CancellationToken.None);
        var forced = await exporter.ExportAsync(Picks(Five, force: true), 1, CancellationToken.None);

        Assert.Null(forced.SkippedReason);
        Assert.Equal("2026-02-10T17:00:00.000000+00:00", GeneratedAtOf(harness, "v1/picks/2026-02-10.json"));
    }

    [Fact]
    public async Task ExportAsync_NewerWriterSlipsInBeforeTheWrite_DecidesAgainAndSkips()
    {
        using var harness = new ExportHarness(ExportHarness.HandFixture, _temp.Sub("store"));
        var exporter = harness.Exporter<SubsetPicksExporter>();
        await exporter.ExportAsync(Picks(Five.AddMinutes(-60)), 1, CancellationToken.None);
        var racing = new RacingStore(harness.Store, async store =>
        {
            // Another worker publishes the 17:30 document between this run's read and its write.
            using var other = new ExportHarness(ExportHarness.HandFixture, store.Root);
            await other.Exporter<SubsetPicksExporter>().ExportAsync(Picks(HalfPastFive), 1, CancellationToken.None);
        });
        var raced = new SubsetPicksExporter(harness.Reader, racing, harness.Settings, Microsoft.Extensions.Logging.Abstractions.NullLogger<SubsetPicksExporter>.Instance);

        var result = await raced.ExportAsync(Picks(Five), 1, CancellationToken.None);

        Assert.Equal(1, racing.Conflicts);
        Assert.StartsWith("a newer document exists", result.SkippedReason, StringComparison.Ordinal);
        Assert.Equal("2026-02-10T17:30:00.000000+00:00", GeneratedAtOf(harness, "v1/picks/2026-02-10.json"));
    }

    [Theory]
    [InlineData("subset-picks", "v1/picks/2026-02-10.json")]
    [InlineData("subset-performance", "v1/subsets/performance.json")]
    [InlineData("subset-definitions", "v1/systems/subsets.json")]
    public async Task ExportAsync_DefinitionsTableEmptiedAfterPublishing_RefusedNamingTheTable(string type, string name)
    {
        var warehouse = WarehouseCopy("warehouse");
        var store = _temp.Sub("store");
        var job = new ExportJob(type, type == "subset-picks" ? D : null, type == "subset-performance" ? D : null, Five);
        using (var before = new ExportHarness(warehouse, store))
        {
            await before.Activities.RunAsync(ExportCatalog.Shipped.Get(type), job);
        }
        var published = await File.ReadAllBytesAsync(Path.Combine(store, name));
        KeepHeaderOnly(warehouse, "nba_predictions.dynamic_subset_definitions");
        using var after = new ExportHarness(warehouse, store);

        var failure = await Assert.ThrowsAsync<Temporalio.Exceptions.ApplicationFailureException>(() => after.Activities.RunAsync(ExportCatalog.Shipped.Get(type), job with { GeneratedAt = HalfPastFive }));

        Assert.Equal(ExportErrorTypes.EmptyInput, failure.ErrorType);
        Assert.Contains("nba_predictions.dynamic_subset_definitions has no active subset of the model", failure.Message, StringComparison.Ordinal);
        Assert.Contains("rerun with --allow-empty if it is really empty", failure.Message, StringComparison.Ordinal); // the date lies inside the data
        Assert.Equal(published, await File.ReadAllBytesAsync(Path.Combine(store, name)));

        var allowed = await after.Activities.RunAsync(ExportCatalog.Shipped.Get(type), job with { GeneratedAt = HalfPastFive, AllowEmpty = true });
        Assert.Null(allowed.SkippedReason);
        Assert.DoesNotContain("\"id\"", File.ReadAllText(Path.Combine(store, name)), StringComparison.Ordinal); // no group left
    }

    [Fact]
    public async Task ExportAsync_DateWithoutGames_PublishedAndRepublished()
    {
        using var harness = new ExportHarness(ExportHarness.HandFixture, _temp.Sub("store"));
        var exporter = harness.Exporter<SubsetPicksExporter>();
        var noGames = new DateOnly(2026, 3, 1);

        await exporter.ExportAsync(Picks(Five, date: noGames), 1, CancellationToken.None);
        var again = await exporter.ExportAsync(Picks(HalfPastFive, date: noGames), 1, CancellationToken.None);

        Assert.Null(again.SkippedReason);
        var groups = JsonDocument.Parse(File.ReadAllText(harness.Store.PathOf("v1/picks/2026-03-01.json"))).RootElement.GetProperty("groups");
        Assert.True(groups.GetArrayLength() > 0);
        Assert.All(groups.EnumerateArray(), g => Assert.Equal(0, g.GetProperty("picks").GetArrayLength()));
    }

    [Fact]
    public async Task ExportAsync_SignalsRowDeletedAfterPublishing_RefusedUnlessAllowed()
    {
        var warehouse = WarehouseCopy("warehouse");
        var store = _temp.Sub("store");
        var job = new ExportJob("daily-signals", D, null, Five);
        using (var before = new ExportHarness(warehouse, store))
        {
            await before.Activities.RunAsync(ExportCatalog.Shipped.Get("daily-signals"), job);
        }
        KeepHeaderOnly(warehouse, "nba_predictions.daily_prediction_signals");
        using var after = new ExportHarness(warehouse, store);

        var failure = await Assert.ThrowsAsync<Temporalio.Exceptions.ApplicationFailureException>(
            () => after.Activities.RunAsync(ExportCatalog.Shipped.Get("daily-signals"), job with { GeneratedAt = HalfPastFive }));

        Assert.Contains("nba_predictions.daily_prediction_signals has no row of the model for 2026-02-10", failure.Message, StringComparison.Ordinal);
    }

    private const string Markup = "</script><script>alert(1)</script>";

    /// <summary>
    /// Publishes the picks of <see cref="D"/> from the hand fixture, replaces <paramref name="find"/> by
    /// <paramref name="replace"/> in <paramref name="table"/>, exports again and returns the failure; the published
    /// document must be untouched.
    /// </summary>
    private async Task<Temporalio.Exceptions.ApplicationFailureException> RepublishWithAsync(string table, string find, string replace)
    {
        var warehouse = WarehouseCopy("warehouse");
        var store = _temp.Sub("store");
        using (var before = new ExportHarness(warehouse, store))
        {
            await before.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-picks"), Picks(Five));
        }
        var published = await File.ReadAllBytesAsync(Path.Combine(store, "v1/picks/2026-02-10.json"));
        var path = Path.Combine(warehouse, table + ".csv");
        var csv = await File.ReadAllTextAsync(path);
        Assert.Contains(find, csv, StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, csv.Replace(find, replace, StringComparison.Ordinal));
        using var after = new ExportHarness(warehouse, store);

        var failure = await Assert.ThrowsAsync<Temporalio.Exceptions.ApplicationFailureException>(
            () => after.Activities.RunAsync(ExportCatalog.Shipped.Get("subset-picks"), Picks(HalfPastFive)));

        Assert.Equal(ExportErrorTypes.ContractViolation, failure.ErrorType);
        Assert.Contains(ExportErrorTypes.ContractViolation, ExportErrorTypes.NonRetryable);
        Assert.Equal(published, await File.ReadAllBytesAsync(Path.Combine(store, "v1/picks/2026-02-10.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories), f => f.Contains(".tmp-", StringComparison.Ordinal));
        return failure;
    }

    [Fact]
    public async Task ExportAsync_MarkupTeamCodeInPlayerGameSummary_RefusedNamingFieldAndRow()
    {
        var failure = await RepublishWithAsync("nba_analytics.player_game_summary", "delta,2026-02-10,MIA,BOS", $"delta,2026-02-10,{Markup},BOS");

        Assert.StartsWith($"v1/picks/2026-02-10.json: 'team' of the pick of player 'delta' on 2026-02-10 is \"{Markup}\", which is not a team code",
            failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_MarkupTeamCodeInUpcomingGameContext_RefusedNamingFieldAndRow()
    {
        // charlie's summary row names no team, so the context row gives team and opponent.
        var failure = await RepublishWithAsync("nba_analytics.upcoming_player_game_context", "charlie,2026-02-10,BOS,MIA", $"charlie,2026-02-10,BOS,{Markup}");

        Assert.StartsWith($"v1/picks/2026-02-10.json: 'opponent' of the pick of player 'charlie' on 2026-02-10 is \"{Markup}\", which is not a team code",
            failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Catbo\u0336ost_v9")]
    [InlineData("Catb\u034Foost_v9")]
    [InlineData("C\u0430tboost_v9")]
    [InlineData("xv9_high_edge_top1")]
    public async Task ExportAsync_DisguisedInternalIdAsPlayerName_Refused(string name)
    {
        var failure = await RepublishWithAsync("nba_reference.nba_players_registry", "Delta Dawn", name);

        Assert.StartsWith($"v1/picks/2026-02-10.json: 'player' of the pick of player 'delta' on 2026-02-10 is {ExportFlows.Activities.Subsets.PublicFieldShapes.Quote(name)}, which is not a player name",
            failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Catbo\u0336ost Adams", "catboost")]
    [InlineData("C\u0430tboost Adams", "catboost")]
    [InlineData("Delta Xgb\u043E\u043Est", "xgboost")]
    public async Task ExportAsync_DisguisedIdInANameThatFitsTheShape_RefusedByTheGuard(string name, string leaked)
    {
        var failure = await RepublishWithAsync("nba_reference.nba_players_registry", "Delta Dawn", name);

        Assert.Equal($"v1/picks/2026-02-10.json: value {ExportFlows.Activities.Subsets.PublicFieldShapes.Quote(name)} of 'player' carries the internal identifier '{leaked}'",
            failure.Message);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>The real folder store, with another writer acting once between this run's read and its write.</summary>
    private sealed class RacingStore(LocalFolderObjectStore inner, Func<LocalFolderObjectStore, Task> competitor) : IObjectStore
    {
        private int _writes;

        public int Conflicts { get; private set; }

        public string Description => inner.Description;

        public async Task<ObjectMetadata> WriteAsync(string name, ReadOnlyMemory<byte> content, string contentType, string cacheControl,
            ObjectWriteOptions? write = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) == 1)
            {
                await competitor(inner);
            }
            try
            {
                return await inner.WriteAsync(name, content, contentType, cacheControl, write, cancellationToken);
            }
            catch (ObjectPreconditionFailedException)
            {
                Conflicts++;
                throw;
            }
        }

        public Task<ObjectMetadata?> GetMetadataAsync(string name, CancellationToken cancellationToken = default) => inner.GetMetadataAsync(name, cancellationToken);

        public Task<IReadOnlyList<ObjectMetadata>> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    }
}

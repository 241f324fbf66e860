using System.Text.Json;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Tests.Exporters;

/// <summary>
/// The two ways a skip once kept a stale document, on the sample warehouse and a folder store: another warehouse whose
/// files are older than the published document's read, and an edit of the catalog's publication names. Both rebuild
/// now, naming what changed, and nothing changed still skips.
/// </summary>
public sealed class SkipKeyTests : IDisposable
{
    private const string Performance = SubsetPerformanceExporter.Name;
    private const string Definitions = SubsetDefinitionsExporter.Name;

    private readonly SkipScenario _scenario = new();

    private async Task<PublishedRun> RunAsync(string type, bool force = false)
    {
        using var harness = _scenario.Harness();
        return await _scenario.RunAsync(harness, type, force);
    }

    private async Task<UnchangedVerdict> DecideAsync(string type)
    {
        using var harness = _scenario.Harness();
        return await _scenario.DecideAsync(harness, type);
    }

    private void Later() => _scenario.Clock.Advance(TimeSpan.FromHours(1));

    [Fact]
    public async Task RunAsync_OtherWarehouseWithOlderFiles_RebuiltAsAForcedRebuildWrites()
    {
        var first = await RunAsync(Performance);
        Later();
        _scenario.Warehouse = _scenario.CopyOfSample("other", row => !row.IsPredictionBetween("2026-01-20", "2026-02-02"));

        var verdict = await DecideAsync(Performance);
        var run = await RunAsync(Performance);
        Later();
        var forced = await RunAsync(Performance, force: true);

        Assert.Equal("the warehouse changed since the published document was computed", verdict.Reason);
        Assert.Equal(ExportStatus.Succeeded, run.Outcome.Status);
        Assert.Equal(forced.Comparable, run.Comparable);
        Assert.NotEqual(first.Comparable, run.Comparable);
    }

    [Fact]
    public async Task RunAsync_PublicationNamesEdited_DefinitionsRebuiltAndAgreeWithPicks()
    {
        Assert.Equal(ExportStatus.Succeeded, (await RunAsync(Definitions)).Outcome.Status);
        Later();
        _scenario.EditCatalog("catboost_v9 = \"926A\"", "catboost_v9 = \"927Z\"");
        _scenario.EditCatalog("name = \"Top 3\"", "name = \"Top Three\"");

        var verdict = await DecideAsync(Definitions);
        var definitions = await RunAsync(Definitions);
        var picks = await RunAsync("subset-picks");

        Assert.Equal("the catalog's model codenames ([publication.models]) and the catalog's publication names of subsets ([publication.subsets]) " +
            "changed since the published document was computed", verdict.Reason);
        Assert.Equal(ExportStatus.Succeeded, definitions.Outcome.Status);
        Assert.Equal(("927Z", "927Z"), (Model(definitions), Model(picks)));
        Assert.Contains("Top Three", Names(definitions));
        Assert.Equal(Names(picks), Names(definitions).Intersect(Names(picks)));
        Assert.DoesNotContain("Top 3", Names(definitions));
    }

    [Theory]
    [InlineData(Performance)]
    [InlineData(Definitions)]
    public async Task RunAsync_NothingChanged_SkippedWithoutAQuery(string type)
    {
        var first = await RunAsync(type);
        Later();

        var run = await RunAsync(type);

        Assert.Equal((ExportStatus.Skipped, ExportCost.Nothing, first.Metadata.Generation), (run.Outcome.Status, run.Outcome.Cost, run.Metadata.Generation));
        Assert.StartsWith("inputs unchanged since 2026-02-04T03:00:00Z", run.Outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DocumentWithAnOlderKeyFormat_RebuiltOnceThenSkipped()
    {
        var first = await RunAsync(Performance);
        var oldKey = "as_of=2026-02-03;model=catboost_v9;season_start=-;build=" + UnchangedInputs.Build;
        using (var harness = _scenario.Harness())
        {
            await harness.Store.WriteAsync(first.Metadata.Name, System.Text.Encoding.UTF8.GetBytes(first.Text), first.Metadata.ContentType, first.Metadata.CacheControl!,
                new ObjectWriteOptions(first.Metadata.Generation, first.Metadata.GeneratedAt, first.Metadata.Empty, first.Metadata.Inputs! with { Key = oldKey }));
        }
        Later();

        var verdict = await DecideAsync(Performance);
        var rebuilt = await RunAsync(Performance);
        Later();
        var next = await RunAsync(Performance);

        Assert.Equal("the published document records an older key format of its inputs; rebuilt once to record the current one", verdict.Reason);
        Assert.Equal((ExportStatus.Succeeded, ExportStatus.Skipped), (rebuilt.Outcome.Status, next.Outcome.Status));
    }

    private static string Model(PublishedRun run) => JsonDocument.Parse(run.Text).RootElement.GetProperty("model").GetString()!;

    private static List<string> Names(PublishedRun run) =>
        JsonDocument.Parse(run.Text).RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!).ToList();

    public void Dispose() => _scenario.Dispose();
}

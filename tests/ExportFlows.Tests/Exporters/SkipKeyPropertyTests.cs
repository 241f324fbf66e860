using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Tests.Exporters;

/// <summary>
/// The skip rule's property, over a deterministic enumeration of one-input-at-a-time variations of each native type
/// with the skip flag: after a scheduled run the published document is the one a forced rebuild writes (apart from
/// <c>generated_at</c>), so a run skips only when a rebuild would write the same document. Each variation also says
/// whether the run skips, and a rebuild names the part of the key that changed.
/// </summary>
public sealed class SkipKeyPropertyTests : IDisposable
{
    private const string Performance = SubsetPerformanceExporter.Name;
    private const string Definitions = SubsetDefinitionsExporter.Name;

    /// <summary>A change of one input; <paramref name="Reason"/> is what a rebuild's reason says, null where the run skips.</summary>
    private sealed record Variation(string Name, string[] Types, Action<SkipScenario> Apply, string? Reason);

    private static readonly string[] Both = [Performance, Definitions];

    private static readonly DateTimeOffset AfterTheRead = new(2026, 2, 4, 3, 10, 0, TimeSpan.Zero);

    private static readonly Variation[] Variations =
    [
        new("nothing", Both, _ => { }, null),
        new("warehouse: a copy of the same tables", Both, s => s.Warehouse = s.CopyOfSample("copy"), "the warehouse changed"),
        new("warehouse: without two weeks of predictions", Both,
            s => s.Warehouse = s.CopyOfSample("fewer-predictions", row => !row.IsPredictionBetween("2026-01-20", "2026-02-02")),
            "the warehouse changed"),
        new("warehouse: without one active subset", Both,
            s => s.Warehouse = s.CopyOfSample("fewer-subsets", row => !row.Line.StartsWith("v9_high_edge_top3,", StringComparison.Ordinal)),
            "the warehouse changed"),
        new("catalog: the model's codename", Both, s => s.EditCatalog("catboost_v9 = \"926A\"", "catboost_v9 = \"927Z\""), "the catalog's model codenames"),
        new("catalog: another model's codename", Both, s => s.EditCatalog("catboost_v8 = \"825A\"", "catboost_v8 = \"825B\""), "the catalog's model codenames"),
        new("catalog: a subset's public name", Both, s => s.EditCatalog("name = \"Top 3\"", "name = \"Top Three\""), "the catalog's publication names of subsets"),
        new("catalog: a subset's description", Both, s => s.EditCatalog("description = \"Top 3 picks\"", "description = \"The three best\""), "the catalog's publication names of subsets"),
        new("catalog: a subset's public id", Both, s => s.EditCatalog("v9_high_edge_top3 = { id = 2,", "v9_high_edge_top3 = { id = 12,"), "the catalog's publication names of subsets"),
        new("catalog: the row's Cache-Control", [Performance],
            s => s.EditCatalog("subsets/performance.json\", cache_control = \"public, max-age=3600\"", "subsets/performance.json\", cache_control = \"public, max-age=1800\""), "the catalog row of subset-performance"),
        new("catalog: the row's Cache-Control", [Definitions],
            s => s.EditCatalog("subsets.json\", cache_control = \"public, max-age=86400\"", "subsets.json\", cache_control = \"public, max-age=3600\""), "the catalog row of subset-definitions"),
        new("catalog: the row's options", [Performance],
            s => s.EditCatalog("implementation = \"subset-performance\"\n", "implementation = \"subset-performance\"\noptions = { window = { default = 7, minimum = 1, maximum = 30 } }\n"),
            "the catalog row of subset-performance"),
        new("catalog: the row's options", [Definitions],
            s => s.EditCatalog("implementation = \"subset-definitions\"\n", "implementation = \"subset-definitions\"\noptions = { window = { default = 7, minimum = 1, maximum = 30 } }\n"),
            "the catalog row of subset-definitions"),
        new("catalog: another type's row", Both,
            s => s.EditCatalog("implementation = \"daily-signals\"\n", "implementation = \"daily-signals\"\noptions = { window = { default = 7, minimum = 1, maximum = 30 } }\n"), null),
        new("as-of date", [Performance], s => s.JobAsOf = SkipScenario.AsOf.AddDays(1), "the as-of date (2026-02-03 → 2026-02-04)"),
        new("model", Both, s => s.ModelId = "catboost_v8", "the model (ExportFlows__ModelId)"),
        new("season start", Both, s => s.SeasonStart = "2026-01-10", "the configured season start (- → 2026-01-10)"),
        new("table time: before the read", Both, s => s.Touch(WarehouseTable.Predictions, SkipScenario.TablesWritten.AddHours(1)), null),
        .. WarehouseTable.All.Select(t => new Variation($"table time: {t.QualifiedName} after the read", [Performance], s => s.Touch(t, AfterTheRead),
            $"{t.QualifiedName} changed at 2026-02-04T03:10:00Z")),
        .. WarehouseTable.All.Select(t => new Variation($"table time: {t.QualifiedName} after the read", [Definitions], s => s.Touch(t, AfterTheRead),
            t == WarehouseTable.SubsetDefinitions ? $"{t.QualifiedName} changed at 2026-02-04T03:10:00Z" : null)),
    ];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var variation in Variations)
        {
            foreach (var type in variation.Types)
            {
                cases.Add(type, variation.Name);
            }
        }
        return cases;
    }

    private readonly SkipScenario _scenario = new(SampleRow.InSmallSeason);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task RunAsync_OneInputVaried_SkipsOnlyWhenARebuildWritesTheSameDocument(string type, string variation)
    {
        var change = Variations.Single(v => v.Name == variation && v.Types.Contains(type));
        PublishedRun first;
        using (var before = _scenario.Harness())
        {
            first = await _scenario.RunAsync(before, type);
        }
        _scenario.Clock.Advance(TimeSpan.FromHours(1));
        change.Apply(_scenario);
        using var after = _scenario.Harness();

        var verdict = await _scenario.DecideAsync(after, type);
        var run = await _scenario.RunAsync(after, type);
        _scenario.Clock.Advance(TimeSpan.FromHours(1));
        var rebuilt = await _scenario.RunAsync(after, type, force: true);

        Assert.Equal(ExportStatus.Succeeded, first.Outcome.Status);
        Assert.Equal(rebuilt.Comparable, run.Comparable);
        if (change.Reason is null)
        {
            Assert.Equal((ExportStatus.Skipped, verdict.Reason), (run.Outcome.Status, run.Outcome.Error));
            Assert.Equal((first.Metadata.Generation, ExportCost.Nothing), (run.Metadata.Generation, run.Outcome.Cost));
        }
        else
        {
            Assert.Equal(ExportStatus.Succeeded, run.Outcome.Status);
            Assert.NotEqual(first.Metadata.Generation, run.Metadata.Generation);
            Assert.Contains(change.Reason, verdict.Reason, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _scenario.Dispose();
}

using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Tests.Exporters;

/// <summary>
/// Guards of the one list of a fixed-path document's inputs (<see cref="FixedPathExporter.SourcesOf"/>): every value
/// an exporter is given (its job, its settings) is a part of the key or named here as not deciding the bytes, and its
/// listed tables are all a build reads. A new input fails these until the list holds it.
/// </summary>
public sealed class DocumentSourcesTests : IDisposable
{
    /// <summary>Each property of the job, with the key parts that hold it; empty: it does not decide the document's bytes (and why).</summary>
    private static readonly Dictionary<string, string[]> JobProperties = new()
    {
        [nameof(ExportJob.Type)] = ["row", "store"],
        [nameof(ExportJob.TargetDate)] = ["target"],
        [nameof(ExportJob.AsOfDate)] = ["as_of"],
        [nameof(ExportJob.GeneratedAt)] = [], // the document's timestamp, the one difference a skip allows
        [nameof(ExportJob.CorrelationId)] = [], // logs only
        [nameof(ExportJob.Force)] = [], // decides whether to skip, not what is built
        [nameof(ExportJob.AllowEmpty)] = [], // decides whether an empty document may be written, not its bytes
        [nameof(ExportJob.SkipWhenInputsUnchanged)] = [], // the rule's flag itself
    };

    private static readonly Dictionary<string, string[]> SettingsProperties = new()
    {
        [nameof(ExportSettings.ModelId)] = ["model"],
        [nameof(ExportSettings.SeasonStart)] = ["season_start"],
        [nameof(ExportSettings.Catalog)] = ["models", "subsets", "row", "store"],
        [nameof(ExportSettings.Publication)] = ["models", "subsets"],
        [nameof(ExportSettings.ModelCodename)] = ["models", "model"],
    };

    private readonly SkipScenario _scenario = new(SampleRow.InSmallSeason);

    [Theory]
    [InlineData(SubsetPerformanceExporter.Name)]
    [InlineData(SubsetDefinitionsExporter.Name)]
    public void SourcesOf_EveryPropertyOfJobAndSettings_InTheKeyOrNamedAsNotDecidingTheBytes(string type)
    {
        using var harness = _scenario.Harness();
        var exporter = harness.Exporters.OfType<FixedPathExporter>().Single(e => e.Implementation == type);
        var parts = exporter.SourcesOf(new ExportJob(type, null, SkipScenario.AsOf, DateTimeOffset.UnixEpoch)).Facts.Select(f => f.Name).ToHashSet();

        Assert.Equal(JobProperties.Keys.Order(StringComparer.Ordinal), typeof(ExportJob).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(SettingsProperties.Keys.Order(StringComparer.Ordinal), typeof(ExportSettings).GetProperties().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(JobProperties.Values.Concat(SettingsProperties.Values).SelectMany(p => p), part => Assert.Contains(part, parts));
        Assert.Contains("warehouse", parts);
        Assert.Contains("build", parts);
    }

    [Theory]
    [InlineData(SubsetPerformanceExporter.Name)]
    [InlineData(SubsetDefinitionsExporter.Name)]
    public async Task RunAsync_WarehouseOfOnlyTheListedTables_Builds(string type)
    {
        using (var harness = _scenario.Harness())
        {
            var exporter = harness.Exporters.OfType<FixedPathExporter>().Single(e => e.Implementation == type);
            var listed = exporter.SourcesOf(new ExportJob(type, null, SkipScenario.AsOf, DateTimeOffset.UnixEpoch)).Tables.Select(t => t.QualifiedName + ".csv").ToHashSet();
            foreach (var file in Directory.GetFiles(_scenario.Warehouse).Where(f => !listed.Contains(Path.GetFileName(f))))
            {
                File.Delete(file);
            }
        }
        using var listedOnly = _scenario.Harness();

        var run = await _scenario.RunAsync(listedOnly, type);

        Assert.Equal(ExportStatus.Succeeded, run.Outcome.Status);
    }

    public void Dispose() => _scenario.Dispose();
}

using System.Text.RegularExpressions;
using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Tests.PubSub;
using ExportFlows.Tests.Support;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;

namespace ExportFlows.Tests.Exporters;

/// <summary>What a run left published: the outcome, the document's text and its metadata.</summary>
public sealed record PublishedRun(ExportOutcome Outcome, string Text, ObjectMetadata Metadata)
{
    /// <summary>The document as a rebuild would write it apart from its clock: the text without <c>generated_at</c>'s value, and its Cache-Control.</summary>
    public string Comparable => GeneratedAt().Replace(Text, "\"generated_at\":\"…\"") + "\nCache-Control: " + Metadata.CacheControl;

    private static Regex GeneratedAt() => new("\"generated_at\"\\s*:\\s*\"[^\"]*\"");
}

/// <summary>
/// A folder store published from a copy of the sample warehouse (tables last written 1 February) with a copy of the
/// shipped catalog in a file; a test changes one input at a time (the warehouse folder, the catalog text, the worker's
/// model or season start, the job's as-of date, a table's time) and runs the real exporters through a new harness.
/// </summary>
public sealed class SkipScenario : IDisposable
{
    public static readonly DateOnly AsOf = new(2026, 2, 3);

    public static readonly DateTimeOffset TablesWritten = new(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempFolder _temp = new();

    private readonly Func<SampleRow, bool> _sample;

    /// <param name="sample">The rows of the sample every warehouse copy keeps; default all.</param>
    public SkipScenario(Func<SampleRow, bool>? sample = null)
    {
        _sample = sample ?? (_ => true);
        Warehouse = CopyOfSample("warehouse");
        CatalogPath = _temp.Sub("exportflows.toml");
        File.WriteAllText(CatalogPath, ExportCatalog.ShippedText());
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 2, 4, 3, 0, 0, TimeSpan.Zero));

    public string Warehouse { get; set; }

    public string CatalogPath { get; }

    public string ModelId { get; set; } = "catboost_v9";

    public string? SeasonStart { get; set; }

    public DateOnly JobAsOf { get; set; } = AsOf;

    public string Store => _temp.Sub("out");

    /// <summary>A copy of the sample's tables keeping the rows <paramref name="keep"/> accepts (of those the scenario keeps), every file written at <see cref="TablesWritten"/>.</summary>
    public string CopyOfSample(string name, Func<SampleRow, bool>? keep = null)
    {
        var folder = _temp.Sub(name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(ExportHarness.SampleWarehouse, "*.csv"))
        {
            var target = Path.Combine(folder, Path.GetFileName(file));
            var lines = File.ReadAllLines(file);
            var table = Path.GetFileNameWithoutExtension(file);
            var header = lines[0].Split(',');
            var rows = lines.Skip(1).Select(l => new SampleRow(table, header, l)).Where(r => _sample(r) && (keep?.Invoke(r) ?? true));
            File.WriteAllLines(target, rows.Select(r => r.Line).Prepend(lines[0]));
            File.SetLastWriteTimeUtc(target, TablesWritten.UtcDateTime);
        }
        return folder;
    }

    /// <summary>Replaces <paramref name="from"/> (which must occur exactly once) in the catalog file.</summary>
    public void EditCatalog(string from, string to)
    {
        var text = File.ReadAllText(CatalogPath);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(from, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"the catalog does not hold '{from}' exactly once");
        }
        File.WriteAllText(CatalogPath, text.Replace(from, to, StringComparison.Ordinal));
    }

    public void Touch(WarehouseTable table, DateTimeOffset at) =>
        File.SetLastWriteTimeUtc(Path.Combine(Warehouse, table.QualifiedName + ".csv"), at.UtcDateTime);

    /// <summary>Runs <paramref name="type"/> as a scheduled run does (skip flag of its row), now, through <paramref name="harness"/> (made after the inputs last changed).</summary>
    public async Task<PublishedRun> RunAsync(ExportHarness harness, string type, bool force = false)
    {
        var row = harness.Catalogs.Current.Get(type);
        var job = Job(harness, type, force);
        var outcome = ExportReportBuilder.Success(await harness.Activities.RunAsync(row, job, 1, CancellationToken.None), 1, TimeSpan.Zero);
        var name = row.Objects[0].Name(JobAsOf);
        var metadata = await harness.Store.GetMetadataAsync(name) ?? throw new InvalidOperationException($"{name} was not published");
        return new PublishedRun(outcome, await File.ReadAllTextAsync(harness.Store.PathOf(name)), metadata);
    }

    /// <summary>What the rule decides for a run of <paramref name="type"/> now (the rebuild's reason, which a run only logs); a skip confirms the document.</summary>
    public async Task<UnchangedVerdict> DecideAsync(ExportHarness harness, string type)
    {
        var job = Job(harness, type, force: false);
        var exporter = harness.Exporters.OfType<FixedPathExporter>().Single(e => e.Implementation == type);
        return await harness.Unchanged.DecideAsync(job, exporter.ObjectName(job), exporter.SourcesOf(job), CancellationToken.None);
    }

    private ExportJob Job(ExportHarness harness, string type, bool force)
    {
        var row = harness.Catalogs.Current.Get(type);
        return new ExportJob(type, row.DateKind == ExportDateKind.TargetDate ? JobAsOf : null, row.DateKind == ExportDateKind.AsOfDate ? JobAsOf : null, Clock.GetUtcNow(), Force: force, AllowEmpty: true)
        {
            SkipWhenInputsUnchanged = row.SkipWhenInputsUnchanged,
        };
    }

    public ExportHarness Harness() =>
        new(Warehouse, Store, new ExportFlowsOptions { Catalog = CatalogPath, ModelId = ModelId, SeasonStart = SeasonStart }, Clock);

    public void Dispose() => _temp.Dispose();
}

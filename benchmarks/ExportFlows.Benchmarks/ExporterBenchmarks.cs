using BenchmarkDotNet.Attributes;
using ExportFlows.Activities;
using ExportFlows.Activities.Exporters;
using ExportFlows.Activities.Sample;
using ExportFlows.Activities.Subsets;
using ExportFlows.Workflows.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Benchmarks;

/// <summary>
/// The exporters on the default sample season (120 dates, ~55,000 predictions) through DuckDB over CSV, as the
/// embedded default runs them. Targets (see RESULTS.md): picks &lt; 1 s, performance (whole season) &lt; 2 s, and the
/// in-memory selection and grading of a season &lt; 50 ms.
/// </summary>
[MemoryDiagnoser]
public class ExporterBenchmarks
{
    private static readonly DateOnly Date = new(2026, 2, 3);
    private ServiceProvider _services = null!;
    private SubsetPicksExporter _picks = null!;
    private SubsetPerformanceExporter _performance = null!;
    private IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> _candidates = null!;
    private IReadOnlyDictionary<DateOnly, DaySignal> _signals = null!;
    private SubsetCatalog _catalog = null!;
    private SubsetWarehouseReader _reader = null!;

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(Path.GetTempPath(), "exportflows-bench", $"sample-v{SampleDataGenerator.Version}");
        if (!File.Exists(Path.Combine(folder, "nba_predictions.player_prop_predictions.csv")))
        {
            SampleDataGenerator.Generate(folder, SampleDataOptions.Default);
        }
        var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.None));
        services.AddExportFlows(new ExportFlowsOptions { Warehouse = "duckdb:" + folder, Store = "dir:" + Path.Combine(Path.GetTempPath(), "exportflows-bench", "out") });
        _services = services.BuildServiceProvider();
        _picks = _services.GetServices<SubsetExporter>().OfType<SubsetPicksExporter>().Single();
        _performance = _services.GetServices<SubsetExporter>().OfType<SubsetPerformanceExporter>().Single();
        var reader = _reader = _services.GetRequiredService<SubsetWarehouseReader>();
        _catalog = reader.ReadDefinitionsAsync(CancellationToken.None).GetAwaiter().GetResult();
        _candidates = reader.ReadCandidatesAsync(SampleDataOptions.Default.From, Date, CancellationToken.None).GetAwaiter().GetResult();
        _signals = reader.ReadSignalsAsync(SampleDataOptions.Default.From, Date, CancellationToken.None).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public Task<PublicDocument> PicksDocument() =>
        _picks.BuildAsync(new ExportJob("subset-picks", Date, null, DateTimeOffset.UnixEpoch), CancellationToken.None);

    [Benchmark]
    public Task<PublicDocument> PerformanceDocumentSeason() =>
        _performance.BuildAsync(new ExportJob("subset-performance", null, Date, DateTimeOffset.UnixEpoch), CancellationToken.None);

    /// <summary>Two dates' picks at once on one warehouse: with no process-wide lock this costs clearly less than two in a row.</summary>
    [Benchmark]
    public Task<PublicDocument[]> PicksDocumentTwoDatesConcurrently() => Task.WhenAll(
        Task.Run(() => _picks.BuildAsync(new ExportJob("subset-picks", Date, null, DateTimeOffset.UnixEpoch), CancellationToken.None)),
        Task.Run(() => _picks.BuildAsync(new ExportJob("subset-picks", Date.AddDays(-7), null, DateTimeOffset.UnixEpoch), CancellationToken.None)));

    /// <summary>The picks documents of a 31-date span from one read: what one backfill span activity builds.</summary>
    [Benchmark]
    public async Task<int> PicksDocumentsOneSpan()
    {
        var from = Date.AddDays(-30);
        var inputs = await _reader.ReadSpanAsync(_picks.Needs, from, Date, CancellationToken.None);
        var bytes = 0;
        for (var date = from; date <= Date; date = date.AddDays(1))
        {
            bytes += _picks.Build(date, DateTimeOffset.UnixEpoch, inputs).Utf8.Length;
        }
        return bytes;
    }

    [Benchmark]
    public int SelectionAndGradingSeason()
    {
        var stats = new SubsetStatistics(_candidates, _signals);
        return _catalog.Subsets.Sum(s => stats.For(s, SampleDataOptions.Default.From, Date).Picks);
    }
}

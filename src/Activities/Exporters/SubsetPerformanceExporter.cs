using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary>
/// <c>subsets/performance.json</c>: graded results per public subset over [A − 6, A], [A − 29, A] and [season start, A]
/// for the as-of date A; today is included so tonight's results appear as soon as they are graded.
/// </summary>
public sealed class SubsetPerformanceExporter(
    SubsetWarehouseReader reader, UnchangedInputs unchanged, IObjectStore store, ExportSettings settings, ILogger<SubsetPerformanceExporter> logger)
    : FixedPathExporter(unchanged, store, settings, logger)
{
    private static readonly HashSet<string> Keys =
        ["generated_at", "model", "windows", "last_7_days", "last_30_days", "season", "start_date", "end_date", "groups", "id", "name", "stats", "hit_rate", "roi", "picks"];

    public const string Name = "subset-performance";

    public override string Implementation => Name;

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    private static Dictionary<string, PublicFieldShape> Strings(PublicationNames names) => new(CommonStringFields(names))
    {
        ["start_date"] = PublicFieldShapes.Date,
        ["end_date"] = PublicFieldShapes.Date,
    };

    protected override IReadOnlyDictionary<string, PublicFieldShape> StringFields(PublicationNames names) => Strings(names);

    public override IReadOnlyList<WarehouseTable> RequiredTables => WarehouseTable.All;

    public static IReadOnlyList<(string Key, DateOnly Start, DateOnly End)> Windows(DateOnly asOf, DateOnly seasonStart) =>
    [
        ("last_7_days", asOf.AddDays(-6), asOf),
        ("last_30_days", asOf.AddDays(-29), asOf),
        ("season", seasonStart, asOf),
    ];

    protected override Task<string?> OutsideDataAsync(ExportJob job, CancellationToken cancellationToken) =>
        job.AsOfDate is { } asOf ? reader.OutsideDataAsync(asOf, "as-of date", "--as-of", cancellationToken) : Task.FromResult<string?>(null);

    protected override async Task<PublicDocument> BuildDocumentAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var asOf = Required(job.AsOfDate, "an as-of date", job.Type);
        var seasonStart = await reader.ReadSeasonStartAsync(asOf, cancellationToken);
        var windows = Windows(asOf, seasonStart);
        var earliest = windows.Min(w => w.Start);
        var catalog = await reader.ReadDefinitionsAsync(cancellationToken);
        var candidates = await reader.ReadCandidatesAsync(earliest, asOf, cancellationToken);
        var signals = await reader.ReadSignalsAsync(earliest, asOf, cancellationToken);
        var stats = new SubsetStatistics(candidates, signals);

        using var w = new PublicDocumentWriter(ObjectName(job));
        w.Json.WriteStartObject();
        w.WriteGeneratedAt(job.GeneratedAt);
        WriteModel(w);
        w.Json.WriteStartObject("windows");
        foreach (var (key, start, end) in windows)
        {
            w.Json.WriteStartObject(key);
            w.WriteDate("start_date", start);
            w.WriteDate("end_date", end);
            w.Json.WriteStartArray("groups");
            foreach (var subset in catalog.Subsets)
            {
                var groupStats = stats.For(subset, start, end);
                w.Json.WriteStartObject();
                WriteGroupHeader(w, subset);
                WriteStats(w, groupStats, "picks", groupStats.Picks);
                w.Json.WriteEndObject();
            }
            w.Json.WriteEndArray();
            w.Json.WriteEndObject();
        }
        w.Json.WriteEndObject();
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), catalog.InternalIds, EmptyInputs.Performance(catalog, candidates, earliest, asOf));
    }
}

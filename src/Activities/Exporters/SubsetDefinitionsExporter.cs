using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary><c>systems/subsets.json</c>: the public subsets with their generic descriptions.</summary>
public sealed class SubsetDefinitionsExporter(
    SubsetWarehouseReader reader, UnchangedInputs unchanged, IObjectStore store, ExportSettings settings, ILogger<SubsetDefinitionsExporter> logger)
    : FixedPathExporter(unchanged, store, settings, logger)
{
    private static readonly HashSet<string> Keys = ["generated_at", "model", "groups", "id", "name", "description"];

    public override string ExportType => ExportTypeCatalog.SubsetDefinitions;

    public override string CacheControl => "public, max-age=86400";

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    private static readonly Dictionary<string, PublicFieldShape> Strings = new(CommonStringFields())
    {
        ["description"] = PublicFieldShapes.SubsetDescription,
    };

    protected override IReadOnlyDictionary<string, PublicFieldShape> StringFields => Strings;

    public override IReadOnlyList<WarehouseTable> RequiredTables => [WarehouseTable.SubsetDefinitions];

    protected override string RelativeObjectName(ExportJob job) => "systems/subsets.json";

    protected override async Task<PublicDocument> BuildDocumentAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var catalog = await reader.ReadDefinitionsAsync(cancellationToken);
        using var w = new PublicDocumentWriter(ObjectName(job));
        w.Json.WriteStartObject();
        w.WriteGeneratedAt(job.GeneratedAt);
        WriteModel(w);
        w.Json.WriteStartArray("groups");
        foreach (var subset in catalog.Subsets)
        {
            w.Json.WriteStartObject();
            WriteGroupHeader(w, subset);
            w.WriteString("description", subset.Public.Description, PublicFieldShapes.SubsetDescription, $"subset '{subset.SubsetId}'");
            w.Json.WriteEndObject();
        }
        w.Json.WriteEndArray();
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), catalog.InternalIds, catalog.EmptyBecause);
    }
}

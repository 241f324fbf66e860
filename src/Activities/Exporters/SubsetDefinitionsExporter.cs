using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Exporters;

/// <summary><c>systems/subsets.json</c>: the public subsets with their generic descriptions.</summary>
public sealed class SubsetDefinitionsExporter(SubsetWarehouseReader reader, IObjectStore store, ExportSettings settings, ILogger<SubsetDefinitionsExporter> logger)
    : SubsetExporter(store, settings, logger)
{
    private static readonly HashSet<string> Keys = ["generated_at", "model", "groups", "id", "name", "description"];

    public override string ExportType => ExportTypeCatalog.SubsetDefinitions;

    public override string CacheControl => "public, max-age=86400";

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    public override IReadOnlyList<WarehouseTable> RequiredTables => [WarehouseTable.SubsetDefinitions];

    protected override string RelativeObjectName(ExportJob job) => "systems/subsets.json";

    public override async Task<PublicDocument> BuildAsync(ExportJob job, CancellationToken cancellationToken)
    {
        var catalog = await reader.ReadDefinitionsAsync(cancellationToken);
        using var w = new PublicDocumentWriter();
        w.Json.WriteStartObject();
        w.WriteGeneratedAt(job.GeneratedAt);
        w.Json.WriteString("model", Settings.ModelCodename);
        w.Json.WriteStartArray("groups");
        foreach (var subset in catalog.Subsets)
        {
            w.Json.WriteStartObject();
            WriteGroupHeader(w, subset);
            w.Json.WriteString("description", subset.Public.Description);
            w.Json.WriteEndObject();
        }
        w.Json.WriteEndArray();
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), catalog.InternalIds, catalog.EmptyBecause);
    }
}

using ExportFlows.Activities.Storage;
using ExportFlows.Activities.Subsets;
using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Catalog;
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

    public const string Name = "subset-definitions";

    public override string Implementation => Name;

    protected override IReadOnlySet<string> AllowedKeys => Keys;

    private static Dictionary<string, PublicFieldShape> Strings(PublicationNames names) => new(CommonStringFields(names))
    {
        ["description"] = PublicFieldShapes.SubsetDescription(names),
    };

    protected override IReadOnlyDictionary<string, PublicFieldShape> StringFields(PublicationNames names) => Strings(names);

    public override IReadOnlyList<WarehouseTable> RequiredTables => [WarehouseTable.SubsetDefinitions];

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
            w.WriteString("description", subset.Public.Description, PublicFieldShapes.SubsetDescription(Settings.Publication), $"subset '{subset.SubsetId}'");
            w.Json.WriteEndObject();
        }
        w.Json.WriteEndArray();
        w.Json.WriteEndObject();
        return new PublicDocument(w.ToArray(), catalog.InternalIds, catalog.EmptyBecause);
    }
}

namespace ExportFlows.Tests.Catalog;

/// <summary>
/// <see cref="CatalogText.Valid"/> plus the original's chain in small: a step that discovers models, a step that
/// materializes under a version, an exporter that takes the version (soft), one that requires the materializer (hard), and one that requires discovery (hard).
/// </summary>
public static class GraphCatalogText
{
    public const string Rows = """

        [types.discover]
        kind = "external"
        step = true
        date = "target"
        policy = "short"
        call = { module = "shared.config.models", function = "discover_models", args = [{ call = "shared.clients.pool.get_client" }, "target_date"] }
        values = { models = "result", system_ids = "result.all_system_ids" }

        [types.materialize]
        kind = "external"
        step = true
        date = "target"
        policy = "short"
        after = ["discover"]
        call = { module = "data_processors.publishing.materializer", class = "Materializer", method = "materialize", args = ["target_date"], kwargs = { trigger_source = { const = "export" }, active_system_ids = { value = "discover.system_ids", optional = true } } }
        values = { version_id = "result.version_id" }

        [types.best]
        kind = "external"
        date = "target"
        policy = "short"
        after = ["materialize"]
        objects = [{ path = "v1/best/{date}.json", cache_control = "public, max-age=300" }]
        call = { module = "data_processors.publishing.best", class = "BestExporter", method = "export", args = ["target_date"], kwargs = { version_id = { value = "materialize.version_id", default = { run = "started_at", format = "v_%Y%m%d_%H%M%S" } } } }

        [types.strict]
        kind = "external"
        date = "target"
        policy = "short"
        requires = ["materialize"]
        objects = [{ path = "v1/strict/{date}.json", cache_control = "public, max-age=300" }]
        call = { module = "data_processors.publishing.strict", class = "StrictExporter", method = "export", args = ["target_date"], kwargs = { version_id = { value = "materialize.version_id" } } }

        [types.graded]
        kind = "external"
        date = "target"
        policy = "short"
        requires = ["discover"]
        objects = [{ path = "v1/graded/{date}.json", cache_control = "public, max-age=300" }]
        call = { module = "data_processors.publishing.graded", class = "GradedExporter", method = "export", args = ["target_date"] }
        """;

    public static string Valid => CatalogText.Valid.Replace("\n[groups]", Rows + "\n\n[groups]", StringComparison.Ordinal);

    public static string With(params (string Old, string New)[] edits) => CatalogText.Edit(Valid, edits);
}

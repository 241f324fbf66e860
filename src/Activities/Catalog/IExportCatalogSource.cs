using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Activities.Catalog;

/// <summary>The worker's current valid catalog, and whether the last edit of its file was refused.</summary>
public interface IExportCatalogSource
{
    /// <summary>The catalog runs use now: the file's latest valid content (re-read when the file changes).</summary>
    ExportCatalog Current { get; }

    CatalogHealth Health { get; }
}

/// <summary>
/// Where the catalog comes from and the errors of the last refused edit (empty when the file in use is the file on disk).
/// </summary>
public sealed record CatalogHealth(string Source, string Fingerprint, IReadOnlyList<CatalogError> RefusedEditErrors)
{
    public bool EditRefused => RefusedEditErrors.Count > 0;
}

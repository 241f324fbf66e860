namespace ExportFlows.Workflows.Catalog;

/// <summary>One problem of a catalog file: where (file, 1-based line, key path) and what to change.</summary>
public sealed record CatalogError(string Source, int Line, string Key, string Message)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}: {Key}: {Message}" : $"{Source}: {Key}: {Message}";
}

/// <summary>A parsed catalog, or every error found in it (never both).</summary>
public sealed record CatalogParseResult(ExportCatalog? Catalog, IReadOnlyList<CatalogError> Errors)
{
    public bool IsValid => Catalog is not null;
}

/// <summary>A catalog that does not validate, with every error.</summary>
public sealed class InvalidCatalogException(IReadOnlyList<CatalogError> errors)
    : Exception($"the export catalog does not validate ({errors.Count} error{(errors.Count == 1 ? "" : "s")}): {string.Join("; ", errors.Take(5))}{(errors.Count > 5 ? "; …" : "")}")
{
    public IReadOnlyList<CatalogError> Errors { get; } = errors;
}

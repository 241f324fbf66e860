using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Activities.Subsets;

/// <summary>What the exporters publish and where: configuration, never literals spread over queries.</summary>
public sealed record ExportSettings
{
    /// <summary>The internal model (system) id whose predictions are published.</summary>
    public string ModelId { get; init; } = "catboost_v9";

    /// <summary>Overrides the season start found in the data (earliest prediction on or after 1 August).</summary>
    public DateOnly? SeasonStart { get; init; }

    /// <summary>The worker's current catalog: object names, Cache-Control and publication names come from it.</summary>
    public Func<ExportCatalog> Catalog { get; init; } = () => ExportCatalog.Shipped;

    public PublicationNames Publication => Catalog().Publication;

    /// <summary>The public codename of <see cref="ModelId"/>; an unknown model fails instead of leaking its id.</summary>
    public string ModelCodename => Publication.ModelCodenames.TryGetValue(ModelId, out var codename)
        ? codename
        : throw new ContractViolationException($"model '{ModelId}' has no public codename; add it to [publication.models] in the catalog before publishing it");
}

/// <summary>
/// A document would break the public contract (leak an internal id, a value outside its field's shape, unknown model):
/// not retryable; the message names the document, the field and the row.
/// </summary>
public sealed class ContractViolationException(string message) : Exception(message)
{
    public const string ErrorType = "ContractViolation";
}

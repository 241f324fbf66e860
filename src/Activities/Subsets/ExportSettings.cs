namespace ExportFlows.Activities.Subsets;

/// <summary>What the exporters publish and where: configuration, never literals spread over queries.</summary>
public sealed record ExportSettings
{
    /// <summary>The internal model (system) id whose predictions are published.</summary>
    public string ModelId { get; init; } = "catboost_v9";

    /// <summary>Prefix of every object name.</summary>
    public string ObjectPrefix { get; init; } = "v1/";

    /// <summary>Overrides the season start found in the data (earliest prediction on or after 1 August).</summary>
    public DateOnly? SeasonStart { get; init; }

    /// <summary>The public codename of <see cref="ModelId"/>; an unknown model fails instead of leaking its id.</summary>
    public string ModelCodename => ModelCodenames.For(ModelId);
}

public static class ModelCodenames
{
    private static readonly Dictionary<string, string> Codenames = new(StringComparer.Ordinal)
    {
        ["catboost_v9"] = "926A",
        ["catboost_v9_202602"] = "926B",
        ["ensemble_v1"] = "E01",
        ["similarity_v1"] = "S01",
        ["xgboost_v2"] = "X02",
        ["catboost_v8"] = "825A",
    };

    public static IEnumerable<string> All => Codenames.Values;

    public static string For(string modelId) => Codenames.TryGetValue(modelId, out var codename)
        ? codename
        : throw new ContractViolationException($"model '{modelId}' has no public codename; add one to ModelCodenames before publishing it");
}

/// <summary>
/// A document would break the public contract (leak an internal id, a value outside its field's shape, unknown model):
/// not retryable; the message names the document, the field and the row.
/// </summary>
public sealed class ContractViolationException(string message) : Exception(message)
{
    public const string ErrorType = "ContractViolation";
}

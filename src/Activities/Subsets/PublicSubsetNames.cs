namespace ExportFlows.Activities.Subsets;

public sealed record PublicSubsetName(int Id, string Name, string Description)
{
    public string IdText => Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Public id, name and generic description of each internal subset id. A subset not listed is never published.</summary>
public static class PublicSubsetNames
{
    private static readonly Dictionary<string, PublicSubsetName> Names = new(StringComparer.Ordinal)
    {
        ["v9_high_edge_top1"] = new(1, "Top Pick", "Single best pick"),
        ["v9_high_edge_top3"] = new(2, "Top 3", "Top 3 picks"),
        ["v9_high_edge_top5"] = new(3, "Top 5", "Top 5 picks"),
        ["v9_high_edge_top10"] = new(4, "Top 10", "Top 10 picks"),
        ["v9_high_edge_balanced"] = new(5, "Best Value", "Best value picks"),
        ["v9_high_edge_top5_balanced"] = new(6, "Best Value Top 5", "Best value top 5"),
        ["v9_high_edge_any"] = new(7, "All Picks", "All picks"),
        ["v9_premium_safe"] = new(8, "Premium", "Premium selection"),
        ["v9_high_edge_warning"] = new(9, "Alternative", "Alternative picks"),
    };

    public static IEnumerable<PublicSubsetName> All => Names.Values;

    public static PublicSubsetName? Find(string subsetId) => Names.GetValueOrDefault(subsetId);
}

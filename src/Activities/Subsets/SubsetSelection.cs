namespace ExportFlows.Activities.Subsets;

/// <summary>
/// The one selection rule of the contract, used both to publish a subset's picks and to grade it.
/// </summary>
public static class SubsetSelection
{
    /// <summary>Publication order: composite descending, then player_lookup ascending.</summary>
    public static IComparer<Candidate> Order { get; } = Comparer<Candidate>.Create((a, b) =>
    {
        var byComposite = b.Composite.CompareTo(a.Composite);
        return byComposite != 0 ? byComposite : string.CompareOrdinal(a.PlayerLookup, b.PlayerLookup);
    });

    /// <summary>Picks of <paramref name="subset"/> among one date's candidates (already in <see cref="Order"/>).</summary>
    public static IReadOnlyList<Candidate> Select(SubsetDefinition subset, IReadOnlyList<Candidate> orderedCandidates, DaySignal? signal)
    {
        if (!SignalMatches(subset.SignalCondition, signal?.DailySignal) || !PctOverWithinBounds(subset, signal?.PctOver))
        {
            return [];
        }
        var minConfidence = ConfidenceThreshold(subset.MinConfidence);
        var picks = orderedCandidates.Where(c =>
            (subset.MinEdge is not { } minEdge || c.Edge >= minEdge) &&
            (minConfidence is not { } min || c.ConfidenceScore >= min));
        if (subset.UseRanking && subset.TopN is { } topN)
        {
            picks = picks.Take((int)Math.Clamp(topN, 0, int.MaxValue));
        }
        return picks.ToList();
    }

    /// <summary>confidence_score is on a 0–100 scale; a threshold ≤ 1 is a fraction (0.92 means 92).</summary>
    public static decimal? ConfidenceThreshold(decimal? minConfidence) =>
        minConfidence is { } value && value <= 1m ? value * 100m : minConfidence;

    public static bool SignalMatches(string? condition, string? dailySignal)
    {
        var wanted = condition?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(wanted) || wanted == "ANY")
        {
            return true;
        }
        var day = dailySignal?.Trim().ToUpperInvariant();
        if (day is null)
        {
            return false;
        }
        return wanted switch
        {
            "GREEN_OR_YELLOW" => day is "GREEN" or "YELLOW",
            _ => day == wanted,
        };
    }

    /// <summary>Inclusive bounds against the day's pct_over; skipped when the day has no (or a NULL) value.</summary>
    public static bool PctOverWithinBounds(SubsetDefinition subset, decimal? pctOver) =>
        pctOver is not { } value ||
        ((subset.PctOverMin is not { } min || value >= min) && (subset.PctOverMax is not { } max || value <= max));
}

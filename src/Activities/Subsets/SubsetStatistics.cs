namespace ExportFlows.Activities.Subsets;

/// <summary>Graded results of a subset over a window.</summary>
public sealed record GroupStats(int Picks, int Wins)
{
    public static readonly GroupStats Empty = new(0, 0);

    /// <summary>round(100 × wins / graded, 1); 0.0 without graded picks.</summary>
    public decimal HitRate => Picks == 0 ? 0m : PublicRounding.Round1(100m * Wins / Picks);

    /// <summary>round(100 × (wins × 0.909 − losses) / graded, 1); 0.909 is the payout of a −110 bet.</summary>
    public decimal Roi => Picks == 0 ? 0m : PublicRounding.Round1(100m * (Wins * 0.909m - (Picks - Wins)) / Picks);
}

/// <summary>
/// Grades subsets over inclusive date windows with the publication selection rule. Each (subset, date) is graded once
/// and remembered, so the overlapping 30-day windows of a span of dates cost one selection per date, not thirty.
/// Not thread-safe: one instance per document or span.
/// </summary>
public sealed class SubsetStatistics(IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> candidatesByDate, IReadOnlyDictionary<DateOnly, DaySignal> signals)
{
    private readonly Dictionary<(string SubsetId, DateOnly Date), GroupStats> _days = [];

    public GroupStats For(SubsetDefinition subset, DateOnly start, DateOnly end)
    {
        int graded = 0, wins = 0;
        for (var date = start; date <= end; date = date.AddDays(1))
        {
            var day = Day(subset, date);
            graded += day.Picks;
            wins += day.Wins;
        }
        return new GroupStats(graded, wins);
    }

    private GroupStats Day(SubsetDefinition subset, DateOnly date)
    {
        if (!candidatesByDate.TryGetValue(date, out var candidates))
        {
            return GroupStats.Empty;
        }
        if (_days.TryGetValue((subset.SubsetId, date), out var known))
        {
            return known;
        }
        int graded = 0, wins = 0;
        foreach (var pick in SubsetSelection.Select(subset, candidates, signals.GetValueOrDefault(date)))
        {
            if (pick.IsGraded)
            {
                graded++;
                wins += pick.IsWin ? 1 : 0;
            }
        }
        return _days[(subset.SubsetId, date)] = new GroupStats(graded, wins);
    }
}

public static class PublicRounding
{
    /// <summary>One decimal, halves away from zero, in decimal arithmetic (9/16 → 56.3, −4.55 → −4.6).</summary>
    public static decimal Round1(decimal value)
    {
        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        return rounded == 0m ? 0m : rounded;
    }
}

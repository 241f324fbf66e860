using ExportFlows.Workflows.Catalog;

namespace ExportFlows.Activities.Subsets;

/// <summary>An active subset definition row (all filters nullable) with its public name.</summary>
public sealed record SubsetDefinition(
    string SubsetId,
    PublicSubsetName Public,
    bool UseRanking,
    long? TopN,
    decimal? MinEdge,
    decimal? MinConfidence,
    string? SignalCondition,
    decimal? PctOverMin,
    decimal? PctOverMax);

/// <summary>A prediction that may be published: one per player and date, with its team known.</summary>
public sealed record Candidate(
    DateOnly GameDate,
    string PlayerLookup,
    string PlayerName,
    string Team,
    string Opponent,
    decimal PredictedPoints,
    decimal Line,
    string Direction,
    decimal ConfidenceScore,
    long? ActualPoints)
{
    public decimal Edge => Math.Abs(PredictedPoints - Line);

    public decimal Composite => Edge * 10m + ConfidenceScore * 0.5m;

    /// <summary>Graded when the actual points are known and differ from the line (a push is not graded).</summary>
    public bool IsGraded => ActualPoints is { } points && points != Line;

    public bool IsWin => ActualPoints is { } points &&
        ((Direction == "OVER" && points > Line) || (Direction == "UNDER" && points < Line));
}

/// <summary>The day's signal row; any field may be NULL.</summary>
public sealed record DaySignal(DateOnly GameDate, string? DailySignal, decimal? PctOver, long? HighEdgePicks, string? SkewCategory);

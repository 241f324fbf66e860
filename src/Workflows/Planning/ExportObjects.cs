namespace ExportFlows.Workflows.Planning;

/// <summary>How an export type names an object: per date, at a fixed path, a latest/today companion, or one per player under a folder.</summary>
public enum ExportObjectKind
{
    DateKeyed,
    Fixed,
    Latest,
    PerPlayer,
}

/// <summary>
/// One object (or folder of per-player objects) of an export type, relative to the object prefix:
/// <c>{date}</c> stands for the date; a <see cref="ExportObjectKind.PerPlayer"/> pattern is a folder, and
/// <paramref name="Except"/> names an object in it that is not a player's (players/index.json).
/// </summary>
public sealed record ExportObjectSpec(string Type, string Pattern, ExportObjectKind Kind, string? Except = null)
{
    public string Name(string prefix, DateOnly date) => prefix + Pattern.Replace("{date}", ExportDates.ToText(date), StringComparison.Ordinal);
}

/// <summary>The objects every export type writes (the original exporters' paths under <c>v1/</c>).</summary>
public static class ExportObjects
{
    private static readonly ExportObjectSpec[] All =
    [
        new(ExportTypeCatalog.SubsetPicks, "picks/{date}.json", ExportObjectKind.DateKeyed),
        new(ExportTypeCatalog.DailySignals, "signals/{date}.json", ExportObjectKind.DateKeyed),
        new(ExportTypeCatalog.SubsetPerformance, "subsets/performance.json", ExportObjectKind.Fixed),
        new(ExportTypeCatalog.SubsetDefinitions, "systems/subsets.json", ExportObjectKind.Fixed),
        new("results", "results/{date}.json", ExportObjectKind.DateKeyed),
        new("results", "results/latest.json", ExportObjectKind.Latest),
        new("performance", "systems/performance.json", ExportObjectKind.Fixed),
        new("best-bets", "best-bets/{date}.json", ExportObjectKind.DateKeyed),
        new("best-bets", "best-bets/latest.json", ExportObjectKind.Latest),
        new("predictions", "predictions/{date}.json", ExportObjectKind.DateKeyed),
        new("predictions", "predictions/today.json", ExportObjectKind.Latest),
        new("tonight", "tonight/all-players.json", ExportObjectKind.Fixed),
        new("tonight-players", "tonight/player/", ExportObjectKind.PerPlayer),
        new("streaks", "streaks/today.json", ExportObjectKind.Fixed),
        new("trends-hot-cold", "trends/whos-hot-v2.json", ExportObjectKind.Fixed),
        new("trends-bounce-back", "trends/bounce-back.json", ExportObjectKind.Fixed),
        new("trends-what-matters", "trends/what-matters.json", ExportObjectKind.Fixed),
        new("trends-team", "trends/team-tendencies.json", ExportObjectKind.Fixed),
        new("trends-quick-hits", "trends/quick-hits.json", ExportObjectKind.Fixed),
        new("trends-deep-dive", "trends/deep-dive-current.json", ExportObjectKind.Fixed),
        new("tonight-trend-plays", "trends/tonight-plays.json", ExportObjectKind.Fixed),
        new("live", "live/{date}.json", ExportObjectKind.DateKeyed),
        new("live", "live/latest.json", ExportObjectKind.Latest),
        new("live-grading", "live-grading/{date}.json", ExportObjectKind.DateKeyed),
        new("live-grading", "live-grading/latest.json", ExportObjectKind.Latest),
        new(ExportTypeCatalog.PlayerProfiles, "players/index.json", ExportObjectKind.Fixed),
        new(ExportTypeCatalog.PlayerProfiles, "players/", ExportObjectKind.PerPlayer, Except: "players/index.json"),
    ];

    public static IReadOnlyList<ExportObjectSpec> For(string type) => All.Where(o => o.Type == type).ToList();
}

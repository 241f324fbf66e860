namespace ExportFlows.Workflows.Planning;

/// <summary>How an export type is keyed: by target date, by the as-of date, or not at all.</summary>
public enum ExportDateKind
{
    TargetDate,
    AsOfDate,
    None,
}

/// <summary>One implemented export type and the activity that runs it.</summary>
public sealed record ExportTypeInfo(string Name, string ActivityName, ExportDateKind DateKind, bool DateKeyedObject);

/// <summary>
/// Every export type name of the original <c>daily_export.py</c>, its shorthand groups, and ours.
/// Only the four subset types are implemented; the rest are known so that a request naming one fails
/// with "not implemented yet" instead of "unknown".
/// </summary>
public static class ExportTypeCatalog
{
    public const string SubsetPicks = "subset-picks";
    public const string DailySignals = "daily-signals";
    public const string SubsetPerformance = "subset-performance";
    public const string SubsetDefinitions = "subset-definitions";

    /// <summary>The original EXPORT_TYPES list, in its order (shorthands excluded).</summary>
    public static readonly IReadOnlyList<string> KnownTypes =
    [
        "results", "performance", "best-bets", "predictions", "tonight", "tonight-players", "streaks",
        "trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits",
        "trends-deep-dive", "tonight-trend-plays", "live", "live-grading",
        SubsetPicks, DailySignals, SubsetPerformance, SubsetDefinitions,
    ];

    /// <summary>Shorthand names that expand to several types.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Groups =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["trends-daily"] = ["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"],
            ["trends-weekly"] = ["trends-what-matters", "trends-team", "trends-quick-hits"],
            ["trends-all"] = ["trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays"],
            ["subset-all"] = [SubsetPicks, DailySignals, SubsetPerformance, SubsetDefinitions],
        };

    /// <summary>The types triggered by the Phase 5 completion message that are implemented (original list order).</summary>
    public static readonly IReadOnlyList<string> TonightTypes = [SubsetPicks, DailySignals];

    private static readonly Dictionary<string, ExportTypeInfo> Implemented = new(StringComparer.Ordinal)
    {
        [SubsetPicks] = new(SubsetPicks, ExportActivityNames.SubsetPicks, ExportDateKind.TargetDate, DateKeyedObject: true),
        [DailySignals] = new(DailySignals, ExportActivityNames.DailySignals, ExportDateKind.TargetDate, DateKeyedObject: true),
        [SubsetPerformance] = new(SubsetPerformance, ExportActivityNames.SubsetPerformance, ExportDateKind.AsOfDate, DateKeyedObject: false),
        [SubsetDefinitions] = new(SubsetDefinitions, ExportActivityNames.SubsetDefinitions, ExportDateKind.None, DateKeyedObject: false),
    };

    public static IReadOnlyList<string> ImplementedTypes { get; } = Implemented.Keys.ToList();

    public static IEnumerable<string> ValidNames => KnownTypes.Concat(Groups.Keys);

    public static bool IsKnown(string name) => KnownTypes.Contains(name, StringComparer.Ordinal) || Groups.ContainsKey(name);

    public static bool TryGetImplemented(string name, out ExportTypeInfo info) => Implemented.TryGetValue(name, out info!);

    public static ExportTypeInfo GetImplemented(string name) =>
        Implemented.TryGetValue(name, out var info) ? info : throw new InvalidExportRequestException(NotImplementedMessage(name));

    internal static string NotImplementedMessage(string name) =>
        $"export type '{name}' is known but not implemented yet; implemented types: {string.Join(", ", ImplementedTypes)}";

    internal static string UnknownMessage(string name) =>
        $"unknown export type '{name}'; valid names: {string.Join(", ", ValidNames)}";
}

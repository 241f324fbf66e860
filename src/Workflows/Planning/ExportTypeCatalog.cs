namespace ExportFlows.Workflows.Planning;

/// <summary>How an export type is keyed: by target date, by the as-of date, or not at all.</summary>
public enum ExportDateKind
{
    TargetDate,
    AsOfDate,
    None,
}

/// <summary>Who runs an exporter: this worker (C#), or a worker in another language on the external task queue.</summary>
public enum ExporterKind
{
    Native,
    External,
}

/// <summary>One export type and the activity that runs it.</summary>
public sealed record ExportTypeInfo(string Name, string ActivityName, ExportDateKind DateKind, bool DateKeyedObject, ExporterKind Kind = ExporterKind.Native)
{
    public bool IsExternal => Kind == ExporterKind.External;
}

/// <summary>
/// Every export type of the original <c>daily_export.py</c> (plus player profiles, the original's <c>--players</c>), its
/// shorthand groups, and ours. The four subset types are native; every other one is external until it is ported: a
/// worker of the original code base serves it on the external task queue with the contract in
/// <c>contracts/external-export</c>.
/// </summary>
public static class ExportTypeCatalog
{
    public const string SubsetPicks = "subset-picks";
    public const string DailySignals = "daily-signals";
    public const string SubsetPerformance = "subset-performance";
    public const string SubsetDefinitions = "subset-definitions";
    public const string PlayerProfiles = "player-profiles";

    /// <summary>The default of player-profiles' <c>min_games</c> option (the original's <c>--min-games</c>).</summary>
    public const int DefaultMinGames = 5;

    /// <summary>The external types: the original EXPORT_TYPES order, then player profiles.</summary>
    public static readonly IReadOnlyList<string> ExternalTypes =
    [
        "results", "performance", "best-bets", "predictions", "tonight", "tonight-players", "streaks",
        "trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits",
        "trends-deep-dive", "tonight-trend-plays", "live", "live-grading", PlayerProfiles,
    ];

    public static readonly IReadOnlyList<string> NativeTypes = [SubsetPicks, DailySignals, SubsetPerformance, SubsetDefinitions];

    /// <summary>Every type: the original EXPORT_TYPES list in its order (shorthands excluded), then player-profiles.</summary>
    public static readonly IReadOnlyList<string> KnownTypes = [.. ExternalTypes.Take(16), .. NativeTypes, PlayerProfiles];

    /// <summary>Shorthand names that expand to several types.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Groups =
        new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["trends-daily"] = ["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays"],
            ["trends-weekly"] = ["trends-what-matters", "trends-team", "trends-quick-hits"],
            ["trends-all"] = ["trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays"],
            ["subset-all"] = [SubsetPicks, DailySignals, SubsetPerformance, SubsetDefinitions],
        };

    /// <summary>
    /// The native types of the Phase 5 completion message: what the tonight workflow exported before it ran the
    /// orchestrator's full list (executions recorded then replay with it).
    /// </summary>
    public static readonly IReadOnlyList<string> TonightTypes = [SubsetPicks, DailySignals];

    /// <summary>The orchestrator's list (<c>TONIGHT_EXPORT_TYPES</c>), in its order.</summary>
    public static readonly IReadOnlyList<string> OrchestratorTypes =
        ["tonight", "tonight-players", "predictions", "best-bets", "streaks", SubsetPicks, DailySignals];

    /// <summary>The types ExportFlows runs when configuration does not say (ExportFlows__EnabledTypes): the native ones.</summary>
    public static IReadOnlyList<string> DefaultEnabledTypes => NativeTypes;

    private static readonly Dictionary<string, ExportTypeInfo> All = Build();

    private static Dictionary<string, ExportTypeInfo> Build()
    {
        var types = new Dictionary<string, ExportTypeInfo>(StringComparer.Ordinal)
        {
            [SubsetPicks] = new(SubsetPicks, ExportActivityNames.SubsetPicks, ExportDateKind.TargetDate, DateKeyedObject: true),
            [DailySignals] = new(DailySignals, ExportActivityNames.DailySignals, ExportDateKind.TargetDate, DateKeyedObject: true),
            [SubsetPerformance] = new(SubsetPerformance, ExportActivityNames.SubsetPerformance, ExportDateKind.AsOfDate, DateKeyedObject: false),
            [SubsetDefinitions] = new(SubsetDefinitions, ExportActivityNames.SubsetDefinitions, ExportDateKind.None, DateKeyedObject: false),
        };
        // Every external exporter takes the target date (performance and streaks read it as their as-of date).
        string[] dateKeyed = ["results", "best-bets", "predictions", "live", "live-grading"];
        foreach (var type in ExternalTypes)
        {
            types[type] = new(type, ExportActivityNames.For(type), ExportDateKind.TargetDate, dateKeyed.Contains(type), ExporterKind.External);
        }
        return types;
    }

    /// <summary>Every type, native and external (the names <c>--types</c> accepts besides groups).</summary>
    public static IReadOnlyList<string> ImplementedTypes { get; } = KnownTypes;

    public static IEnumerable<string> ValidNames => KnownTypes.Concat(Groups.Keys);

    public static bool IsKnown(string name) => All.ContainsKey(name) || Groups.ContainsKey(name);

    public static bool IsExternal(string name) => All.TryGetValue(name, out var info) && info.IsExternal;

    public static bool TryGetImplemented(string name, out ExportTypeInfo info) => All.TryGetValue(name, out info!);

    public static ExportTypeInfo GetImplemented(string name) =>
        All.TryGetValue(name, out var info) ? info : throw new InvalidExportRequestException(UnknownMessage(name));

    internal static string UnknownMessage(string name) =>
        $"unknown export type '{name}'; valid names: {string.Join(", ", ValidNames)}";
}

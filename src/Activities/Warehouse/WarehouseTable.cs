namespace ExportFlows.Activities.Warehouse;

/// <summary>A warehouse table the exporters read, with the columns (and BigQuery types) they rely on.</summary>
public sealed record WarehouseTable(string Dataset, string Name, IReadOnlyDictionary<string, string> Columns)
{
    public string QualifiedName => $"{Dataset}.{Name}";

    /// <summary>Columns that identify a row in error messages (a bad value is reported with them).</summary>
    public IReadOnlyList<string> RowKey { get; init; } = [];

    public static readonly WarehouseTable Predictions = new("nba_predictions", "player_prop_predictions", new Dictionary<string, string>
    {
        ["game_date"] = "DATE",
        ["system_id"] = "VARCHAR",
        ["player_lookup"] = "VARCHAR",
        ["predicted_points"] = "DOUBLE",
        ["current_points_line"] = "DOUBLE",
        ["recommendation"] = "VARCHAR",
        ["confidence_score"] = "DOUBLE",
        ["is_active"] = "BOOLEAN",
    })
    { RowKey = ["player_lookup", "game_date", "system_id"] };

    public static readonly WarehouseTable PlayersRegistry = new("nba_reference", "nba_players_registry", new Dictionary<string, string>
    {
        ["player_lookup"] = "VARCHAR",
        ["player_name"] = "VARCHAR",
        ["season"] = "VARCHAR",
    })
    { RowKey = ["player_lookup", "season"] };

    public static readonly WarehouseTable PlayerGameSummary = new("nba_analytics", "player_game_summary", new Dictionary<string, string>
    {
        ["player_lookup"] = "VARCHAR",
        ["game_date"] = "DATE",
        ["team_abbr"] = "VARCHAR",
        ["opponent_team_abbr"] = "VARCHAR",
        ["points"] = "BIGINT",
    })
    { RowKey = ["player_lookup", "game_date"] };

    public static readonly WarehouseTable UpcomingGameContext = new("nba_analytics", "upcoming_player_game_context", new Dictionary<string, string>
    {
        ["player_lookup"] = "VARCHAR",
        ["game_date"] = "DATE",
        ["team_abbr"] = "VARCHAR",
        ["opponent_team_abbr"] = "VARCHAR",
    })
    { RowKey = ["player_lookup", "game_date"] };

    public static readonly WarehouseTable DailySignals = new("nba_predictions", "daily_prediction_signals", new Dictionary<string, string>
    {
        ["game_date"] = "DATE",
        ["system_id"] = "VARCHAR",
        ["high_edge_picks"] = "BIGINT",
        ["pct_over"] = "DOUBLE",
        ["skew_category"] = "VARCHAR",
        ["daily_signal"] = "VARCHAR",
    })
    { RowKey = ["game_date", "system_id"] };

    public static readonly WarehouseTable SubsetDefinitions = new("nba_predictions", "dynamic_subset_definitions", new Dictionary<string, string>
    {
        ["subset_id"] = "VARCHAR",
        ["system_id"] = "VARCHAR",
        ["is_active"] = "BOOLEAN",
        ["use_ranking"] = "BOOLEAN",
        ["top_n"] = "BIGINT",
        ["min_edge"] = "DOUBLE",
        ["min_confidence"] = "DOUBLE",
        ["signal_condition"] = "VARCHAR",
        ["pct_over_min"] = "DOUBLE",
        ["pct_over_max"] = "DOUBLE",
    })
    { RowKey = ["subset_id", "system_id"] };

    public static IReadOnlyList<WarehouseTable> All { get; } =
        [Predictions, PlayersRegistry, PlayerGameSummary, UpcomingGameContext, DailySignals, SubsetDefinitions];
}

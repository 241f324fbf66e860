using ExportFlows.Activities.Warehouse;
using ExportFlows.Workflows.Planning;
using Microsoft.Extensions.Logging;

namespace ExportFlows.Activities.Subsets;

/// <summary>The exporters' queries. Selection and grading happen in <see cref="SubsetSelection"/>, not in SQL, so both use one rule.</summary>
public sealed class SubsetWarehouseReader(IWarehouse warehouse, ExportSettings settings, ILogger<SubsetWarehouseReader> logger)
{
    /// <summary>A warning about the same subset is repeated at most this often (once per backfill, not once per span).</summary>
    private static readonly TimeSpan WarnEvery = TimeSpan.FromHours(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _warned = new(StringComparer.Ordinal);

    private const string CandidatesSql = """
        WITH summary AS (
          SELECT player_lookup, game_date, team_abbr, opponent_team_abbr, points
          FROM {nba_analytics.player_game_summary}
          WHERE game_date BETWEEN @start_date AND @end_date
          QUALIFY ROW_NUMBER() OVER (PARTITION BY player_lookup, game_date
                                     ORDER BY team_abbr ASC NULLS LAST, opponent_team_abbr ASC NULLS LAST, points ASC NULLS LAST) = 1
        ),
        context AS (
          SELECT player_lookup, game_date, team_abbr, opponent_team_abbr
          FROM {nba_analytics.upcoming_player_game_context}
          WHERE game_date BETWEEN @start_date AND @end_date AND team_abbr IS NOT NULL
          QUALIFY ROW_NUMBER() OVER (PARTITION BY player_lookup, game_date
                                     ORDER BY team_abbr ASC, opponent_team_abbr ASC NULLS LAST) = 1
        ),
        names AS (
          SELECT player_lookup, player_name
          FROM {nba_reference.nba_players_registry}
          WHERE player_name IS NOT NULL
          QUALIFY ROW_NUMBER() OVER (PARTITION BY player_lookup ORDER BY season DESC NULLS LAST, player_name ASC) = 1
        )
        SELECT p.game_date, p.player_lookup, p.predicted_points, p.current_points_line, p.recommendation, p.confidence_score,
               n.player_name,
               CASE WHEN s.team_abbr IS NOT NULL THEN s.team_abbr ELSE c.team_abbr END AS team,
               CASE WHEN s.team_abbr IS NOT NULL THEN s.opponent_team_abbr ELSE c.opponent_team_abbr END AS opponent,
               s.points AS actual_points
        FROM {nba_predictions.player_prop_predictions} p
        LEFT JOIN summary s ON s.player_lookup = p.player_lookup AND s.game_date = p.game_date
        LEFT JOIN context c ON c.player_lookup = p.player_lookup AND c.game_date = p.game_date
        LEFT JOIN names n ON n.player_lookup = p.player_lookup
        WHERE p.system_id = @model_id
          AND p.game_date BETWEEN @start_date AND @end_date
          AND p.is_active
          AND p.recommendation IN ('OVER', 'UNDER')
          AND p.current_points_line IS NOT NULL
        """;

    private const string SignalsSql = """
        SELECT game_date, daily_signal, pct_over, high_edge_picks, skew_category
        FROM {nba_predictions.daily_prediction_signals}
        WHERE system_id = @model_id AND game_date BETWEEN @start_date AND @end_date
        QUALIFY ROW_NUMBER() OVER (PARTITION BY game_date
                                   ORDER BY daily_signal ASC NULLS LAST, pct_over ASC NULLS LAST,
                                            high_edge_picks ASC NULLS LAST, skew_category ASC NULLS LAST) = 1
        """;

    private const string DefinitionsSql = """
        SELECT subset_id, use_ranking, top_n, min_edge, min_confidence, signal_condition, pct_over_min, pct_over_max
        FROM {nba_predictions.dynamic_subset_definitions}
        WHERE is_active AND system_id = @model_id
        ORDER BY subset_id
        """;

    private const string SeasonStartSql = """
        SELECT MIN(game_date) AS season_start
        FROM {nba_predictions.player_prop_predictions}
        WHERE system_id = @model_id AND game_date BETWEEN @season_floor AND @as_of
        """;

    private const string PredictionRangeSql = """
        SELECT MIN(game_date) AS first_date, MAX(game_date) AS last_date
        FROM {nba_predictions.player_prop_predictions}
        WHERE system_id = @model_id AND is_active
        """;

    private const string ActivePredictionsSql = """
        SELECT COUNT(*) AS predictions
        FROM {nba_predictions.player_prop_predictions}
        WHERE system_id = @model_id AND game_date = @game_date AND is_active
        """;

    /// <summary>The candidates' columns that do not come from the predictions table.</summary>
    private static readonly Dictionary<string, string> CandidateSources = new(StringComparer.Ordinal)
    {
        ["player_name"] = $"{WarehouseTable.PlayersRegistry.QualifiedName}.player_name",
        ["team"] = $"{WarehouseTable.PlayerGameSummary.QualifiedName}.team_abbr (else {WarehouseTable.UpcomingGameContext.QualifiedName}.team_abbr)",
        ["opponent"] = $"{WarehouseTable.PlayerGameSummary.QualifiedName}.opponent_team_abbr (else {WarehouseTable.UpcomingGameContext.QualifiedName}.opponent_team_abbr)",
        ["actual_points"] = $"{WarehouseTable.PlayerGameSummary.QualifiedName}.points",
    };

    private QueryParameter Model => QueryParameter.String("model_id", settings.ModelId);

    /// <summary>Active subsets of the model that have a public name, ordered by public id; unnamed ones are logged and left out.</summary>
    public async Task<SubsetCatalog> ReadDefinitionsAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            new WarehouseQuery("subset_definitions", DefinitionsSql, [WarehouseTable.SubsetDefinitions], [Model]) { RowKey = ["subset_id"] }, cancellationToken);
        var named = new List<SubsetDefinition>();
        var internalIds = new List<string>();
        foreach (var row in rows)
        {
            var id = row.GetRequiredString("subset_id");
            internalIds.Add(id);
            if (settings.Publication.FindSubset(id) is not { } publicName)
            {
                WarnOnce(id);
                continue;
            }
            named.Add(new SubsetDefinition(id, publicName,
                row.GetBool("use_ranking") ?? false, row.GetInt64("top_n"), row.GetDecimal("min_edge"), row.GetDecimal("min_confidence"),
                row.GetString("signal_condition"), row.GetDecimal("pct_over_min"), row.GetDecimal("pct_over_max")));
        }
        var duplicate = named.GroupBy(d => d.Public.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ContractViolationException($"public id {duplicate.Key} is used by more than one active subset");
        }
        return new SubsetCatalog(named.OrderBy(d => d.Public.Id).ToList(), internalIds);
    }

    private async Task<IReadOnlyList<WarehouseRow>> QueryAsync(WarehouseQuery query, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var succeeded = false;
        try
        {
            var rows = await warehouse.QueryAsync(query, cancellationToken);
            succeeded = true;
            return rows;
        }
        finally
        {
            Telemetry.ExportMetrics.Queried(query.Name, succeeded, watch.Elapsed);
        }
    }

    private void WarnOnce(string subsetId)
    {
        // Log throttling only: the machine clock never reaches a document.
        var now = Environment.TickCount64;
        var last = _warned.GetOrAdd(subsetId, long.MinValue);
        if ((last == long.MinValue || now - last >= (long)WarnEvery.TotalMilliseconds) && _warned.TryUpdate(subsetId, now, last))
        {
            logger.LogWarning("Active subset {SubsetId} has no public name and is left out of every document; add it to [publication.subsets] in the catalog to publish it", subsetId);
        }
    }

    /// <summary>Candidates per date in [start, end], one per player, in publication order.</summary>
    public async Task<IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>>> ReadCandidatesAsync(DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var query = new WarehouseQuery("candidates", CandidatesSql,
            [WarehouseTable.Predictions, WarehouseTable.PlayerGameSummary, WarehouseTable.UpcomingGameContext, WarehouseTable.PlayersRegistry],
            [Model, QueryParameter.Date("start_date", start), QueryParameter.Date("end_date", end)])
        {
            RowKey = ["player_lookup", "game_date"],
            ColumnSources = CandidateSources,
        };
        var rows = await QueryAsync(query, cancellationToken);
        var candidates = new List<Candidate>(rows.Count);
        foreach (var row in rows)
        {
            var team = row.GetString("team");
            var opponent = row.GetString("opponent");
            if (string.IsNullOrEmpty(team) || string.IsNullOrEmpty(opponent))
            {
                continue;
            }
            var lookup = row.GetRequiredString("player_lookup");
            candidates.Add(new Candidate(
                row.GetRequiredDate("game_date"), lookup, row.GetString("player_name") ?? lookup, team, opponent,
                row.GetRequiredDecimal("predicted_points"), row.GetRequiredDecimal("current_points_line"),
                row.GetRequiredString("recommendation"), row.GetRequiredDecimal("confidence_score"), row.GetInt64("actual_points")));
        }
        return CandidateSet.ByDate(candidates);
    }

    public async Task<IReadOnlyDictionary<DateOnly, DaySignal>> ReadSignalsAsync(DateOnly start, DateOnly end, CancellationToken cancellationToken)
    {
        var query = new WarehouseQuery("daily_signals", SignalsSql, [WarehouseTable.DailySignals],
            [Model, QueryParameter.Date("start_date", start), QueryParameter.Date("end_date", end)])
        {
            RowKey = ["game_date"],
        };
        var rows = await QueryAsync(query, cancellationToken);
        return rows.Select(r => new DaySignal(r.GetRequiredDate("game_date"), r.GetString("daily_signal"), r.GetDecimal("pct_over"),
                r.GetInt64("high_edge_picks"), r.GetString("skew_category")))
            .ToDictionary(s => s.GameDate);
    }

    /// <summary>
    /// Everything the date-keyed documents of [<paramref name="from"/>, <paramref name="to"/>] are built from, read once:
    /// at most three queries for any number of dates (definitions; candidates and signals over the span plus the picks'
    /// stats window).
    /// </summary>
    public async Task<SpanInputs> ReadSpanAsync(SpanNeeds needs, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = needs.HasFlag(SpanNeeds.Candidates) ? from.AddDays(-SpanInputs.StatsDays) : from;
        var catalog = needs.HasFlag(SpanNeeds.Catalog) ? await ReadDefinitionsAsync(cancellationToken) : null;
        var candidates = needs.HasFlag(SpanNeeds.Candidates) ? await ReadCandidatesAsync(start, to, cancellationToken) : new Dictionary<DateOnly, IReadOnlyList<Candidate>>();
        var signals = needs.HasFlag(SpanNeeds.Signals) ? await ReadSignalsAsync(start, to, cancellationToken) : new Dictionary<DateOnly, DaySignal>();
        return new SpanInputs(from, to, catalog, candidates, signals);
    }

    /// <summary>Configured season start, else the earliest prediction of the model on or after 1 August of the season's first year.</summary>
    public async Task<DateOnly> ReadSeasonStartAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        var floor = SeasonFloor(asOf);
        if (settings.SeasonStart is { } configured && configured >= floor && configured <= asOf)
        {
            return configured;
        }
        var rows = await QueryAsync(new WarehouseQuery("season_start", SeasonStartSql, [WarehouseTable.Predictions],
            [Model, QueryParameter.Date("season_floor", floor), QueryParameter.Date("as_of", asOf)]), cancellationToken);
        // No prediction yet this season: the window is the as-of date alone. A dry run answers no rows: the estimate
        // takes the season's earliest possible start, an upper bound of the window the real run reads.
        return rows.Count > 0 && rows[0].GetDate("season_start") is { } start ? start : warehouse is DryRunWarehouse ? floor : asOf;
    }

    public async Task<long> CountActivePredictionsAsync(DateOnly gameDate, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(new WarehouseQuery("active_predictions", ActivePredictionsSql, [WarehouseTable.Predictions],
            [Model, QueryParameter.Date("game_date", gameDate)]), cancellationToken);
        return rows.Count == 0 ? 0 : rows[0].GetInt64("predictions") ?? 0;
    }

    /// <summary>
    /// Why a document of <paramref name="date"/> is empty when the date lies outside the model's predictions (the range
    /// the warehouse holds, and <paramref name="option"/> with a date in it), or null when it lies inside or the table
    /// holds no prediction of the model at all: then the document is really empty. Read only when an empty document is
    /// refused, so it costs nothing otherwise.
    /// </summary>
    public async Task<string?> OutsideDataAsync(DateOnly date, string what, string option, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(new WarehouseQuery("prediction_range", PredictionRangeSql, [WarehouseTable.Predictions], [Model]), cancellationToken);
        var table = WarehouseTable.Predictions.QualifiedName;
        // No prediction at all is an empty input table, not a wrong date: the emptiness rule's own message says so.
        if (rows.Count == 0 || rows[0].GetDate("first_date") is not { } first || rows[0].GetDate("last_date") is not { } last || (date >= first && date <= last))
        {
            return null;
        }
        var (side, nearest) = date > last ? ("after", last) : ("before", first);
        return $"the {what} {ExportDates.ToText(date)} lies {side} the data the warehouse holds ({table} has predictions of {settings.ModelId} " +
            $"from {ExportDates.ToText(first)} to {ExportDates.ToText(last)}): pass {option} in that range, e.g. {option} {ExportDates.ToText(nearest)}";
    }

    /// <summary>1 August of the season's first year (a season runs 1 August – 31 July).</summary>
    public static DateOnly SeasonFloor(DateOnly date) => new(date.Month >= 8 ? date.Year : date.Year - 1, 8, 1);
}

/// <summary>The active, publicly named subsets in public-id order, and every active internal id (for the leak guard).</summary>
public sealed record SubsetCatalog(IReadOnlyList<SubsetDefinition> Subsets, IReadOnlyList<string> InternalIds)
{
    /// <summary>Why every document built from this catalog would have no groups, or null.</summary>
    public string? EmptyBecause => Subsets.Count > 0 ? null : InternalIds.Count == 0
        ? $"{WarehouseTable.SubsetDefinitions.QualifiedName} has no active subset of the model"
        : $"none of the {InternalIds.Count} active subsets in {WarehouseTable.SubsetDefinitions.QualifiedName} has a public name";
}

[Flags]
public enum SpanNeeds
{
    None = 0,
    Catalog = 1,
    Candidates = 2,
    Signals = 4,
}

/// <summary>The inputs of the date-keyed documents of a span of dates, read once and shared by every date and type.</summary>
public sealed class SpanInputs(
    DateOnly from, DateOnly to, SubsetCatalog? catalog,
    IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> candidates, IReadOnlyDictionary<DateOnly, DaySignal> signals)
{
    /// <summary>Picks carry stats over the 30 days before their date.</summary>
    public const int StatsDays = 30;

    private SubsetStatistics? _statistics;

    public DateOnly From => from;

    public DateOnly To => to;

    public SubsetCatalog Catalog => catalog ?? throw new InvalidOperationException("the span was read without the subset definitions");

    public IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> Candidates => candidates;

    public IReadOnlyDictionary<DateOnly, DaySignal> Signals => signals;

    public SubsetStatistics Statistics => _statistics ??= new SubsetStatistics(candidates, signals);

    public void Check(DateOnly date)
    {
        if (date < from || date > to)
        {
            throw new InvalidOperationException($"{date:yyyy-MM-dd} is outside the span read ({from:yyyy-MM-dd}..{to:yyyy-MM-dd})");
        }
    }
}

public static class CandidateSet
{
    /// <summary>
    /// One candidate per (player, date) — superseded predictions stay active for a while after a batch — keeping the one
    /// that sorts first in publication order, then orders each date's candidates for publication.
    /// </summary>
    public static IReadOnlyDictionary<DateOnly, IReadOnlyList<Candidate>> ByDate(IEnumerable<Candidate> candidates) =>
        candidates
            .GroupBy(c => c.GameDate)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyList<Candidate>)g.GroupBy(c => c.PlayerLookup, StringComparer.Ordinal)
                    .Select(p => p.OrderBy(c => c, SubsetSelection.Order)
                        .ThenBy(c => c.PredictedPoints).ThenBy(c => c.Line).ThenBy(c => c.Direction, StringComparer.Ordinal).First())
                    .OrderBy(c => c, SubsetSelection.Order)
                    .ToList());
}

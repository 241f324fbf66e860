using ExportFlows.Activities.Warehouse;

namespace ExportFlows.Activities.Sample;

public sealed record SampleDataOptions(DateOnly From, int Days, int Seed)
{
    public static readonly SampleDataOptions Default = new(new DateOnly(2025, 10, 21), 120, 42);

    /// <summary>The dates whose games are not played yet: the summary has no rows, only the pre-game context.</summary>
    public int PreGameDays { get; init; } = 2;

    /// <summary>Players per roster, as a multiple of 14: scale 3 with 8 systems is about a real season (~440,000 predictions per 120 days).</summary>
    public int Scale { get; init; } = 1;

    /// <summary>Prediction systems (models) writing rows; the first three are the named ones, the rest are extra internal models.</summary>
    public int Systems { get; init; } = 3;

    public const int MaxScale = 100;

    public const int MaxSystems = 12;

    public DateOnly To => From.AddDays(Days - 1);
}

public sealed record SampleDataSummary(string Folder, IReadOnlyDictionary<string, int> RowsPerTable);

/// <summary>
/// A deterministic synthetic season of every table the exporters read, with the awkward rows the filters exist for:
/// PASS and NO_LINE recommendations, superseded and duplicate active predictions, players without a team or registry
/// row, pushes, other models, a date without a signal row, pre-game dates, and a subset without a public name.
/// </summary>
public static class SampleDataGenerator
{
    /// <summary>Bumped whenever the generated data changes, so cached sample folders are regenerated.</summary>
    public const int Version = 1;

    public static readonly string[] Models = ["catboost_v9", "catboost_v8", "ensemble_v1"];

    private static readonly string[] Teams =
    [
        "ATL", "BOS", "BKN", "CHA", "CHI", "CLE", "DAL", "DEN", "DET", "GSW", "HOU", "IND", "LAC", "LAL", "MEM",
        "MIA", "MIL", "MIN", "NOP", "NYK", "OKC", "ORL", "PHI", "PHX", "POR", "SAC", "SAS", "TOR", "UTA", "WAS",
    ];

    private static readonly string[] FirstNames =
    [
        "Jalen", "Luka", "Nikola", "Jayson", "Anthony", "Devin", "Tyrese", "Donovan", "Shai", "Trae", "Zion", "Bam",
        "Darius", "Scottie", "Alperen", "Domantas", "Kristaps", "Dejounte", "Mikal", "Jaren", "Franz", "Cade", "Evan", "Paolo",
    ];

    private static readonly string[] LastNames =
    [
        "Brunson", "Dončić", "Jokić", "Tatum", "Edwards", "Booker", "Haliburton", "Mitchell", "Alexander", "Young", "Williamson",
        "Adebayo", "Garland", "Barnes", "Şengün", "Sabonis", "Porziņģis", "Murray", "Bridges", "Jackson", "Wagner", "Cunningham",
        "Mobley", "Banchero", "O'Neal", "Green", "Smith", "Johnson", "Brown", "Davis",
    ];

    public static SampleDataSummary Generate(string folder, SampleDataOptions options, IProgress<string>? progress = null)
    {
        if (options.Days < 1 || options.Days > 3660)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"--days must be between 1 and 3660, got {options.Days}");
        }
        if (options.Scale is < 1 or > SampleDataOptions.MaxScale || options.Systems is < 1 or > SampleDataOptions.MaxSystems)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"--scale must be 1..{SampleDataOptions.MaxScale} and --systems 1..{SampleDataOptions.MaxSystems}");
        }
        Directory.CreateDirectory(folder);
        var random = new Random(options.Seed);
        var players = CreatePlayers(random, options.Scale);
        var models = Models.Concat(Enumerable.Range(Models.Length + 1, Math.Max(0, options.Systems - Models.Length)).Select(n => $"xgboost_v{n}")).Take(options.Systems).ToArray();

        var predictions = new CsvTableWriter(["prediction_id", "system_id", "player_lookup", "game_date", "game_id", "predicted_points", "confidence_score", "recommendation", "current_points_line", "is_active"]);
        var summary = new CsvTableWriter(["player_lookup", "game_date", "game_id", "team_abbr", "opponent_team_abbr", "points", "minutes_played"]);
        var context = new CsvTableWriter(["player_lookup", "game_date", "game_id", "team_abbr", "opponent_team_abbr"]);
        var signals = new CsvTableWriter(["game_date", "system_id", "total_picks", "high_edge_picks", "premium_picks", "pct_over", "pct_under", "skew_category", "volume_category", "daily_signal", "signal_explanation"]);

        var noSignalDay = options.From.AddDays(Math.Min(10, options.Days - 1));
        for (var day = 0; day < options.Days; day++)
        {
            var date = options.From.AddDays(day);
            var played = day < options.Days - options.PreGameDays;
            var signalRows = new Dictionary<string, List<(decimal Predicted, decimal Line, string Recommendation, decimal Confidence)>>();
            foreach (var (home, away, gameId) in Schedule(random, date))
            {
                foreach (var (team, opponent) in new[] { (home, away), (away, home) })
                {
                    foreach (var player in players.Where(p => p.Team == team && random.NextDouble() < 0.7))
                    {
                        var actual = Math.Max(0, (int)Math.Round(player.Average + Normal(random) * 6));
                        // 1 % of players have no team anywhere (a late signing): they must never be published.
                        var teamKnown = random.NextDouble() >= 0.01;
                        if (teamKnown)
                        {
                            context.Add(player.Lookup, date, gameId, team, opponent);
                            if (played)
                            {
                                summary.Add(player.Lookup, date, gameId, team, opponent, random.NextDouble() < 0.02 ? null : actual, Math.Round(20 + random.NextDouble() * 18, 1));
                            }
                        }
                        var line = random.NextDouble() < 0.04 ? (decimal?)null : LineFor(random, player.Average);
                        foreach (var model in models)
                        {
                            var rows = PredictionsFor(random, player, model, line);
                            foreach (var (predicted, confidence, recommendation, active) in rows)
                            {
                                predictions.Add(Guid(random), model, player.Lookup, date, gameId, predicted, confidence, recommendation, line, active);
                                if (line is { } l)
                                {
                                    signalRows.TryAdd(model, []);
                                    signalRows[model].Add((predicted, l, recommendation, confidence));
                                }
                            }
                        }
                    }
                }
            }
            foreach (var (model, rows) in signalRows.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (rows.Count < 10 || (date == noSignalDay && model == Models[0]))
                {
                    continue;
                }
                AddSignal(signals, date, model, rows);
            }
            if (day % 30 == 29)
            {
                progress?.Report($"generated {day + 1} of {options.Days} days");
            }
        }

        var registry = new CsvTableWriter(["player_lookup", "player_name", "season", "team_abbr"]);
        foreach (var player in players.Where(p => !p.Unregistered))
        {
            registry.Add(player.Lookup, player.Name + (player.Name.Length % 3 == 0 ? " Sr." : ""), "2024-25", player.Team);
            registry.Add(player.Lookup, player.Name, "2025-26", player.Team);
        }

        var definitions = Definitions();
        var tables = new Dictionary<WarehouseTable, CsvTableWriter>
        {
            [WarehouseTable.Predictions] = predictions,
            [WarehouseTable.PlayerGameSummary] = summary,
            [WarehouseTable.UpcomingGameContext] = context,
            [WarehouseTable.DailySignals] = signals,
            [WarehouseTable.SubsetDefinitions] = definitions,
            [WarehouseTable.PlayersRegistry] = registry,
        };
        foreach (var (table, writer) in tables)
        {
            writer.Save(Path.Combine(folder, table.QualifiedName + ".csv"));
        }
        return new SampleDataSummary(Path.GetFullPath(folder), tables.ToDictionary(kv => kv.Key.QualifiedName, kv => kv.Value.Rows));
    }

    private sealed record Player(string Lookup, string Name, string Team, double Average, bool Unregistered);

    private static List<Player> CreatePlayers(Random random, int scale)
    {
        var players = new List<Player>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var team in Teams)
        {
            for (var i = 0; i < 14 * scale; i++)
            {
                string name, lookup;
                var tries = 0;
                do
                {
                    name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
                    // Large scales run out of first/last name pairs: number the namesakes.
                    if (++tries > 50)
                    {
                        name += " " + Letters(players.Count);
                    }
                    lookup = Lookup(name);
                }
                while (!used.Add(lookup));
                players.Add(new Player(lookup, name, team, 4 + random.NextDouble() * 26, random.NextDouble() < 0.03));
            }
        }
        return players;
    }

    /// <summary>Normalized key as in the registry: letters only, lower case, diacritics removed.</summary>
    /// <summary>0 → "A", 25 → "Z", 26 → "BA": lookups keep letters only, so namesakes are told apart by letters.</summary>
    private static string Letters(int n)
    {
        var letters = new System.Text.StringBuilder();
        do
        {
            letters.Insert(0, (char)('A' + (n % 26)));
            n /= 26;
        }
        while (n > 0);
        return letters.ToString();
    }

    public static string Lookup(string name) =>
        new(name.Normalize(System.Text.NormalizationForm.FormD)
            .Where(char.IsAsciiLetter)
            .Select(char.ToLowerInvariant)
            .ToArray());

    private static IEnumerable<(string Home, string Away, string GameId)> Schedule(Random random, DateOnly date)
    {
        // Occasional off days; otherwise 4–12 games.
        if (random.NextDouble() < 0.04)
        {
            yield break;
        }
        var shuffled = Teams.OrderBy(_ => random.Next()).ToList();
        var games = 4 + random.Next(9);
        for (var g = 0; g < games; g++)
        {
            yield return (shuffled[2 * g], shuffled[2 * g + 1], $"{date:yyyyMMdd}_{shuffled[2 * g + 1]}_{shuffled[2 * g]}");
        }
    }

    private static decimal LineFor(Random random, double average)
    {
        var raw = average + Normal(random) * 2;
        // About a quarter of lines are whole numbers, so pushes happen.
        var halves = random.NextDouble() < 0.25 ? Math.Round(raw) : Math.Floor(raw) + 0.5;
        return (decimal)Math.Max(0.5, halves);
    }

    private static IEnumerable<(decimal Predicted, decimal Confidence, string Recommendation, bool Active)> PredictionsFor(Random random, Player player, string model, decimal? line)
    {
        var count = random.NextDouble() switch
        {
            < 0.02 => 2, // a superseded row still active (streaming buffer) or an inactive one
            _ => 1,
        };
        for (var i = 0; i < count; i++)
        {
            var predicted = (decimal)Math.Round(Math.Max(1.0, player.Average + Normal(random) * 3.5), 1);
            var confidence = (decimal)Math.Round(79 + random.NextDouble() * 16, 2);
            string recommendation;
            if (line is not { } l)
            {
                recommendation = "NO_LINE";
            }
            else if (confidence < 60 || Math.Abs(predicted - l) < 1.0m || random.NextDouble() < 0.03)
            {
                recommendation = "PASS";
            }
            else
            {
                recommendation = predicted > l ? "OVER" : "UNDER";
            }
            var active = i == 0 || random.NextDouble() < 0.5;
            yield return (predicted, confidence, recommendation, active);
        }
    }

    private static void AddSignal(CsvTableWriter signals, DateOnly date, string model, List<(decimal Predicted, decimal Line, string Recommendation, decimal Confidence)> rows)
    {
        var total = rows.Count;
        var highEdge = rows.Count(r => Math.Abs(r.Predicted - r.Line) >= 5m);
        var premium = rows.Count(r => r.Confidence >= 0.92m && Math.Abs(r.Predicted - r.Line) >= 3m);
        var pctOver = Math.Round(100m * rows.Count(r => r.Recommendation == "OVER") / total, 1, MidpointRounding.AwayFromZero);
        var pctUnder = Math.Round(100m * rows.Count(r => r.Recommendation == "UNDER") / total, 1, MidpointRounding.AwayFromZero);
        var skew = pctOver < 25m ? "UNDER_HEAVY" : pctOver > 40m ? "OVER_HEAVY" : "BALANCED";
        var volume = highEdge < 3 ? "LOW" : highEdge > 8 ? "HIGH" : "NORMAL";
        var (signal, explanation) = pctOver < 25m ? ("RED", "Heavy UNDER skew")
            : highEdge < 3 ? ("YELLOW", "Few high-edge picks")
            : pctOver > 45m ? ("YELLOW", "Heavy OVER skew")
            : ("GREEN", "Balanced slate");
        signals.Add(date, model, total, highEdge, premium, pctOver, pctUnder, skew, volume, signal, explanation);
    }

    private static CsvTableWriter Definitions()
    {
        var d = new CsvTableWriter(["subset_id", "subset_name", "subset_description", "system_id", "min_edge", "min_confidence", "signal_condition", "pct_over_min", "pct_over_max", "use_ranking", "top_n", "is_active"]);
        d.Add("v9_high_edge_top1", "V9 Best Pick", "Edge 5+ best composite", "catboost_v9", 5.0m, null, "ANY", null, null, true, 1, true);
        d.Add("v9_high_edge_top3", "V9 Top 3", "Edge 5+ top 3", "catboost_v9", 5.0m, null, "ANY", null, null, true, 3, true);
        d.Add("v9_high_edge_top5", "V9 Top 5", "Edge 5+ top 5", "catboost_v9", 5.0m, null, "ANY", null, null, true, 5, true);
        d.Add("v9_high_edge_top10", "V9 Top 10", "Edge 5+ top 10", "catboost_v9", 5.0m, null, "ANY", null, null, true, 10, true);
        d.Add("v9_high_edge_balanced", "V9 High Edge Balanced", "GREEN days, 25-40% over", "catboost_v9", 5.0m, null, "GREEN", 25.0m, 40.0m, false, null, true);
        d.Add("v9_high_edge_top5_balanced", "V9 Top 5 Balanced", "GREEN days top 5", "catboost_v9", 5.0m, null, "GREEN", 25.0m, 40.0m, true, 5, true);
        d.Add("v9_high_edge_any", "V9 High Edge Any", "Edge 5+ any signal", "catboost_v9", 5.0m, null, "ANY", null, null, false, null, true);
        d.Add("v9_premium_safe", "V9 Premium Safe", "92%+ confidence, edge 3+", "catboost_v9", 3.0m, 0.92m, "GREEN_OR_YELLOW", null, null, false, null, true);
        d.Add("v9_high_edge_warning", "V9 High Edge Warning", "RED days under 25% over", "catboost_v9", 5.0m, null, "RED", null, 25.0m, false, null, true);
        // Rows the exporters must ignore: no public name, inactive, another model.
        d.Add("v9_high_edge_over_only", "V9 Over Only", "Edge 5+ OVER", "catboost_v9", 5.0m, null, "ANY", null, null, false, null, true);
        d.Add("v9_retired_top2", "V9 Top 2", "retired", "catboost_v9", 5.0m, null, "ANY", null, null, true, 2, false);
        d.Add("v8_high_edge_top5", "V8 Top 5", "Edge 5+ top 5", "catboost_v8", 5.0m, null, "ANY", null, null, true, 5, true);
        return d;
    }

    private static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new System.Guid(bytes).ToString();
    }

    private static double Normal(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

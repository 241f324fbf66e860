using ExportFlows.Workflows.Catalog;
using ExportFlows.Workflows.Contracts;
using ExportFlows.Workflows.Planning;

namespace ExportFlows.Tests.Planning;

public sealed class ShippedCatalogTests
{
    [Theory]
    [InlineData("subset-picks", "ExportSubsetPicks", ExporterKind.Native, ExportDateKind.TargetDate, true)]
    [InlineData("daily-signals", "ExportDailySignals", ExporterKind.Native, ExportDateKind.TargetDate, true)]
    [InlineData("subset-performance", "ExportSubsetPerformance", ExporterKind.Native, ExportDateKind.AsOfDate, false)]
    [InlineData("subset-definitions", "ExportSubsetDefinitions", ExporterKind.Native, ExportDateKind.None, false)]
    [InlineData("results", "ExportResults", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("performance", "ExportPerformance", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("best-bets", "ExportBestBets", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("predictions", "ExportPredictions", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("tonight", "ExportTonight", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("tonight-players", "ExportTonightPlayers", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("streaks", "ExportStreaks", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-hot-cold", "ExportTrendsHotCold", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-bounce-back", "ExportTrendsBounceBack", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-what-matters", "ExportTrendsWhatMatters", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-team", "ExportTrendsTeam", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-quick-hits", "ExportTrendsQuickHits", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("trends-deep-dive", "ExportTrendsDeepDive", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("tonight-trend-plays", "ExportTonightTrendPlays", ExporterKind.External, ExportDateKind.TargetDate, false)]
    [InlineData("live", "ExportLive", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("live-grading", "ExportLiveGrading", ExporterKind.External, ExportDateKind.TargetDate, true)]
    [InlineData("player-profiles", "ExportPlayerProfiles", ExporterKind.External, ExportDateKind.TargetDate, false)]
    public void GetImplemented_EveryType_ActivityKindAndDates(string type, string activity, ExporterKind kind, ExportDateKind dates, bool dateKeyed)
    {
        var info = ExportCatalog.Shipped.Get(type);
        Assert.Equal((activity, kind, dates, dateKeyed), (info.Activity, info.Kind, info.DateKind, info.DateKeyedObject));
        Assert.Equal(activity, ExportCatalogParser.DefaultActivity(type));
    }

    [Fact]
    public void Groups_AsInTheOriginal()
    {
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "tonight-trend-plays", "trends-tonight"], ExportCatalog.Shipped.Groups["trends-daily"]);
        Assert.Equal(["trends-what-matters", "trends-team", "trends-quick-hits"], ExportCatalog.Shipped.Groups["trends-weekly"]);
        Assert.Equal(["trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays", "trends-tonight"],
            ExportCatalog.Shipped.Groups["trends-all"]);
    }

    [Fact]
    public void OrchestratorTypes_TheOriginalList_DefaultEnabledTheNativeFour()
    {
        Assert.Equal(["tonight", "tonight-players", "predictions", "best-bets", "streaks", "subset-picks", "season-subsets", "daily-signals", "signal-best-bets",
            "calendar", "best-bets-all", "best-bets-today", "admin-dashboard", "admin-picks", "trends-tonight"], ExportCatalog.Shipped.Orchestrator);
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions"], ExportCatalog.Shipped.NativeTypes);
        Assert.Equal(["subset-picks", "daily-signals"], ExportCatalog.Shipped.Orchestrator.Where(t => !ExportCatalog.Shipped.IsExternal(t)));
    }

    [Theory]
    [InlineData("results", new[] { "v1/results/2026-02-10.json", "v1/results/latest.json" })]
    [InlineData("predictions", new[] { "v1/predictions/2026-02-10.json", "v1/predictions/today.json" })]
    [InlineData("tonight-players", new[] { "v1/tonight/player/2026-02-10/", "v1/tonight/player/" })]
    [InlineData("tonight", new[] { "v1/tonight/2026-02-10.json", "v1/tonight/all-players.json" })]
    [InlineData("player-profiles", new[] { "v1/players/index.json", "v1/players/" })]
    [InlineData("trends-hot-cold", new[] { "v1/trends/whos-hot-v2.json" })]
    [InlineData("subset-performance", new[] { "v1/subsets/performance.json" })]
    public void ExportObjects_OriginalPaths(string type, string[] names) =>
        Assert.Equal(names, ExportCatalog.Shipped.Get(type).Objects.Select(o => o.Name(new DateOnly(2026, 2, 10))));

    [Fact]
    public void ExportObjects_EveryTypeButTheStepsHasObjects()
    {
        Assert.All(ExportCatalog.Shipped.Types.Where(t => !t.IsStep), t => Assert.NotEmpty(t.Objects));
        Assert.All(ExportCatalog.Shipped.Types.Where(t => t.IsStep), t => Assert.Empty(t.Objects));
    }

    [Fact]
    public void Groups_SubsetAll_TheNativeFour() =>
        Assert.Equal(["subset-picks", "daily-signals", "subset-performance", "subset-definitions"], ExportCatalog.Shipped.Groups["subset-all"]);

    // Each type's objects: pattern, kind, Cache-Control (the native exporters' and the original exporters' max-age values) and the folder's exception.
    [Theory]
    [InlineData("subset-picks", "v1/picks/{date}.json|DateKeyed|public, max-age=300")]
    [InlineData("daily-signals", "v1/signals/{date}.json|DateKeyed|public, max-age=300")]
    [InlineData("subset-performance", "v1/subsets/performance.json|Fixed|public, max-age=3600")]
    [InlineData("subset-definitions", "v1/systems/subsets.json|Fixed|public, max-age=86400")]
    [InlineData("results", "v1/results/{date}.json|DateKeyed|public, max-age=86400", "v1/results/latest.json|Latest|public, max-age=300")]
    [InlineData("performance", "v1/systems/performance.json|Fixed|public, max-age=3600")]
    [InlineData("best-bets", "v1/best-bets/{date}.json|DateKeyed|public, max-age=86400", "v1/best-bets/latest.json|Latest|public, max-age=300")]
    [InlineData("predictions", "v1/predictions/{date}.json|DateKeyed|public, max-age=3600", "v1/predictions/today.json|Latest|public, max-age=300")]
    [InlineData("tonight", "v1/tonight/{date}.json|DateKeyed|public, max-age=300", "v1/tonight/all-players.json|Latest|public, max-age=300")]
    [InlineData("tonight-players", "v1/tonight/player/{date}/|PerPlayer|public, max-age=86400", "v1/tonight/player/|PerPlayer|public, max-age=300|v1/tonight/player/{date}/")]
    [InlineData("streaks", "v1/streaks/today.json|Fixed|public, max-age=3600")]
    [InlineData("trends-hot-cold", "v1/trends/whos-hot-v2.json|Fixed|public, max-age=3600")]
    [InlineData("trends-bounce-back", "v1/trends/bounce-back.json|Fixed|public, max-age=3600")]
    [InlineData("trends-what-matters", "v1/trends/what-matters.json|Fixed|public, max-age=43200")]
    [InlineData("trends-team", "v1/trends/team-tendencies.json|Fixed|public, max-age=43200")]
    [InlineData("trends-quick-hits", "v1/trends/quick-hits.json|Fixed|public, max-age=43200")]
    [InlineData("trends-deep-dive", "v1/trends/deep-dive-current.json|Fixed|public, max-age=86400")]
    [InlineData("tonight-trend-plays", "v1/trends/tonight-plays.json|Fixed|public, max-age=3600")]
    [InlineData("live", "v1/live/{date}.json|DateKeyed|public, max-age=30", "v1/live/latest.json|Latest|public, max-age=30")]
    [InlineData("live-grading", "v1/live-grading/{date}.json|DateKeyed|public, max-age=30", "v1/live-grading/latest.json|Latest|public, max-age=30")]
    [InlineData("player-profiles", "v1/players/index.json|Fixed|public, max-age=3600", "v1/players/|PerPlayer|public, max-age=3600|v1/players/index.json")]
    public void Objects_EveryType_PatternKindAndCacheControl(string type, params string[] objects)
    {
        var expected = objects.Select(o => o.Split('|')).Select(f => new ExportObjectSpec(type, f[0], Enum.Parse<ExportObjectKind>(f[1]), f[2], f.Length > 3 ? f[3] : null));
        Assert.Equal(expected, ExportCatalog.Shipped.Get(type).Objects);
    }

    [Fact]
    public void Types_TheOriginalsDailyExport_ThirtyOneDispatchedTypesTheLegacyBestBetsAndTenSteps()
    {
        // EXPORT_TYPES of backfill_jobs/publishing/daily_export.py at 18f6ecfe, less its three group shorthands.
        string[] dispatched = ["results", "performance", "predictions", "tonight", "tonight-players", "streaks", "calendar", "season-game-counts",
            "trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits", "trends-deep-dive", "tonight-trend-plays",
            "live", "live-grading", "subset-picks", "daily-signals", "subset-performance", "subset-definitions", "season-subsets", "signal-best-bets",
            "signal-health", "model-health", "best-bets-record", "best-bets-today", "best-bets-all", "admin-picks", "admin-dashboard", "trends-tonight"];
        Assert.Equal(31, dispatched.Length);
        var steps = ExportCatalog.Shipped.Types.Where(t => t.IsStep).Select(t => t.Name).ToList();
        // The four before signal best bets (daily_export.py), then the post-grading backfills and analytics (post_grading_export/main.py).
        Assert.Equal(["discover-models", "materialize-subsets", "cross-model-subsets", "annotate-signals", "backfill-signal-best-bets", "backfill-filtered-picks",
            "compute-signal-health", "compute-model-performance", "compute-model-profiles", "compute-league-macro"], steps);
        Assert.Equal(dispatched.Append("best-bets").Append("player-profiles").Concat(steps).Order(), ExportCatalog.Shipped.TypeNames.Order());
    }

    [Fact]
    public void Steps_TheOriginalsChain_ValuesPassedToSignalBestBets()
    {
        var shipped = ExportCatalog.Shipped;
        Assert.Equal(["discover-models"], shipped.Get("materialize-subsets").After);
        Assert.Equal(["discover-models", "materialize-subsets"], shipped.Get("cross-model-subsets").After);
        Assert.Equal(["materialize-subsets", "cross-model-subsets"], shipped.Get("annotate-signals").After);
        var best = shipped.Get("signal-best-bets");
        Assert.Equal(["discover-models", "materialize-subsets", "cross-model-subsets", "annotate-signals"], best.After);
        Assert.Equal(["best-bets"], best.Replaces);
        Assert.Equal(new ProducedValue("materialize-subsets", "version_id") { Optional = true }, best.Call!.Kwargs["version_id"].Produced);
        Assert.Equal("result.version_id", shipped.Get("materialize-subsets").Values["version_id"]);
        var crossVersion = shipped.Get("cross-model-subsets").Call!.Kwargs["version_id"].Produced!;
        Assert.Equal(("started_at", "v_%Y%m%d_%H%M%S"), (crossVersion.Default!.Run, crossVersion.Default.RunFormat));
        Assert.Equal(("shared.config.cross_model_subsets", "discover_models"), (shipped.Get("discover-models").Call!.Module, shipped.Get("discover-models").Call!.Function));
        Assert.Equal("shared.clients.bigquery_pool.get_bigquery_client", shipped.Get("discover-models").Call!.Args[0].CallOf);
        // Asking for signal best bets brings the steps in, each before its first dependent.
        var plan = ExportPlanner.Plan(shipped, new ExportRequest(["signal-best-bets"], "2026-02-10"), new DateTimeOffset(2026, 2, 10, 18, 0, 0, TimeSpan.Zero));
        Assert.Equal(["discover-models", "materialize-subsets", "cross-model-subsets", "annotate-signals", "signal-best-bets"], plan.Requested);
    }

    // post_grading_export/main.py, steps 4, 5, 5b, 5c: rows = compute(bq, date); if rows: write(bq, rows).
    [Theory]
    [InlineData("compute-signal-health", "ml.signals.signal_health", "compute_signal_health", "write_health_rows", false)]
    [InlineData("compute-model-performance", "ml.analysis.model_performance", "compute_for_date", "write_rows", true)]
    [InlineData("compute-model-profiles", "ml.analysis.model_profile", "compute_profiles_for_date", "write_profile_rows", true)]
    [InlineData("compute-league-macro", "ml.analysis.league_macro", "compute_for_date", "write_rows", true)]
    public void Steps_PostGradingAnalytics_ComputeThenWriteWithOneClient(string type, string module, string compute, string write, bool dateObject)
    {
        var row = ExportCatalog.Shipped.Get(type);
        var client = new ExporterArgument(null, null) { CallOf = "shared.clients.bigquery_pool.get_bigquery_client" };
        var date = dateObject ? new ExporterArgument(null, null) { Date = "target_date" } : new ExporterArgument("target_date", null);
        Assert.True(row.IsStep);
        Assert.Equal((module, compute), (row.Call!.Module, row.Call.Function));
        Assert.Equal([client, date], row.Call.Args);
        Assert.Equal((module, write), (row.Call.Then!.Module, row.Call.Then.Function));
        Assert.Equal([client, new ExporterArgument(null, null) { Result = true }], row.Call.Then.Args);
        Assert.Empty(row.Call.Then.Kwargs);
        Assert.Null(row.Call.Then.Then);
        Assert.Equal(new Dictionary<string, string> { ["rows_written"] = "result" }, row.Values);
        Assert.Empty(row.DependsOn);
    }

    [Fact]
    public void Flags_PreflightOnTheOrchestratorsGuardedFive_SkipOnTheClockRebuiltTwo()
    {
        Assert.Equal(["best-bets", "predictions", "streaks", "tonight", "tonight-players"], ExportCatalog.Shipped.Types.Where(t => t.Preflight).Select(t => t.Name).Order());
        Assert.Equal(["subset-definitions", "subset-performance"], ExportCatalog.Shipped.Types.Where(t => t.SkipWhenInputsUnchanged).Select(t => t.Name).Order());
    }

    [Fact]
    public void Rows_DefaultQueuesAndImplementations_NativeRowsNameThemselves()
    {
        Assert.All(ExportCatalog.Shipped.Types, t => Assert.Null(t.TaskQueue));
        Assert.All(ExportCatalog.Shipped.Types, t => Assert.Equal(t.IsExternal ? null : t.Name, t.Implementation));
        Assert.All(ExportCatalog.Shipped.Types, t => Assert.Equal(t.IsExternal, t.Call is not null));
        Assert.Equal(["player-profiles"], ExportCatalog.Shipped.Types.Where(t => t.Options.Count > 0).Select(t => t.Name));
        Assert.Equal(new ExportOption(5, 1, 82), ExportCatalog.Shipped.Get("player-profiles").Options["min_games"]);
    }

    // module (under data_processors.publishing), class, method, positional args, keyword args (name=value), constructor (name=JSON):
    // as the Python worker's SPECS called the original before the catalog.
    [Theory]
    [InlineData("results", "results_exporter", "ResultsExporter", "export", "target_date", "update_latest=update_latest", "")]
    [InlineData("performance", "system_performance_exporter", "SystemPerformanceExporter", "export", "target_date", "", "")]
    [InlineData("best-bets", "best_bets_exporter", "BestBetsExporter", "export", "target_date", "update_latest=update_latest", "")]
    [InlineData("predictions", "predictions_exporter", "PredictionsExporter", "export", "target_date", "update_today=update_latest", "")]
    [InlineData("tonight", "tonight_all_players_exporter", "TonightAllPlayersExporter", "export", "target_date", "", "")]
    [InlineData("tonight-players", "tonight_player_exporter", "TonightPlayerExporter", "export_all_for_date", "target_date", "", "")]
    [InlineData("streaks", "streaks_exporter", "StreaksExporter", "export", "target_date", "", "min_streak_length=4")]
    [InlineData("trends-hot-cold", "whos_hot_cold_exporter", "WhosHotColdExporter", "export", "target_date", "", "")]
    [InlineData("trends-bounce-back", "bounce_back_exporter", "BounceBackExporter", "export", "target_date", "", "")]
    [InlineData("trends-what-matters", "what_matters_exporter", "WhatMattersExporter", "export", "target_date", "", "")]
    [InlineData("trends-team", "team_tendencies_exporter", "TeamTendenciesExporter", "export", "target_date", "", "")]
    [InlineData("trends-quick-hits", "quick_hits_exporter", "QuickHitsExporter", "export", "target_date", "", "")]
    [InlineData("trends-deep-dive", "deep_dive_exporter", "DeepDiveExporter", "export", "target_date", "", "")]
    [InlineData("tonight-trend-plays", "tonight_trend_plays_exporter", "TonightTrendPlaysExporter", "export", "", "game_date=target_date", "")]
    [InlineData("live", "live_scores_exporter", "LiveScoresExporter", "export", "target_date", "update_latest=update_latest", "")]
    [InlineData("live-grading", "live_grading_exporter", "LiveGradingExporter", "export", "target_date", "update_latest=update_latest", "")]
    [InlineData("player-profiles", "player_profile_exporter", "PlayerProfileExporter", "export_all_players", "", "min_games=min_games", "")]
    public void Call_EveryExternalRow_TheOriginalsCall(string type, string module, string cls, string method, string args, string kwargs, string constructor)
    {
        static IEnumerable<string> Items(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var call = ExportCatalog.Shipped.Get(type).Call!;
        Assert.Equal(("data_processors.publishing." + module, cls, method), (call.Module, call.Class, call.Method));
        Assert.Equal(Items(args).Select(a => new ExporterArgument(a, null)), call.Args);
        Assert.Equal(Items(kwargs).Select(k => k.Split('=')).ToDictionary(k => k[0], k => new ExporterArgument(k[1], null)), call.Kwargs);
        Assert.Equal(Items(constructor).Select(k => k.Split('=')).ToDictionary(k => k[0], k => new ExporterArgument(null, k[1])), call.Constructor);
    }

    [Fact]
    public void Publication_TheCompiledNamesOfBeforeTheCatalog()
    {
        var publication = ExportCatalog.Shipped.Publication;
        Assert.Equal(new Dictionary<string, string>
        {
            ["catboost_v9"] = "926A",
            ["catboost_v9_202602"] = "926B",
            ["ensemble_v1"] = "E01",
            ["similarity_v1"] = "S01",
            ["xgboost_v2"] = "X02",
            ["catboost_v8"] = "825A",
        }, publication.ModelCodenames);
        Assert.Equal(
        [
            ("v9_high_edge_top1", 1, "Top Pick", "Single best pick"), ("v9_high_edge_top3", 2, "Top 3", "Top 3 picks"), ("v9_high_edge_top5", 3, "Top 5", "Top 5 picks"),
            ("v9_high_edge_top10", 4, "Top 10", "Top 10 picks"), ("v9_high_edge_balanced", 5, "Best Value", "Best value picks"),
            ("v9_high_edge_top5_balanced", 6, "Best Value Top 5", "Best value top 5"), ("v9_high_edge_any", 7, "All Picks", "All picks"),
            ("v9_premium_safe", 8, "Premium", "Premium selection"), ("v9_high_edge_warning", 9, "Alternative", "Alternative picks"),
        ], publication.Subsets.Select(p => (p.Key, p.Value.Id, p.Value.Name, p.Value.Description)).OrderBy(p => p.Id));
    }
}

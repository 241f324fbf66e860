"""The shipped catalog's external rows: the former hand-written SPECS unchanged, and the rows that follow the
original at 18f6ecfe (27 July 2026)."""

import os
import unittest

from exportflows_worker import DEFAULT_TASK_QUEUE
from exportflows_worker.catalog import activity_name
from exportflows_worker.catalog_file import DEFAULT_CATALOG

from tests.support import SHIPPED

P = "data_processors.publishing."
LATEST = (("update_latest", "update_latest"),)

# The hand-written SPECS of exportflows_worker/catalog.py before the catalog file, as they stood:
# type -> (module, class, constructor kwargs, method, positional request values, (keyword, request value) pairs).
FORMER_SPECS = {
    "results": (P + "results_exporter", "ResultsExporter", {}, "export", ("target_date",), LATEST),
    "performance": (P + "system_performance_exporter", "SystemPerformanceExporter", {}, "export", ("target_date",), ()),
    "best-bets": (P + "best_bets_exporter", "BestBetsExporter", {}, "export", ("target_date",), LATEST),
    "predictions": (P + "predictions_exporter", "PredictionsExporter", {}, "export", ("target_date",),
                    (("update_today", "update_latest"),)),
    "tonight": (P + "tonight_all_players_exporter", "TonightAllPlayersExporter", {}, "export", ("target_date",), ()),
    "tonight-players": (P + "tonight_player_exporter", "TonightPlayerExporter", {}, "export_all_for_date",
                        ("target_date",), ()),
    "streaks": (P + "streaks_exporter", "StreaksExporter", {"min_streak_length": 4}, "export", ("target_date",), ()),
    "trends-hot-cold": (P + "whos_hot_cold_exporter", "WhosHotColdExporter", {}, "export", ("target_date",), ()),
    "trends-bounce-back": (P + "bounce_back_exporter", "BounceBackExporter", {}, "export", ("target_date",), ()),
    "trends-what-matters": (P + "what_matters_exporter", "WhatMattersExporter", {}, "export", ("target_date",), ()),
    "trends-team": (P + "team_tendencies_exporter", "TeamTendenciesExporter", {}, "export", ("target_date",), ()),
    "trends-quick-hits": (P + "quick_hits_exporter", "QuickHitsExporter", {}, "export", ("target_date",), ()),
    "trends-deep-dive": (P + "deep_dive_exporter", "DeepDiveExporter", {}, "export", ("target_date",), ()),
    "tonight-trend-plays": (P + "tonight_trend_plays_exporter", "TonightTrendPlaysExporter", {}, "export", (),
                            (("game_date", "target_date"),)),
    "live": (P + "live_scores_exporter", "LiveScoresExporter", {}, "export", ("target_date",), LATEST),
    "live-grading": (P + "live_grading_exporter", "LiveGradingExporter", {}, "export", ("target_date",), LATEST),
    "player-profiles": (P + "player_profile_exporter", "PlayerProfileExporter", {}, "export_all_players", (),
                        (("min_games", "min_games"),)),
}

BQ = "shared.clients.bigquery_pool.get_bigquery_client()"
# The rows added to follow the original's daily_export.py at 18f6ecfe: type -> the call as it reads.
LATER_CALLS = {
    "calendar": "CalendarExporter().export(days_back=30)",
    "season-game-counts": "SeasonGameCountsExporter().export(season_start='2025-10-01')",
    "trends-tonight": "TrendsTonightExporter().export(target_date)",
    "season-subsets": "SeasonSubsetPicksExporter().export()",
    "discover-models": "shared.config.cross_model_subsets.discover_models("
                       "shared.clients.bigquery_pool.get_bigquery_client(), target_date)",
    "materialize-subsets": "SubsetMaterializer().materialize(target_date, trigger_source='export', "
                           "active_system_ids=value(discover-models.system_ids, optional))",
    "cross-model-subsets": "CrossModelSubsetMaterializer().materialize(target_date, "
                           "version_id=value(materialize-subsets.version_id, default=run(started_at, "
                           "'v_%Y%m%d_%H%M%S')), trigger_source='export', discovered_models=value("
                           "discover-models.models, optional, construct=shared.config.cross_model_subsets."
                           "DiscoveredModels))",
    "annotate-signals": "SignalAnnotator().annotate(target_date, version_id=value(materialize-subsets.version_id, "
                        "optional))",
    "signal-best-bets": "SignalBestBetsExporter().export(target_date, version_id=value("
                        "materialize-subsets.version_id, optional))",
    "backfill-signal-best-bets": "orchestration.cloud_functions.post_grading_export.main.backfill_signal_best_bets("
                                 "target_date)",
    "backfill-filtered-picks": "orchestration.cloud_functions.post_grading_export.main.backfill_filtered_picks("
                               "target_date)",
    "compute-signal-health": "ml.signals.signal_health.compute_signal_health(%s, target_date) then, if it returned "
                             "something, ml.signals.signal_health.write_health_rows(%s, result)" % (BQ, BQ),
    "compute-model-performance": "ml.analysis.model_performance.compute_for_date(%s, date(target_date)) then, if it "
                                 "returned something, ml.analysis.model_performance.write_rows(%s, result)" % (BQ, BQ),
    "compute-model-profiles": "ml.analysis.model_profile.compute_profiles_for_date(%s, date(target_date)) then, if it "
                              "returned something, ml.analysis.model_profile.write_profile_rows(%s, result)"
                              % (BQ, BQ),
    "compute-league-macro": "ml.analysis.league_macro.compute_for_date(%s, date(target_date)) then, if it returned "
                            "something, ml.analysis.league_macro.write_rows(%s, result)" % (BQ, BQ),
    "signal-health": "SignalHealthExporter().export(target_date)",
    "model-health": "ModelHealthExporter().export(target_date)",
    "best-bets-record": "BestBetsRecordExporter().export(target_date)",
    "best-bets-today": "TodayBestBetsExporter().export(target_date)",
    "best-bets-all": "BestBetsAllExporter().export(target_date, trigger_source='scheduled')",
    "admin-picks": "AdminPicksExporter().export(target_date)",
    "admin-dashboard": "AdminDashboardExporter().export(target_date)",
}
STEPS = ("discover-models", "materialize-subsets", "cross-model-subsets", "annotate-signals")
POST_GRADING_STEPS = ("backfill-signal-best-bets", "backfill-filtered-picks")
ANALYTICS_STEPS = ("compute-signal-health", "compute-model-performance", "compute-model-profiles",
                   "compute-league-macro")


class ShippedCatalogTests(unittest.TestCase):
    def test_DefaultCatalog_IsTheRepositorysCatalogFile(self):
        here = os.path.dirname(os.path.abspath(__file__))
        self.assertEqual(DEFAULT_CATALOG, os.path.normpath(os.path.join(here, "..", "..", "..", "catalog",
                                                                        "exportflows.toml")))
        self.assertEqual(SHIPPED.path, DEFAULT_CATALOG)

    def test_ExternalTypes_AreTheFormerSeventeenThenTheLaterRows(self):
        self.assertEqual(SHIPPED.external_types, (
            "results", "performance", "best-bets", "predictions", "tonight", "tonight-players", "streaks",
            "trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits",
            "trends-deep-dive", "tonight-trend-plays", "live", "live-grading") + tuple(LATER_CALLS) + (
            "player-profiles",))

    def test_LaterRows_MakeTheOriginalsCalls(self):
        for export_type, described in LATER_CALLS.items():
            with self.subTest(export_type=export_type):
                self.assertEqual(SHIPPED.external[export_type].describe_call(), described)

    def test_Steps_AreTheFourBeforeSignalBestBetsEachAfterWhatItNeeds(self):
        rows = SHIPPED.external
        self.assertEqual(tuple(t for t, row in rows.items() if row.step), STEPS + POST_GRADING_STEPS + ANALYTICS_STEPS)
        self.assertEqual({t: (rows[t].after, rows[t].requires, rows[t].objects) for t in STEPS}, {
            "discover-models": ((), (), ()),
            "materialize-subsets": (("discover-models",), (), ()),
            "cross-model-subsets": (("discover-models", "materialize-subsets"), (), ()),
            "annotate-signals": (("materialize-subsets", "cross-model-subsets"), (), ())})
        self.assertEqual(rows["signal-best-bets"].after, STEPS)
        self.assertEqual(rows["signal-best-bets"].replaces, ("best-bets",))
        self.assertEqual({t: (rows[t].after, rows[t].requires, rows[t].values) for t in POST_GRADING_STEPS},
                         {t: ((), (), {"rows_updated": "result"}) for t in POST_GRADING_STEPS})
        self.assertEqual({t: dict(rows[t].values) for t in rows if rows[t].values}, {
            "discover-models": {"models": "result", "system_ids": "result.all_system_ids"},
            "materialize-subsets": {"version_id": "result.version_id"},
            "backfill-signal-best-bets": {"rows_updated": "result"},
            "backfill-filtered-picks": {"rows_updated": "result"},
            **{t: {"rows_written": "result"} for t in ANALYTICS_STEPS}})
        self.assertEqual({t: deps for t, deps in SHIPPED.dependencies.items() if deps}, {
            "materialize-subsets": ("discover-models",),
            "cross-model-subsets": ("discover-models", "materialize-subsets"),
            "annotate-signals": ("materialize-subsets", "cross-model-subsets"),
            "signal-best-bets": STEPS})

    def test_SignalBestBetsAndBestBets_ShareOnlyTheLatestFile(self):
        legacy = {o.path for o in SHIPPED.external["best-bets"].objects}
        signal = {o.path for o in SHIPPED.external["signal-best-bets"].objects}
        self.assertEqual(legacy & signal, {"v1/best-bets/latest.json"})

    def test_NativeTypes_AreTheFourSubsetExporters(self):
        self.assertEqual(SHIPPED.native, {"subset-picks", "daily-signals", "subset-performance", "subset-definitions"})

    def test_ShippedRows_MakeExactlyTheCallsOfTheFormerSpecs(self):
        self.assertEqual(list(FORMER_SPECS), [t for t in SHIPPED.external if t not in LATER_CALLS])
        for export_type, expected in FORMER_SPECS.items():
            with self.subTest(export_type=export_type):
                call = SHIPPED.external[export_type].call
                self.assertEqual((call.module, call.class_name, dict(call.constructor), call.method,
                                  tuple(arg.name for arg in call.args),
                                  tuple((parameter, arg.name) for parameter, arg in call.kwargs)), expected)

    def test_MinGames_IsPlayerProfilesOnlyOptionWithTheFormerDefaultAndRange(self):
        self.assertEqual({t: set(row.options) for t, row in SHIPPED.external.items() if row.options},
                         {"player-profiles": {"min_games"}})
        option = SHIPPED.external["player-profiles"].options["min_games"]
        self.assertEqual((option.default, option.minimum, option.maximum), (5, 1, 82))

    def test_ActivityNames_AreExportPlusPascalCaseOfEveryType(self):
        self.assertEqual([row.activity for row in SHIPPED.external.values()], [
            "ExportResults", "ExportPerformance", "ExportBestBets", "ExportPredictions", "ExportTonight",
            "ExportTonightPlayers", "ExportStreaks", "ExportTrendsHotCold", "ExportTrendsBounceBack",
            "ExportTrendsWhatMatters", "ExportTrendsTeam", "ExportTrendsQuickHits", "ExportTrendsDeepDive",
            "ExportTonightTrendPlays", "ExportLive", "ExportLiveGrading", "ExportCalendar", "ExportSeasonGameCounts",
            "ExportTrendsTonight", "ExportSeasonSubsets", "ExportDiscoverModels", "ExportMaterializeSubsets",
            "ExportCrossModelSubsets", "ExportAnnotateSignals", "ExportSignalBestBets", "ExportBackfillSignalBestBets",
            "ExportBackfillFilteredPicks", "ExportComputeSignalHealth", "ExportComputeModelPerformance",
            "ExportComputeModelProfiles", "ExportComputeLeagueMacro", "ExportSignalHealth",
            "ExportModelHealth", "ExportBestBetsRecord", "ExportBestBetsToday", "ExportBestBetsAll", "ExportAdminPicks",
            "ExportAdminDashboard", "ExportPlayerProfiles"])

    def test_ActivityName_NativeType_FollowsTheSameRule(self):
        self.assertEqual(activity_name("subset-picks"), "ExportSubsetPicks")

    def test_TaskQueue_EveryShippedRowIsOnTheWorkersDefaultQueue(self):
        self.assertEqual(DEFAULT_TASK_QUEUE, "exportflows-python")
        self.assertEqual({row.task_queue for row in SHIPPED.external.values()}, {None})

    def test_PreflightRows_AreTheFiveTonightTypesOnly(self):
        self.assertEqual({t for t, row in SHIPPED.external.items() if row.preflight},
                         {"tonight", "tonight-players", "predictions", "best-bets", "streaks"})

    def test_PerPlayerFolders_OnlyTonightPlayersAndPlayerProfiles(self):
        self.assertEqual({t for t, row in SHIPPED.external.items() if any(o.path.endswith("/") for o in row.objects)},
                         {"tonight-players", "player-profiles"})

    def test_DescribeCall_ReadsAsTheOriginalCall(self):
        rows = SHIPPED.external
        self.assertEqual(rows["predictions"].describe_call(),
                         "PredictionsExporter().export(target_date, update_today=update_latest)")
        self.assertEqual(rows["streaks"].describe_call(), "StreaksExporter(min_streak_length=4).export(target_date)")
        self.assertEqual(rows["tonight-trend-plays"].describe_call(),
                         "TonightTrendPlaysExporter().export(game_date=target_date)")
        self.assertEqual(rows["player-profiles"].describe_call(),
                         "PlayerProfileExporter().export_all_players(min_games=min_games)")

    def test_ObjectPattern_DateAndFolderRules(self):
        results, dated, folder = SHIPPED.external["results"].objects[0], *SHIPPED.external["tonight-players"].objects
        self.assertTrue(results.matches("v1/results/2026-02-10.json", "2026-02-10"))
        self.assertFalse(results.matches("v1/results/2026-02-11.json", "2026-02-10"))
        self.assertTrue(folder.matches("v1/tonight/player/lebronjames.json", "2026-02-10"))
        self.assertTrue(dated.matches("v1/tonight/player/2026-02-10/lebronjames.json", "2026-02-10"))
        self.assertFalse(dated.matches("v1/tonight/player/2026-02-11/lebronjames.json", "2026-02-10"))
        for name in ("v1/tonight/player/2026-02-10/lebronjames.json", "v1/tonight/player/.json",
                     "v1/tonight/player/x.csv",
                     "v1/tonight/players/x.json"):
            with self.subTest(name=name):
                self.assertFalse(folder.matches(name, "2026-02-10"))


if __name__ == "__main__":
    unittest.main()

import datetime
import unittest

from exportflows_worker.errors import ContractViolation, InvalidExportRequest, MissingTable, NotReady
from exportflows_worker.exporters import OriginalExporters
from exportflows_worker.preflight import PreflightCounts
from exportflows_worker.runner import run_export

from tests.fake_original import FakeOriginal
from tests.support import SHIPPED, Beats, request

EXTERNAL_TYPES = SHIPPED.external_types

D = "2026-02-10"

# type -> (class, constructor kwargs, method, positional args, keyword args) as the original's daily_export.py makes the call,
# for a request with update_latest = False (so a value passed through is told apart from the signature's default).
EXPECTED_CALLS = {
    "results": ("ResultsExporter", {}, "export", (D,), {"update_latest": False}),
    "performance": ("SystemPerformanceExporter", {}, "export", (D,), {}),
    "best-bets": ("BestBetsExporter", {}, "export", (D,), {"update_latest": False}),
    "predictions": ("PredictionsExporter", {}, "export", (D,), {"update_today": False}),
    "tonight": ("TonightAllPlayersExporter", {}, "export", (D,), {}),
    "tonight-players": ("TonightPlayerExporter", {}, "export_all_for_date", (D,), {}),
    "streaks": ("StreaksExporter", {"min_streak_length": 4}, "export", (D,), {}),
    "trends-hot-cold": ("WhosHotColdExporter", {}, "export", (D,), {}),
    "trends-bounce-back": ("BounceBackExporter", {}, "export", (D,), {}),
    "trends-what-matters": ("WhatMattersExporter", {}, "export", (D,), {}),
    "trends-team": ("TeamTendenciesExporter", {}, "export", (D,), {}),
    "trends-quick-hits": ("QuickHitsExporter", {}, "export", (D,), {}),
    "trends-deep-dive": ("DeepDiveExporter", {}, "export", (D,), {}),
    "tonight-trend-plays": ("TonightTrendPlaysExporter", {}, "export", (), {"game_date": D}),
    "live": ("LiveScoresExporter", {}, "export", (D,), {"update_latest": False}),
    "live-grading": ("LiveGradingExporter", {}, "export", (D,), {"update_latest": False}),
    "player-profiles": ("PlayerProfileExporter", {}, "export_all_players", (), {"min_games": 5}),
    "calendar": ("CalendarExporter", {}, "export", (), {"days_back": 30}),
    "season-game-counts": ("SeasonGameCountsExporter", {}, "export", (), {"season_start": "2025-10-01"}),
    "trends-tonight": ("TrendsTonightExporter", {}, "export", (D,), {}),
    "season-subsets": ("SeasonSubsetPicksExporter", {}, "export", (), {}),
    "signal-health": ("SignalHealthExporter", {}, "export", (D,), {}),
    "model-health": ("ModelHealthExporter", {}, "export", (D,), {}),
    "best-bets-record": ("BestBetsRecordExporter", {}, "export", (D,), {}),
    "best-bets-today": ("TodayBestBetsExporter", {}, "export", (D,), {}),
    "best-bets-all": ("BestBetsAllExporter", {}, "export", (D,), {"trigger_source": "scheduled"}),
    "admin-picks": ("AdminPicksExporter", {}, "export", (D,), {}),
    "admin-dashboard": ("AdminDashboardExporter", {}, "export", (D,), {}),
    # Rows that take values of earlier rows, here with none sent: the optional ones get None, as in the original
    # when a step failed; cross-model-subsets' version_id falls back to the run's start (the request's clock here).
    "materialize-subsets": ("SubsetMaterializer", {}, "materialize", (D,),
                            {"trigger_source": "export", "active_system_ids": None}),
    "cross-model-subsets": ("CrossModelSubsetMaterializer", {}, "materialize", (D,),
                            {"version_id": "v_20260210_180000", "trigger_source": "export", "discovered_models": None}),
    "annotate-signals": ("SignalAnnotator", {}, "annotate", (D,), {"version_id": None}),
    "signal-best-bets": ("SignalBestBetsExporter", {}, "export", (D,), {"version_id": None}),
}
# Module-level function calls: type -> (function, args, kwargs).
EXPECTED_FUNCTION_CALLS = {
    "discover-models": ("discover_models", ("pooled bigquery client", D), {}),
    "backfill-signal-best-bets": ("backfill_signal_best_bets", (D,), {}),
    "backfill-filtered-picks": ("backfill_filtered_picks", (D,), {}),
}
# Chained calls: type -> [(function, args)] in order: compute with the pooled client and the date (a datetime.date
# but for signal health), then write with the same client and what compute returned (the fake original's rows).
BQ = "pooled bigquery client"
DAY = datetime.date(2026, 2, 10)
EXPECTED_CHAINED_CALLS = {
    "compute-signal-health": [("compute_signal_health", (BQ, D)), ("write_health_rows", (BQ, [
        {"game_date": D, "signal_tag": "high_edge"}, {"game_date": D, "signal_tag": "rest"}]))],
    "compute-model-performance": [("compute_for_date", (BQ, DAY)), ("write_rows", (BQ, [
        {"game_date": DAY, "model_id": m} for m in ("catboost_v9", "xgboost_v2", "ensemble_v1")]))],
    "compute-model-profiles": [("compute_profiles_for_date", (BQ, DAY)), ("write_profile_rows", (BQ, [
        {"game_date": DAY, "dimension": d} for d in ("tier", "line_range", "edge_band", "affinity")]))],
    "compute-league-macro": [("compute_for_date", (BQ, DAY)), ("write_rows", (BQ, {
        "game_date": DAY, "market_regime": "NORMAL"}))],
}

READY = PreflightCounts(context_rows=30, active_predictions=50)


class NotFound(Exception):
    """Stands in for google.api_core.exceptions.NotFound (same name and module)."""


NotFound.__module__ = "google.api_core.exceptions"


class RunnerTestCase(unittest.TestCase):
    replace = None

    def setUp(self):
        self.fake = FakeOriginal(self.replace)
        self.addCleanup(self.fake.close)
        self.exporters = OriginalExporters(self.fake.root)
        self.control = self.fake.control
        self.count_calls = []

    def counts(self, target_date):
        self.count_calls.append(target_date)
        return READY

    def run_export(self, raw, expected_type="__same__", beats=None, interval=5.0, **kwargs):
        return run_export(raw, expected_type=raw["export_type"] if expected_type == "__same__" else expected_type,
                          catalog=kwargs.pop("catalog", SHIPPED), exporters=self.exporters,
                          counts=kwargs.pop("counts", self.counts), heartbeat=beats or Beats(),
                          heartbeat_interval=interval, **kwargs)

    def calls(self, method=None):
        return [c for c in self.control.CALLS if method is None or c["method"] == method]


class CallShapeTests(RunnerTestCase):
    def test_RunExport_EveryExternalType_CallsTheOriginalExactlyAsDailyExportDoes(self):
        self.assertEqual(set(EXPECTED_CALLS) | set(EXPECTED_FUNCTION_CALLS) | set(EXPECTED_CHAINED_CALLS),
                         set(EXTERNAL_TYPES))
        for export_type, calls in EXPECTED_CHAINED_CALLS.items():
            with self.subTest(export_type=export_type):
                self.control.reset()
                self.run_export(request(export_type, update_latest=False))
                self.assertEqual(self.calls(), [{"class": None, "method": function, "args": args, "kwargs": {}}
                                                for function, args in calls])
        for export_type, (function, args, kwargs) in EXPECTED_FUNCTION_CALLS.items():
            with self.subTest(export_type=export_type):
                self.control.reset()
                self.run_export(request(export_type, update_latest=False))
                self.assertEqual(self.calls(), [{"class": None, "method": function, "args": args, "kwargs": kwargs}])
        for export_type, (cls, ctor, method, args, kwargs) in EXPECTED_CALLS.items():
            with self.subTest(export_type=export_type):
                self.control.reset()
                self.run_export(request(export_type, update_latest=False))
                self.assertEqual(self.calls(), [
                    {"class": cls, "method": "__init__", "args": (), "kwargs": ctor},
                    {"class": cls, "method": method, "args": args, "kwargs": kwargs}])

    def test_RunExport_UpdateLatestTrue_IsPassedAsUpdateTodayToPredictions(self):
        self.run_export(request("predictions", update_latest=True))
        self.assertEqual(self.calls("export")[0]["kwargs"], {"update_today": True})

    def test_RunExport_PlayerProfilesWithoutMinGames_PassesTheDefaultFive(self):
        self.run_export(request("player-profiles", options={}))
        self.assertEqual(self.calls("export_all_players")[0]["kwargs"], {"min_games": 5})

    def test_RunExport_PlayerProfilesMinGames12_Passes12(self):
        self.run_export(request("player-profiles", options={"min_games": 12}))
        self.assertEqual(self.calls("export_all_players")[0]["kwargs"], {"min_games": 12})

    def test_RunExport_TwoExports_UseAFreshExporterInstanceEach(self):
        self.run_export(request("results"))
        self.run_export(request("results"))
        self.assertEqual(len(self.calls("__init__")), 2)


class ObjectsTests(RunnerTestCase):
    def test_RunExport_SinglePath_IsOneObjectNamedRelativeToTheBucket(self):
        result = self.run_export(request("results"))
        self.assertEqual(result, {"export_type": "results", "skipped_reason": None,
                                  "objects": [{"name": "v1/results/2026-02-10.json", "bytes": None, "generation": None}]})

    def test_RunExport_TonightPlayers_ListsEveryPathInOrder(self):
        self.control.PLAYERS[:] = ["p%03d" % i for i in range(250)]
        result = self.run_export(request("tonight-players"))
        self.assertEqual([o["name"] for o in result["objects"]], ["v1/tonight/player/2026-02-10/p%03d.json" % i for i in range(250)])

    def test_RunExport_PlayerProfiles_ListsIndexThenPlayers(self):
        result = self.run_export(request("player-profiles"))
        self.assertEqual([o["name"] for o in result["objects"]], [
            "v1/players/index.json", "v1/players/lebronjames.json", "v1/players/stephencurry.json",
            "v1/players/nikolajokic.json"])

    def test_RunExport_TonightPlayersNoPlayers_IsSkippedWithAReason(self):
        self.control.PLAYERS[:] = []
        result = self.run_export(request("tonight-players"))
        self.assertEqual(result["objects"], [])
        self.assertEqual(result["skipped_reason"], "TonightPlayerExporter.export_all_for_date returned no paths: "
                                                   "nothing was written")

    def test_RunExport_ExporterReturnsNone_IsSkipped(self):
        self.control.OVERRIDES["LiveScoresExporter"] = lambda *a, **k: None
        result = self.run_export(request("live"))
        self.assertEqual((result["objects"], result["skipped_reason"]),
                         ([], "LiveScoresExporter.export returned no paths: nothing was written"))

    def test_RunExport_OtherBucketConfigured_AcceptsPathsInIt(self):
        self.control.OVERRIDES["ResultsExporter"] = lambda *a, **k: "gs://staging-api/v1/results/2026-02-10.json"
        result = self.run_export(request("results"), bucket="staging-api")
        self.assertEqual(result["objects"][0]["name"], "v1/results/2026-02-10.json")

    def test_RunExport_PathOutsideBucketOrPrefix_IsContractViolation(self):
        for path in ("gs://other-bucket/v1/results/2026-02-10.json",
                     "gs://nba-props-platform-api/v2/results/2026-02-10.json",
                     "gs://nba-props-platform-api/results/2026-02-10.json",
                     "gs://nba-props-platform-api-old/v1/results/2026-02-10.json",
                     "/tmp/results/2026-02-10.json", "v1/results/2026-02-10.json",
                     "gs://nba-props-platform-api/v1/../secrets.json",
                     "gs://nba-props-platform-api/v1//results.json",
                     "gs://nba-props-platform-api/v1/results/2026-02-10.csv",
                     "gs://nba-props-platform-api/v1/results/a b.json"):
            with self.subTest(path=path):
                self.control.OVERRIDES["ResultsExporter"] = lambda *a, **k: path
                with self.assertRaises(ContractViolation) as caught:
                    self.run_export(request("results"))
                self.assertIn(repr(path), caught.exception.message)
                self.assertTrue(caught.exception.non_retryable)

    def test_RunExport_ReturnValueThatIsNoPath_IsContractViolation(self):
        root = "gs://nba-props-platform-api/v1/"
        cases = [("results", "ResultsExporter", 42, "returned a number"),
                 ("results", "ResultsExporter", True, "returned a boolean"),
                 ("results", "ResultsExporter", {"daily": {"path": root + "results/2026-02-10.json"}}, "an object"),
                 ("results", "ResultsExporter", {"daily": 7}, "a number among its paths"),
                 ("tonight-players", "TonightPlayerExporter", [root + "tonight/player/a.json", None], "null")]
        for export_type, cls, returned, kind in cases:
            with self.subTest(export_type=export_type, returned=returned):
                self.control.OVERRIDES[cls] = lambda *a, **k: returned
                with self.assertRaises(ContractViolation) as caught:
                    self.run_export(request(export_type))
                self.assertIn(kind, caught.exception.message)


class ErrorTests(RunnerTestCase):
    def fail_with(self, error, export_type="results", cls="ResultsExporter"):
        def raise_error(*args, **kwargs):
            raise error
        self.control.OVERRIDES[cls] = raise_error
        return self.run_export(request(export_type))

    def test_RunExport_GoogleNotFoundOnATable_IsMissingTable(self):
        with self.assertRaises(MissingTable) as caught:
            self.fail_with(NotFound("404 Not found: Table nba-props-platform:nba_predictions.prediction_accuracy "
                                    "was not found in location US"))
        self.assertEqual(caught.exception.error_type, "MissingTable")
        self.assertTrue(caught.exception.non_retryable)
        self.assertIn("prediction_accuracy", caught.exception.message)

    def test_RunExport_GoogleNotFoundOfSomethingElse_PropagatesRetryable(self):
        error = NotFound("404 The specified bucket does not exist.")
        with self.assertRaises(NotFound) as caught:
            self.fail_with(error)
        self.assertIs(caught.exception, error)

    def test_RunExport_ValueOrTypeErrorFromExporter_IsInvalidExportRequest(self):
        for error in (ValueError("time data '2026-02-10' does not match format"), TypeError("bad date")):
            with self.subTest(error=error):
                with self.assertRaises(InvalidExportRequest) as caught:
                    self.fail_with(error)
                self.assertIn(type(error).__name__, caught.exception.message)
                self.assertIn("ResultsExporter().export(target_date, update_latest=update_latest)",
                              caught.exception.message)

    def test_RunExport_OtherException_PropagatesUnchangedForRetry(self):
        for error in (RuntimeError("BigQuery job failed: 503"), ConnectionError("reset by peer"), KeyError("points")):
            with self.subTest(error=error):
                with self.assertRaises(type(error)) as caught:
                    self.fail_with(error)
                self.assertIs(caught.exception, error)

    def test_RunExport_RequestForAnotherActivitysType_IsInvalidExportRequest(self):
        with self.assertRaises(InvalidExportRequest) as caught:
            self.run_export(request("best-bets"), expected_type="results")
        self.assertIn("'best-bets' was sent to the activity of 'results'", caught.exception.message)
        self.assertEqual(self.calls(), [])

    def test_RunExport_InvalidRequest_CallsNoExporter(self):
        with self.assertRaises(InvalidExportRequest):
            self.run_export(request("results", target_date="2026-02-30"))
        self.assertEqual(self.calls(), [])


class BrokenInstallTests(RunnerTestCase):
    replace = {
        "results_exporter": None,
        "best_bets_exporter": "class SomethingElse:\n    pass\n",
        "predictions_exporter": "class PredictionsExporter:\n    def export(self, target_date, update_latest=True):\n"
                                "        return None\n",
        "streaks_exporter": "class StreaksExporter:\n    def __init__(self):\n        pass\n"
                            "    def export(self, as_of_date):\n        return None\n",
        "tonight_all_players_exporter": "def broken(:\n",
        "live_scores_exporter": "import google_cloud_missing_dependency\n",
    }

    def test_RunExport_InstalledExporterDiffersFromTheContract_IsContractViolationAndNothingRuns(self):
        cases = {"results": "importing data_processors.publishing.results_exporter",
                 "best-bets": "has no class BestBetsExporter",
                 "predictions": "does not take the arguments of PredictionsExporter().export(target_date, "
                                "update_today=update_latest)",
                 "streaks": "StreaksExporter(min_streak_length=4)",
                 "tonight": "SyntaxError",
                 "live": "google_cloud_missing_dependency"}
        for export_type, expected in cases.items():
            with self.subTest(export_type=export_type):
                with self.assertRaises(ContractViolation) as caught:
                    self.run_export(request(export_type))
                self.assertIn(expected, caught.exception.message)
                self.assertTrue(caught.exception.non_retryable)

    def test_ResolveAll_ReportsEachExporterOkOrWhyNot(self):
        results = {r.export_type: r for r in self.exporters.resolve_all(list(SHIPPED.external.values()))}
        self.assertEqual({t for t, r in results.items() if not r.ok},
                         {"results", "best-bets", "predictions", "streaks", "tonight", "live"})
        self.assertEqual(results["trends-team"].message, "TeamTendenciesExporter().export(target_date)")
        self.assertEqual(self.control.CALLS, [], "resolving must not construct or run any exporter")
        # Every shipped request value lands in a parameter whose name agrees (game_date=target_date, update_today=update_latest).
        self.assertEqual({t: r.warnings for t, r in results.items() if r.warnings}, {})


class PreflightTests(RunnerTestCase):
    TONIGHT = ("tonight", "tonight-players", "predictions", "best-bets", "streaks")

    def test_RunExport_TonightTypeTooFewContextRows_IsNotReadyAndTheExporterDoesNotRun(self):
        for export_type in self.TONIGHT:
            with self.subTest(export_type=export_type):
                self.control.reset()
                with self.assertRaises(NotReady) as caught:
                    self.run_export(request(export_type), counts=lambda d: PreflightCounts(29, 500))
                self.assertEqual(caught.exception.details["reason"], "analytics_not_ready")
                self.assertFalse(caught.exception.non_retryable)
                self.assertIn("29 nba_analytics.upcoming_player_game_context rows (need at least 30)",
                              caught.exception.message)
                self.assertEqual(self.calls(), [])

    def test_RunExport_TonightTypeTooFewActivePredictions_IsNotReady(self):
        for export_type in self.TONIGHT:
            with self.subTest(export_type=export_type):
                with self.assertRaises(NotReady) as caught:
                    self.run_export(request(export_type), counts=lambda d: PreflightCounts(300, 49))
                self.assertEqual(caught.exception.details["reason"], "validation_failed")
                self.assertIn("49 active predictions (need at least 50)", caught.exception.message)

    def test_RunExport_TonightTypeAtTheThresholds_RunsAndCountsTheTargetDate(self):
        for export_type in self.TONIGHT:
            with self.subTest(export_type=export_type):
                self.count_calls.clear()
                result = self.run_export(request(export_type, target_date="2026-02-11"))
                self.assertTrue(result["objects"])
                self.assertEqual(self.count_calls, ["2026-02-11"])

    def test_RunExport_EveryOtherType_NeverRunsThePreflight(self):
        def never(target_date):
            raise AssertionError("pre-flight queried for a type it must not gate")
        others = [t for t in EXTERNAL_TYPES if t not in self.TONIGHT]
        self.assertEqual(len(others), 34)
        for export_type in others:
            with self.subTest(export_type=export_type):
                result = self.run_export(request(export_type), counts=never)
                self.assertTrue(result["objects"] or SHIPPED.external[export_type].step)

    def test_RunExport_PreflightQueryFails_IsNotReady(self):
        def failing(target_date):
            raise RuntimeError("503 backend error")
        with self.assertRaises(NotReady) as caught:
            self.run_export(request("tonight"), counts=failing)
        self.assertEqual(caught.exception.details["reason"], "preflight_query_failed")

    def test_RunExport_PreflightTableMissing_IsMissingTable(self):
        def missing(target_date):
            raise NotFound("Not found: Table nba-props-platform:nba_analytics.upcoming_player_game_context")
        with self.assertRaises(MissingTable):
            self.run_export(request("streaks"), counts=missing)


if __name__ == "__main__":
    unittest.main()

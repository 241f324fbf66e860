import unittest

from exportflows_worker import DEFAULT_TASK_QUEUE
from exportflows_worker.catalog import ACTIVITY_NAMES, BY_TYPE, EXTERNAL_TYPES, PREFLIGHT_TYPES, activity_name


class CatalogTests(unittest.TestCase):
    def test_ExternalTypes_AreTheOriginalsSeventeenInDailyExportOrder(self):
        self.assertEqual(EXTERNAL_TYPES, (
            "results", "performance", "best-bets", "predictions", "tonight", "tonight-players", "streaks",
            "trends-hot-cold", "trends-bounce-back", "trends-what-matters", "trends-team", "trends-quick-hits",
            "trends-deep-dive", "tonight-trend-plays", "live", "live-grading", "player-profiles"))

    def test_ActivityNames_AreExportPlusPascalCaseOfEveryType(self):
        self.assertEqual(list(ACTIVITY_NAMES.values()), [
            "ExportResults", "ExportPerformance", "ExportBestBets", "ExportPredictions", "ExportTonight",
            "ExportTonightPlayers", "ExportStreaks", "ExportTrendsHotCold", "ExportTrendsBounceBack",
            "ExportTrendsWhatMatters", "ExportTrendsTeam", "ExportTrendsQuickHits", "ExportTrendsDeepDive",
            "ExportTonightTrendPlays", "ExportLive", "ExportLiveGrading", "ExportPlayerProfiles"])

    def test_ActivityName_NativeType_FollowsTheSameRule(self):
        self.assertEqual(activity_name("subset-picks"), "ExportSubsetPicks")

    def test_DefaultTaskQueue_IsExportflowsPython(self):
        self.assertEqual(DEFAULT_TASK_QUEUE, "exportflows-python")

    def test_PreflightTypes_AreTheFiveTonightTypesOnly(self):
        self.assertEqual(PREFLIGHT_TYPES, {"tonight", "tonight-players", "predictions", "best-bets", "streaks"})
        self.assertNotIn("subset-picks", PREFLIGHT_TYPES)
        self.assertNotIn("daily-signals", PREFLIGHT_TYPES)

    def test_MultiObject_OnlyTonightPlayersAndPlayerProfiles(self):
        self.assertEqual({t for t, spec in BY_TYPE.items() if spec.multi_object}, {"tonight-players", "player-profiles"})

    def test_DescribeCall_ReadsAsTheOriginalCall(self):
        self.assertEqual(BY_TYPE["predictions"].describe_call(),
                         "PredictionsExporter().export(target_date, update_today=update_latest)")
        self.assertEqual(BY_TYPE["streaks"].describe_call(), "StreaksExporter(min_streak_length=4).export(target_date)")
        self.assertEqual(BY_TYPE["tonight-trend-plays"].describe_call(),
                         "TonightTrendPlaysExporter().export(game_date=target_date)")
        self.assertEqual(BY_TYPE["player-profiles"].describe_call(),
                         "PlayerProfileExporter().export_all_players(min_games=min_games)")
        self.assertEqual(BY_TYPE["player-profiles"].qualified_module,
                         "data_processors.publishing.player_profile_exporter")


if __name__ == "__main__":
    unittest.main()
